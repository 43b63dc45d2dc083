"""Logins for the internal view: who makes a request, the signed session cookie, the login
and logout routes, CSRF tokens and the throttle on failed logins.

Which paths need a login, and which the admin role, is declared in web/security.py; this module
answers who the person is. Three cases:
- a valid session: the user it names still exists, is not disabled, and has the password the
  session was opened with (a new password, a removed or disabled user end every session);
- local single-user mode: no user exists at all, the app is bound to a loopback address and
  the request comes from this machine, not through a proxy. Nobody logs in; a banner says so;
- nobody: the request is refused by web/security.py (a redirect to /login, or 401 JSON).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import logging
import math
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import Flask, current_app, g, redirect, request, session
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

import config
from dashboards._shared.context import current
from dashboards._shared.i18n import request_language, t
from db.engine import read_engine
from db.passwords import MAX_LENGTH, spend_verify_time, verify_password
from db.queries.users import UserRecord, count_users, find_user
from web.login_page import login_page, message_page
from web.throttle import LoginThrottle

AUTH_KEY = "dashboard_auth"
COOKIE_NAME = "dashboard_session"
LOOPBACK_NAMES = ("localhost",)
PROXY_HEADERS = ("X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP", "Forwarded")
NOT_NEXT = ("/login", "/logout")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SessionUser:
    """The person a request is served for."""

    username: str
    role: str
    local: bool = False  # local single-user mode: no login, the operator of this machine

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


LOCAL_OPERATOR = SessionUser(username="", role="admin", local=True)


@dataclass
class AuthState:
    """One app's login state: whether local single-user mode may apply, and the throttle."""

    loopback_bound: bool
    throttle: LoginThrottle = field(default_factory=LoginThrottle)


def is_loopback(host: str | None) -> bool:
    """Whether `host` (an address the app binds to, or a client address) is this machine only."""
    if not host:
        return False
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def startup_problem(public: bool, host: str, database_url: str | None = None) -> str | None:
    """Why the internal view must not start listening on `host`, or None. Without any user it
    has no login (local single-user mode), so it runs only on a loopback address."""
    if public or is_loopback(host):
        return None
    try:
        users = count_users(read_engine(database_url or config.database_url()))
    except SQLAlchemyError as error:
        return (
            f"refusing to serve the internal view on {host}: the users cannot be read from "
            f"the database ({type(error).__name__})"
        )
    if users:
        return None
    return (
        f"refusing to serve the internal view on {host}: no user exists, and without one it "
        "has no login (local single-user mode, only on 127.0.0.1, ::1 or localhost). Create "
        "a user with `python -m etl users add NAME --role admin`, or serve the public view "
        "with --public."
    )


def configure(server: Flask, host: str) -> None:
    """Sign sessions, set the cookie's flags, and add /login and /logout."""
    server.secret_key = config.get("SECRET_KEY") or secrets.token_hex(32)
    server.config.update(
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.get_bool("HTTPS"),
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=config.get_int("SESSION_LIFETIME_MINUTES")),
    )
    server.extensions[AUTH_KEY] = AuthState(loopback_bound=is_loopback(host))
    server.add_url_rule("/login", "login", login, methods=["GET", "POST"])
    # GET too, to answer 405 itself: Dash's catch-all page route would take it otherwise
    server.add_url_rule("/logout", "logout", logout, methods=["GET", "POST"])


def state() -> AuthState:
    return current_app.extensions[AUTH_KEY]


def current_user() -> SessionUser | None:
    """Who the request being served is for (set by the login check of web/security.py)."""
    return g.get("user")


def is_admin() -> bool:
    user = current_user()
    return bool(user and user.is_admin)


def identify() -> SessionUser | None:
    """Who makes this request, remembered in `g.user`; None when nobody is logged in and local
    single-user mode does not apply. Database errors are raised."""
    engine = current().engine()
    user = None
    username = session.get("user")
    if username:
        record = find_user(engine, username)
        fingerprint = session.get("auth", "")
        if (
            record is not None
            and not record.disabled
            and isinstance(fingerprint, str)
            and hmac.compare_digest(fingerprint, password_fingerprint(record.password_hash))
        ):
            user = SessionUser(record.username, record.role)
        else:
            session.clear()  # the user was removed or disabled, or the password changed
    if user is None and local_mode_applies():
        user = LOCAL_OPERATOR
    g.user = user
    return user


