"""The login form and the refusal pages of the internal view: plain HTML in Korean or English,
styled by the vendored Bootstrap, with no script and no request to any other host."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response
from markupsafe import Markup, escape

from dashboards._shared.i18n import t

STYLESHEETS = ("/assets/01-bootstrap-5.3.9.min.css", "/assets/02-app.css")

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · {app_title}</title>
{stylesheets}
</head>
<body>
<header id="navbar" class="border-bottom bg-light">
<nav class="container-lg d-flex flex-wrap align-items-center justify-content-between gap-2 py-2"
 aria-label="{nav_label}">
<span class="navbar-brand fw-bold text-wrap">{app_title}</span>
{switch}
</nav>
</header>
<main id="main" class="container-lg py-4">
<div class="row"><div class="col-12 col-sm-10 col-md-7 col-lg-5">
<h1 class="h3">{title}</h1>
{body}
</div></div>
</main>
</body>
</html>
"""

FORM = """<form method="post" action="/login" class="mt-3">
<input type="hidden" name="csrf_token" value="{csrf}">
<input type="hidden" name="next" value="{next}">
<input type="hidden" name="lang" value="{lang}">
<div class="mb-3">
<label for="login-username" class="form-label">{username_label}</label>
<input id="login-username" name="username" class="form-control" autocomplete="username"
 autocapitalize="none" spellcheck="false" maxlength="64" required value="{username}"{focus_user}>
</div>
<div class="mb-3">
<label for="login-password" class="form-label">{password_label}</label>
<input id="login-password" name="password" type="password" class="form-control"
 autocomplete="current-password" maxlength="1024" required{focus_password}>
</div>
<button type="submit" class="btn btn-primary">{submit}</button>
</form>"""


def _page(lang: str, title: str, body: str, switch_href: str, status: int) -> Response:
    other = "en" if lang == "ko" else "ko"
    html = PAGE.format(
        lang=lang,
        title=escape(title),
        app_title=escape(t("app.title", lang)),
        nav_label=escape(t("nav.main", lang)),
        stylesheets="\n".join(f'<link rel="stylesheet" href="{href}">' for href in STYLESHEETS),
        switch=(
            f'<a href="{escape(switch_href)}" lang="{other}" class="btn btn-outline-primary '
            f'btn-sm" title="{escape(t("nav.language_label", lang))}">'
            f"{escape(t('nav.language', lang))}</a>"
        ),
        body=body,
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def login_url(next_path: str, lang: str | None = None) -> str:
    """The login page's address, sending the person on to `next_path` afterwards."""
    params = {"next": next_path} if next_path and next_path != "/" else {}
    if lang:
        params["lang"] = lang
    return "/login" + ("?" + urlencode(params) if params else "")


def login_page(
    lang: str,
    csrf: str,
    next_path: str,
    *,
    username: str = "",
    error: str | None = None,
    note: str | None = None,
    status: int = 200,
) -> Response:
    """The login form; `error` (already translated) is announced to screen readers."""
    parts = [f"<p>{escape(t('login.intro', lang))}</p>"]
    if note:
        parts.append(f'<div class="alert alert-warning" role="status">{escape(note)}</div>')
    if error:
        parts.append(f'<div class="alert alert-danger" role="alert">{escape(error)}</div>')
    parts.append(
        FORM.format(
            csrf=escape(csrf),
            next=escape(next_path),
            lang=lang,
            username_label=escape(t("login.username", lang)),
            password_label=escape(t("login.password", lang)),
            submit=escape(t("login.submit", lang)),
            username=escape(username),
            focus_user="" if username else " autofocus",
            focus_password=" autofocus" if username else "",
        )
    )
    other = "en" if lang == "ko" else "ko"
    return _page(
        lang, t("login.title", lang), "\n".join(parts), login_url(next_path, other), status
    )


def message_page(lang: str, title_key: str, text_key: str, status: int, path: str) -> Response:
    """A refusal (403, 400) as a page with a way back."""
    body = Markup(
        f"<p>{escape(t(text_key, lang))}</p>\n"
        f'<p><a href="/?lang={lang}">{escape(t("auth.back", lang))}</a></p>'
    )
    other = "en" if lang == "ko" else "ko"
    return _page(lang, t(title_key, lang), body, f"{path}?lang={other}", status)
