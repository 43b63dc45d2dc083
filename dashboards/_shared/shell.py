"""The frame around every page: navigation with the language switch, kept in step with the URL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import dash
from dash import Input, Output, callback, html

from dashboards._shared.account import account_controls, mode_banner
from dashboards._shared.context import current
from dashboards._shared.i18n import request_language, t
from web.auth import is_admin


def query_params(search: str | None) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}


def with_params(path: str, params: dict[str, str]) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return path + ("?" + urlencode(clean) if clean else "")


def navbar() -> html.Header:
    return html.Header(id="navbar", className="border-bottom bg-light")


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