def local_mode_applies() -> bool:
    """No user exists, the app listens on loopback only, and the request is from this machine."""
    return (
        state().loopback_bound
        and is_loopback(request.remote_addr)
        and not any(name in request.headers for name in PROXY_HEADERS)
        and count_users(current().engine()) == 0
    )


def password_fingerprint(password_hash: str) -> str:
    """Ties a session to the password it was opened with, revealing nothing about the hash."""
    key = str(current_app.secret_key).encode("utf-8")
    return hmac.new(key, password_hash.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def csrf_token() -> str:
    """This session's token for forms that change state (login, logout)."""
    if not isinstance(session.get("csrf"), str):
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def csrf_matches(submitted: str | None) -> bool:
    expected = session.get("csrf")
    return (
        isinstance(expected, str)
        and isinstance(submitted, str)
        and hmac.compare_digest(expected.encode("utf-8"), submitted.encode("utf-8"))
    )


def safe_next(target: str | None) -> str:
    """`target` if it is a path on this site, else "/": never a redirect to another host."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return "/"  # browsers read "/\\host" and "/\t/host" as another host
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path in NOT_NEXT:
        return "/"
    return target


def login() -> Response:
    if current().public:  # never reached: web/security.py answers 404 first
        return Response("Not found\n", status=404, mimetype="text/plain")
    lang = request_language(request.values.get("lang"))
    next_path = safe_next(request.values.get("next"))
    if request.method == "GET":
        if identify() is not None:
            return redirect(next_path)
        return _form(lang, next_path)
    if not csrf_matches(request.form.get("csrf_token")):
        return _form(lang, next_path, error=t("auth.bad_request.text", lang), status=400)
    username = (request.form.get("username") or "").strip().lower()[:64]
    password = request.form.get("password") or ""
    key = (username, request.remote_addr or "unknown")
    wait = state().throttle.wait(key)
    if wait > 0:
        log.warning("login throttled for %r from %s", username, key[1])
        minutes = max(1, math.ceil(wait / 60))
        response = _form(
            lang, next_path, username=username, status=429,
            error=t("login.throttled", lang, minutes=minutes),
        )  # fmt: skip
        response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return response
    record = _checked_user(username, password)
    if record is None:
        log.warning("failed login for %r from %s", username, key[1])
        state().throttle.fail(key)
        return _form(lang, next_path, username=username, error=t("login.failed", lang), status=401)
    state().throttle.succeed(key)
    session.clear()
    session.permanent = True
    session["user"] = record.username
    session["auth"] = password_fingerprint(record.password_hash)
    session["csrf"] = secrets.token_urlsafe(32)
    return redirect(next_path, code=303)


def _checked_user(username: str, password: str) -> UserRecord | None:
    """The active user whose password this is, or None; as slow for a name that does not exist
    or a disabled user as for a wrong password, so no answer tells which it was."""
    if not username or not password or len(password) > MAX_LENGTH:
        spend_verify_time(password[:MAX_LENGTH])
        return None
    record = find_user(current().engine(), username)
    if record is None:
        spend_verify_time(password)
        return None
    right = verify_password(record.password_hash, password)
    return record if right and not record.disabled else None


def _form(lang: str, next_path: str, **kwargs) -> Response:
    note = t("login.no_users", lang) if count_users(current().engine()) == 0 else None
    return login_page(lang, csrf_token(), next_path, note=note, **kwargs)


def logout() -> Response:
    if request.method != "POST":
        return Response(
            "use POST, with the form's token\n",
            status=405,
            mimetype="text/plain",
            headers={"Allow": "POST"},
        )
    lang = request_language(request.values.get("lang"))
    if not csrf_matches(request.form.get("csrf_token")):
        return message_page(lang, "auth.bad_request.title", "auth.bad_request.text", 400, "/")
    session.clear()
    return redirect(f"/login?lang={lang}", code=303)
