"""The frame around every page: navigation with the language switch, kept in step with the URL,
and the notice shown when the database cannot be read."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlparse

import dash
from dash import Input, Output, callback, html, set_props
from flask import request
from sqlalchemy.exc import SQLAlchemyError

from dashboards._shared.account import account_controls, mode_banner
from dashboards._shared.context import current
from dashboards._shared.i18n import LANGUAGES, request_language, t
from web import callbackcache
from web.auth import is_admin
from web.errors import log_unreadable


def query_params(search: str | None) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}


def with_params(path: str, params: dict[str, str]) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return path + ("?" + urlencode(clean) if clean else "")


def navbar() -> html.Header:
    return html.Header(id="navbar", className="border-bottom bg-light")


NOTICE_ID = "data-unreadable"
PAGES_STORE_ID = "_pages_store"  # Dash's page router keeps each page's title there


def unreadable_notice() -> html.Div:
    """Where a page says that the database cannot be read, hidden until it happens."""
    return html.Div(id=NOTICE_ID, hidden=True, role="alert", className="alert alert-warning")


def _languages() -> list[str]:
    """Both languages, the page's first (from the address the callback came from)."""
    referrer = urlparse(request.referrer or "")
    first = request_language(query_params(referrer.query).get("lang"))
    return sorted(LANGUAGES, key=lambda lang: lang != first)


def _notice_text(languages: list[str]) -> list:
    return [
        html.P(
            [html.Strong(t("data.unreadable.title", lang)), " ", t("data.unreadable.text", lang)],
            lang=lang,
            className="mb-1",
        )
        for lang in languages
    ]


def on_callback_error(error: Exception):
    """Dash's handler for every callback's errors. A database that cannot be read (missing,
    down, or a load killed while it wrote) is said on the page instead of leaving it blank,
    and the reason goes to the log; that answer is not cached. Other errors are raised as
    before."""
    if not isinstance(error, SQLAlchemyError):
        raise error
    log_unreadable(error)
    callbackcache.forget()
    languages = _languages()
    set_props(NOTICE_ID, {"hidden": False, "children": _notice_text(languages)})
    # the page's title says it too (the browser's title script reads Dash's page store)
    title = " · ".join(t("data.unreadable.title", lang) for lang in languages)
    set_props(PAGES_STORE_ID, {"data": {"title": title, "description": ""}})
    return None  # every output of the callback stays as it was


def _nav_links(pathname: str, lang: str) -> list:
    items = []
    for page in dash.page_registry.values():
        if page.get("nav") is False:
            continue
        if current().public and page.get("internal_only"):
            continue
        if page.get("admin_only") and not is_admin():
            continue
        label = t(page["name_key"], lang) if page.get("name_key") else page["name"]
        active = pathname == page["path"]
        items.append(
            html.Li(
                html.A(
                    label,
                    href=with_params(page["path"], {"lang": lang}),
                    className="nav-link" + (" active fw-bold" if active else ""),
                    **({"aria-current": "page"} if active else {}),
                ),
                className="nav-item",
            )
        )
    return items


@callback(Output("navbar", "children"), Input("url", "pathname"), Input("url", "search"))
def render_navbar(pathname, search):
    if (pathname or "").startswith("/embed/"):
        return None  # an embedded chart stands alone in its iframe
    params = query_params(search)
    lang = request_language(params.get("lang"))
    other = "en" if lang == "ko" else "ko"
    switch = html.A(
        t("nav.language", lang),
        href=with_params(pathname or "/", {**params, "lang": other}),
        lang=other,
        className="btn btn-outline-primary btn-sm",
        title=t("nav.language_label", lang),
    )
    brand = html.A(
        t("app.title", lang),
        href=with_params("/", {"lang": lang}),
        className="navbar-brand fw-bold text-wrap",
    )
    badge = (
        html.Span(t("public.badge", lang), className="badge bg-secondary ms-2")
        if current().public
        else None
    )
    nav = html.Nav(
        html.Div(
            [
                html.Div([brand, badge], className="d-flex align-items-center"),
                html.Ul(_nav_links(pathname or "/", lang), className="nav flex-wrap"),
                switch,
                account_controls(lang),
            ],
            className="container-lg d-flex flex-wrap align-items-center gap-2 py-2",
        ),
        **{"aria-label": t("nav.main", lang)},
    )
    return [nav, mode_banner(lang)]
