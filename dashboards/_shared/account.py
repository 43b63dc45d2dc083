"""The navbar's account part: who is signed in with a logout button, or the banner of local
single-user mode (no user exists, so nobody logs in)."""

from __future__ import annotations

from dash import html

from dashboards._shared.i18n import t
from web.auth import csrf_token, current_user


def with_code(text: str) -> list:
    """Catalogue text with `backticked` parts shown as code."""
    parts = text.split("`")
    return [
        html.Code(part, className="text-reset") if i % 2 else part
        for i, part in enumerate(parts)
        if part
    ]


def account_controls(lang: str) -> html.Div | None:
    """The signed-in user's name and role, and a logout button (a form with the CSRF token)."""
    user = current_user()
    if user is None or user.local:
        return None
    role = t(f"auth.role.{user.role}", lang)
    return html.Div(
        [
            html.Span(
                t("auth.signed_in_as", lang, user=user.username, role=role),
                className="small text-muted",
                id="signed-in-as",
            ),
            html.Form(
                html.Button(
                    t("auth.logout", lang),
                    type="submit",
                    name="csrf_token",
                    value=csrf_token(),
                    className="btn btn-outline-dark btn-sm",
                    id="logout-button",
                ),
                method="POST",
                action=f"/logout?lang={lang}",
                className="m-0",
            ),
        ],
        className="d-flex align-items-center gap-2",
        role="group",
        **{"aria-label": t("auth.account", lang)},
    )


def mode_banner(lang: str) -> html.Div | None:
    """In local single-user mode, a banner on every page saying that login is off, and why."""
    user = current_user()
    if user is None or not user.local:
        return None
    return html.Div(
        html.Div(with_code(t("auth.local_banner", lang)), className="container-lg"),
        id="local-mode-banner",
        className="alert alert-warning rounded-0 border-0 border-top mb-0 py-2 small",
        role="status",
    )
