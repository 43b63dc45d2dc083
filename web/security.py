"""Security for every response, the internal view's login, and the public view's locks:
read-only methods, no account or ETL paths, a rate limit on the API and downloads.

Public and protected routes are declared here, in one place:
- internal view: every path needs a login (web/auth.py says who is logged in) except
  OPEN_PATHS and OPEN_PREFIXES (health, the login page and the static files it needs); the
  ADMIN_PATHS need the admin role. A browser without a session is sent to /login?next=...;
  API, download, Dash callback and non-GET requests get 401 JSON instead.
- public view: no login at all; only GET and HEAD are answered (and POST to Dash's callback
  endpoint, which reads only), the paths of the internal view give 404, and /api and /download
  are rate-limited per client address.
"""

from __future__ import annotations

import dash
from dash import Dash
from flask import Flask, Response, redirect, request
from sqlalchemy.exc import SQLAlchemyError

import config
from dashboards._shared.context import current
from dashboards._shared.i18n import request_language
from web import auth
from web.errors import database_unreadable, is_data_path, json_error, log_unreadable
from web.login_page import login_url, message_page
from web.ratelimit import RateLimiter, retry_after

READ_METHODS = ("GET", "HEAD")
DASH_CALLBACK_PATH = "/_dash-update-component"
INTERNAL_ONLY_PATHS = ("/login", "/logout", "/admin", "/etl", "/users")
# internal view: what is answered without a login, and what needs the admin role
OPEN_PATHS = ("/healthz", "/login", "/logout", "/_favicon.ico")
OPEN_PREFIXES = ("/assets/", "/_dash-component-suites/")
ADMIN_PATHS = ("/admin",)
OPEN, LOGIN, ADMIN = "open", "login", "admin"
EMBED_PREFIX = "/embed/"
LIMITER_KEY = "public_rate_limiter"
STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def content_security_policy(script_hashes: list[str] | None, embeddable: bool) -> str:
    """The CSP: everything from this origin only.

    Public view: Dash's inline scripts allowed by their hashes only. Internal view
    (`script_hashes` None): inline scripts allowed too, so an analyst's tools (accessibility
    checkers, bookmarklets) can run in the page; no other origin in either view.
    No 'unsafe-eval': the pages load plotly.js's basic bundle (bar, scatter and pie, drawn as
    SVG), which never compiles code from strings; only the WebGL traces (scattergl and
    friends, compiled by regl with Function()) would need it, and the bundle has none. Dash
    itself, PNG export, DataTable and clientside callbacks run without it (the browser tests
    fail on any refusal the console reports)."""
    inline = list(script_hashes) if script_hashes is not None else ["'unsafe-inline'"]
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *inline],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["*"] if embeddable else ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p or path.startswith(p + "/") for p in prefixes)


def is_internal_only(path: str) -> bool:
    """The fixed internal paths, and every page registered with `internal_only=True`."""
    pages = tuple(p["path"] for p in dash.page_registry.values() if p.get("internal_only"))
    return _under(path, INTERNAL_ONLY_PATHS + pages)


def access_needed(path: str) -> str:
    """What the internal view asks before answering `path`: OPEN, LOGIN or ADMIN."""
    if path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
        return OPEN
    return ADMIN if _under(path, ADMIN_PATHS) else LOGIN


def _answers_json(path: str) -> bool:
    """Requests made by scripts or by the page's own code, not by a person following a link."""
    return (
        is_data_path(path)
        or path.startswith("/_dash-")
        or path == "/_reload-hash"
        or request.method not in READ_METHODS
    )


def _refuse(status: int) -> Response:
    """401 (nobody logged in) or 403 (not allowed), as a script or a person expects it."""
    path = request.path
    if _answers_json(path):
        message = "login required: sign in at /login" if status == 401 else "not allowed"
        return json_error(status, message)
    if status == 401:
        query = request.query_string.decode("utf-8", "replace")
        next_path = auth.safe_next(path + ("?" + query if query else ""))
        return redirect(login_url(next_path, request.args.get("lang")))
    lang = request_language(request.args.get("lang"))
    return message_page(lang, "auth.forbidden.title", "auth.forbidden.text", 403, path)


def _unreadable(error: SQLAlchemyError) -> Response:
    """503 when the database cannot be read: JSON for scripts, a page for a person; the reason
    and what the operator can do go to the log."""
    if _answers_json(request.path):
        return database_unreadable(error)
    log_unreadable(error)
    lang = request_language(request.args.get("lang"))
    return message_page(lang, "data.unreadable.title", "data.unreadable.text", 503, request.path)


def register(app: Dash, host: str) -> None:
    """Install the internal view's login check, the public view's request checks and every
    response's security headers. `host` is the address the app listens on: local single-user
    mode needs a loopback one. Register this before other routes' request checks, so that
    nothing is answered to a visitor who is not logged in."""
    server: Flask = app.server
    server.extensions[LIMITER_KEY] = RateLimiter()
    auth.configure(server, host)

    @server.before_request
    def _login_required():
        if current().public:
            return None
        needed = access_needed(request.path)
        if needed == OPEN:
            return None
        try:
            user = auth.identify()
        except SQLAlchemyError as error:
            return _unreadable(error)
        if user is None:
            return _refuse(401)
        if needed == ADMIN and not user.is_admin:
            return _refuse(403)
        return None

    @server.before_request
    def _public_locks():
        if not current().public:
            return None
        path = request.path
        if request.method not in READ_METHODS and not (
            request.method == "POST" and path == DASH_CALLBACK_PATH
        ):
            message = "the public view is read-only"
            headers = {"Allow": ", ".join(READ_METHODS)}
            if is_data_path(path):
                return json_error(405, message, headers)
            return Response(message + "\n", status=405, mimetype="text/plain", headers=headers)
        if is_internal_only(path):
            return Response("Not found\n", status=404, mimetype="text/plain")
        if is_data_path(path):
            wait = server.extensions[LIMITER_KEY].check(
                request.remote_addr or "unknown", config.get_int("PUBLIC_RATE_LIMIT_PER_MINUTE")
            )
            if wait:
                return json_error(
                    429,
                    "too many requests from your address; wait and retry",
                    {"Retry-After": retry_after(wait)},
                )
        return None

    @server.after_request
    def _security_headers(response: Response) -> Response:
        embeddable = request.path.startswith(EMBED_PREFIX)
        hashes = list(app.csp_hashes()) if current().public else None
        response.headers["Content-Security-Policy"] = content_security_policy(hashes, embeddable)
        for name, value in STATIC_HEADERS.items():
            response.headers.setdefault(name, value)
        if not embeddable:
            response.headers["X-Frame-Options"] = "DENY"
        return response
