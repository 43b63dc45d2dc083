"""Security for every response, and the public view's locks: read-only methods, no account or
ETL paths, a rate limit on the API and downloads.

Public and protected routes are declared here, in one place: in the public view only GET and
HEAD are answered (and POST to Dash's callback endpoint, which reads only), the paths of the
internal view give 404, and /api and /download are rate-limited per client address.
"""

from __future__ import annotations

from dash import Dash
from flask import Flask, Response, request

import config
from dashboards._shared.context import current
from web.errors import is_data_path, json_error
from web.ratelimit import RateLimiter, retry_after

READ_METHODS = ("GET", "HEAD")
DASH_CALLBACK_PATH = "/_dash-update-component"
INTERNAL_ONLY_PATHS = ("/login", "/logout", "/admin", "/etl", "/users")
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
    'unsafe-eval' is there for plotly's WebGL traces (scattergl and friends, which plotly express
    picks past 1,000 points): regl compiles them with Function(), and without it they draw
    nothing. Dash itself, SVG charts, PNG export, DataTable and clientside callbacks run
    without it (checked in Chromium)."""
    inline = list(script_hashes) if script_hashes is not None else ["'unsafe-inline'"]
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-eval'", *inline],
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


def is_internal_only(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in INTERNAL_ONLY_PATHS)


def register(app: Dash) -> None:
    """Install the public view's request checks and every response's security headers."""
    server: Flask = app.server
    server.extensions[LIMITER_KEY] = RateLimiter()

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
