"""The internal view's login: local single-user mode while no user exists, then a login for
every page, callback, API route and download; roles, CSRF, the throttle, cookies, logout, the
`etl users` command line and the refusal to serve a user-less internal view beyond loopback."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from tests.conftest import ROOT, sqlite_url
from tests.dash_requests import page_request
from tests.databases import copy_database, new_database

ANALYST = ("alice", "correct horse battery")
ADMIN = ("root", "staple battery horse 42")
COOKIE = "dashboard_session"
BANNER_EN = "Local single-user mode: no users exist, so login is off."
BANNER_KO = "로컬 단일 사용자 모드: 사용자가 없어 로그인이 꺼져 있습니다."


def navbar(app, client=None, path: str = "/", search: str = "?lang=en", **environ) -> str:
    """The navbar a request with `client`'s session cookie gets, as text. (Called directly:
    Dash hands the shell's callbacks to whichever app in this process is served first.)"""
    from plotly.utils import PlotlyJSONEncoder

    from dashboards._shared.shell import render_navbar

    cookie = client.get_cookie(COOKIE) if client is not None else None
    headers = {"Cookie": f"{COOKIE}={cookie.value}"} if cookie else {}
    server = app.server
    with server.test_request_context(
        "/_dash-update-component",
        method="POST",
        headers=headers,
        environ_base={"REMOTE_ADDR": "127.0.0.1", **environ},
    ):
        assert server.preprocess_request() is None  # the login check lets it through
        return json.dumps(render_navbar(path, search), cls=PlotlyJSONEncoder, ensure_ascii=False)


def call(client, payload: dict) -> str:
    """A Dash callback's answer as text, non-ASCII kept readable."""
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200, response.status_code
    return json.dumps(response.get_json(), ensure_ascii=False)


def run_users(db: str, *args: str, stdin: str = "") -> tuple[int, str, str]:
    """`python -m etl users ARGS` on `db`, in this process: (exit code, stdout, stderr)."""
    from etl.cli import main

    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch.dict(os.environ, {"DATABASE_URL": db}),
        mock.patch.object(sys, "stdin", io.StringIO(stdin)),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = main(["users", *args])
        except SystemExit as exit_:  # argparse's refusals
            code = exit_.code
    return code, out.getvalue(), err.getvalue()


def run_users_process(db: str, *args: str, stdin: str = "") -> tuple[int, str, str]:
    """The same as a script runs it: `python -m etl users ARGS` in a new process."""
    result = subprocess.run(
        [sys.executable, "-m", "etl", "users", *args],
        input=stdin,
        env={**os.environ, "DATABASE_URL": db},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stdout, result.stderr


@pytest.fixture(scope="module")
def users_db(loaded_db: str, tmp_path_factory) -> str:
    """A copy of the loaded database with an analyst and an admin, added by the command line."""
    url = copy_database(loaded_db, tmp_path_factory.mktemp("auth"), "users")
    for (name, password), role in ((ANALYST, "analyst"), (ADMIN, "admin")):
        code, _, err = run_users_process(
            url, "add", name, "--role", role, "--password-stdin", stdin=password + "\n"
        )
        assert code == 0, err
    return url


@pytest.fixture(scope="module")
def auth_app(users_db: str):
    from app import create_app

    return create_app(public=False, database_url=users_db, host="127.0.0.1")


@pytest.fixture
def client(auth_app):
    """A browser with no session yet, and no failed login counted against it."""
    from web.auth import AUTH_KEY

    auth_app.server.extensions[AUTH_KEY].throttle.reset()
    return auth_app.server.test_client()


def csrf_of(response) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))[1]


def log_in(client, user=ANALYST, next_path: str | None = None, lang: str = "en"):
    form_page = client.get(f"/login?lang={lang}")
    data = {
        "username": user[0],
        "password": user[1],
        "csrf_token": csrf_of(form_page),
        "lang": lang,
    }
    if next_path is not None:
        data["next"] = next_path
    return client.post("/login", data=data)


def session_user(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("user")


# --- local single-user mode: no user, loopback only -------------------------------------------


def test_local_mode_serves_every_page_route_and_download_without_login(internal_client):
    for path in (
        "/",
        "/police?lang=en",
        "/explorer",
        "/admin",
        "/api/v1/metrics",
        "/download/events.csv",
        "/_dash-layout",
        "/_dash-dependencies",
    ):
        assert internal_client.get(path).status_code == 200, path
    assert "Sexual-deepfake" in call(internal_client, page_request("/police"))


@pytest.mark.parametrize("lang, banner", [("en", BANNER_EN), ("ko", BANNER_KO)])
def test_local_mode_shows_its_banner_in_the_navbar_of_every_page(internal_app, lang, banner):
    for path in ("/", "/police", "/explorer", "/admin"):
        text = navbar(internal_app, path=path, search=f"?lang={lang}")
        assert banner in text and "python -m etl users add" in text
        assert "local-mode-banner" in text and "logout-button" not in text


def test_local_mode_operator_may_open_the_admin_page(internal_app, internal_client):
    text = call(internal_client, page_request("/admin"))
    assert "Recent ETL runs" in text and "published_figures.csv" in text
    assert "/admin?lang=en" in navbar(internal_app)


@pytest.mark.parametrize(
    "environ, headers",
    [
        ({"REMOTE_ADDR": "192.0.2.10"}, {}),
        ({}, {"X-Forwarded-For": "198.51.100.7"}),
        ({}, {"Forwarded": "for=198.51.100.7"}),
    ],
)
def test_local_mode_is_only_for_requests_from_this_machine(internal_client, environ, headers):
    response = internal_client.get("/", environ_base=environ, headers=headers)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert (
        internal_client.get("/api/v1/metrics", environ_base=environ, headers=headers).status_code
        == 401
    )


def test_without_users_an_app_bound_beyond_loopback_asks_for_a_login_it_cannot_give(loaded_db):
    from app import create_app

    app = create_app(public=False, database_url=loaded_db, host="0.0.0.0")
    client = app.server.test_client()
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/observations").status_code == 401
    page = client.get("/login?lang=en").get_data(as_text=True)
    assert "No user exists yet" in page and "python -m etl users add NAME --role admin" in page


def test_the_app_refuses_to_start_beyond_loopback_without_users(loaded_db, users_db):
    from web.auth import startup_problem

    problem = startup_problem(False, "0.0.0.0", loaded_db)
    assert problem.startswith("refusing to serve the internal view on 0.0.0.0: no user exists")
    assert "python -m etl users add NAME --role admin" in problem
    assert startup_problem(False, "127.0.0.1", loaded_db) is None
    assert startup_problem(False, "::1", loaded_db) is None
    assert startup_problem(False, "localhost", loaded_db) is None
    assert startup_problem(True, "0.0.0.0", loaded_db) is None  # the public view has no login
    assert startup_problem(False, "0.0.0.0", users_db) is None


def test_python_app_py_exits_with_the_message_beyond_loopback_without_users(loaded_db):
    result = subprocess.run(
        [sys.executable, "app.py", "--host", "0.0.0.0", "--port", "1"],
        env={**os.environ, "DATABASE_URL": loaded_db},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "refusing to serve the internal view on 0.0.0.0: no user exists" in result.stderr


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("127.0.1.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("example.org", False),
        ("", False),
    ],
)
def test_loopback_addresses(host, loopback):
    from web.auth import is_loopback

    assert is_loopback(host) is loopback


# --- with users: everything but health and the login page needs a login -----------------------


@pytest.mark.parametrize(
    "path, location",
    [
        ("/", "/login"),
        ("/police?lang=en", "/login?next=%2Fpolice%3Flang%3Den&lang=en"),
        ("/explorer?metric=x&page=2", "/login?next=%2Fexplorer%3Fmetric%3Dx%26page%3D2"),
        ("/admin", "/login?next=%2Fadmin"),
        ("/embed/police-cases", "/login?next=%2Fembed%2Fpolice-cases"),
    ],
)
def test_a_browser_without_session_is_sent_to_login(client, path, location):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == location


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/v1/metrics"),
        ("GET", "/api/v1/observations?metric=x"),
        ("GET", "/api/v1/nothing"),
        ("GET", "/download/events.csv"),
        ("GET", "/download/datapackage.zip"),
        ("GET", "/_dash-layout"),
        ("GET", "/_dash-dependencies"),
        ("POST", "/_dash-update-component"),
        ("POST", "/somewhere"),
    ],
)
def test_scripts_without_session_get_401_json(client, method, path):
    response = client.open(path, method=method, json=page_request("/police"))
    assert response.status_code == 401
    assert response.get_json() == {"error": "login required: sign in at /login"}
    assert response.headers["Cache-Control"] == "no-store"


def test_health_login_page_and_its_static_files_are_open(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/login").status_code == 200
    css = client.get("/assets/01-bootstrap-5.3.9.min.css")
    assert css.status_code == 200 and b"Bootstrap" in css.get_data()
    suite = client.get("/_dash-component-suites/dash/dash-renderer/build/dash_renderer.min.js")
    assert suite.status_code not in (302, 401)


@pytest.mark.parametrize(
    "query, accept, lang, words",
    [
        ("?lang=en", None, "en", ("User name", "Password", "Log in")),
        ("", "en-US,en;q=0.9", "en", ("User name", "Password", "Log in")),
        ("", None, "ko", ("사용자 이름", "비밀번호", "로그인")),
        ("?lang=ko", "en-US", "ko", ("사용자 이름", "비밀번호", "로그인")),
    ],
)
def test_login_page_language_labels_and_no_external_resources(client, query, accept, lang, words):
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get("/login" + query, headers=headers)
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    for word in words:
        assert word in page
    assert '<label for="login-username"' in page and 'id="login-username"' in page
    assert '<label for="login-password"' in page and 'type="password"' in page
    assert re.findall(r'(?:src|href)="(?!/)', page) == []  # every resource from this site
    assert "<script" not in page
    assert response.headers["Cache-Control"] == "no-store"
    assert "No user exists" not in page


def test_wrong_password_shows_an_error_and_opens_no_session(client):
    response = log_in(client, (ANALYST[0], "not the password"))
    assert response.status_code == 401
    assert "Wrong user name or password." in response.get_data(as_text=True)
    assert session_user(client) is None
    assert client.get("/").status_code == 302


def test_a_failed_login_does_not_tell_whether_the_user_exists(client):
    def attempt(name: str) -> tuple[int, str]:
        response = log_in(client, (name, "not the password"))
        body = response.get_data(as_text=True).replace(f'value="{name}"', 'value="?"')
        return response.status_code, body

    assert attempt("alice") == attempt("nobody-here")


def test_a_disabled_user_cannot_log_in_and_is_told_the_same(users_db, client):
    assert run_users(users_db, "disable", "alice")[0] == 0
    try:
        response = log_in(client)
        assert response.status_code == 401
        assert "Wrong user name or password." in response.get_data(as_text=True)
    finally:
        assert run_users(users_db, "enable", "alice")[0] == 0
    assert log_in(client).status_code == 303


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_login_without_the_csrf_token_is_400(client, token):
    client.get("/login")
    data = {"username": ANALYST[0], "password": ANALYST[1]}
    if token is not None:
        data["csrf_token"] = token
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert session_user(client) is None


def test_a_token_from_another_session_is_refused(auth_app, client):
    other = auth_app.server.test_client()
    token = csrf_of(other.get("/login"))
    client.get("/login")
    response = client.post(
        "/login", data={"username": ANALYST[0], "password": ANALYST[1], "csrf_token": token}
    )
    assert response.status_code == 400


def test_five_failures_throttle_that_name_from_that_address(client, auth_app):
    for _ in range(5):
        assert log_in(client, (ANALYST[0], "not the password")).status_code == 401
    throttled = log_in(client)  # even the right password
    assert throttled.status_code == 429
    assert "Too many failed logins. Try again in 15 minutes." in throttled.get_data(as_text=True)
    assert 890 <= int(throttled.headers["Retry-After"]) <= 900
    assert session_user(client) is None
    assert log_in(client, ADMIN).status_code == 303  # another name from the same address
    elsewhere = auth_app.server.test_client()
    page = elsewhere.get("/login", environ_base={"REMOTE_ADDR": "192.0.2.20"})
    response = elsewhere.post(
        "/login",
        data={"username": ANALYST[0], "password": ANALYST[1], "csrf_token": csrf_of(page)},
        environ_base={"REMOTE_ADDR": "192.0.2.20"},
    )
    assert response.status_code == 303


def test_throttle_window_slides():
    from web.throttle import LoginThrottle

    now = [1000.0]
    throttle = LoginThrottle(max_failures=2, window_seconds=60, clock=lambda: now[0])
    key = ("alice", "127.0.0.1")
    throttle.fail(key)
    now[0] += 30
    throttle.fail(key)
    assert throttle.wait(key) == 30.0
    now[0] += 30
    assert throttle.wait(key) == 0.0  # the first failure left the window
    throttle.fail(key)
    assert throttle.wait(key) == 30.0
    throttle.succeed(key)
    assert throttle.wait(key) == 0.0


def test_after_login_pages_callbacks_api_and_downloads_work(auth_app, client):
    response = log_in(client, next_path="/police?lang=en")
    assert response.status_code == 303 and response.headers["Location"] == "/police?lang=en"
    assert session_user(client) == "alice"
    for path in (
        "/",
        "/police?lang=en",
        "/api/v1/metrics",
        "/download/events.csv",
        "/_dash-layout",
    ):
        assert client.get(path).status_code == 200, path
    assert "Data explorer" in call(client, page_request("/explorer"))
    bar = navbar(auth_app, client)
    assert "Signed in as alice (analyst)" in bar and "logout-button" in bar
    with client.session_transaction() as session:
        assert f'"value": "{session["csrf"]}"' in bar  # the logout form's token
    assert BANNER_EN not in bar
    assert "/admin" not in bar  # the admin page is not offered to an analyst


def test_analysts_see_unverified_rows(client):
    log_in(client)
    rows = client.get("/api/v1/observations?limit=1000").get_json()["data"]
    assert any(r["is_unverified"] for r in rows)


def test_an_analyst_gets_403_on_the_admin_page(client):
    log_in(client)
    response = client.get("/admin?lang=en")
    assert response.status_code == 403
    text = response.get_data(as_text=True)
    assert '<html lang="en">' in text and "This page is only for users with the admin role." in text
    assert client.get("/admin/anything").status_code == 403
    routed = call(client, page_request("/admin"))
    assert "Recent ETL runs" not in routed and "only for users with the admin role" in routed


def test_an_admin_sees_the_runs_and_the_admin_link(auth_app, client):
    log_in(client, ADMIN)
    assert client.get("/admin").status_code == 200
    text = call(client, page_request("/admin"))
    assert "Recent ETL runs" in text and "Rejected rows" in text
    for name in ("published_figures.csv", "events.csv", "metrics.csv"):
        assert name in text
    assert "admin-runs" in text and "admin-rejected-empty" in text
    assert "No rejected rows" in text  # the shipped data loads cleanly
    bar = navbar(auth_app, client)
    assert "Signed in as root (admin)" in bar and "/admin?lang=en" in bar
    assert "관리자" in navbar(auth_app, client, search="?lang=ko")


def test_logout_needs_post_and_its_token_and_clears_the_session(client):
    log_in(client)
    refused = client.get("/logout")
    assert refused.status_code == 405 and refused.headers["Allow"] == "POST"
    assert client.post("/logout").status_code == 400
    assert session_user(client) == "alice"
    with client.session_transaction() as session:
        token = session["csrf"]
    response = client.post("/logout?lang=en", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == "/login?lang=en"
    cookie = SimpleCookie(response.headers["Set-Cookie"])[COOKIE]
    assert cookie.value == "" and "1970" in cookie["expires"]
    assert session_user(client) is None
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/metrics").status_code == 401


def test_the_session_cookie_flags(client):
    cookie = log_in(client).headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    assert "Secure" not in cookie


def test_the_cookie_is_secure_with_https(users_db, monkeypatch):
    from app import create_app

    monkeypatch.setenv("HTTPS", "1")
    app = create_app(public=False, database_url=users_db, host="127.0.0.1")
    cookie = log_in(app.server.test_client()).headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_session_ends_after_its_lifetime(users_db, monkeypatch):
    from app import create_app

    monkeypatch.setenv("SESSION_LIFETIME_MINUTES", "480")
    app = create_app(public=False, database_url=users_db, host="127.0.0.1")
    client = app.server.test_client()
    log_in(client)
    assert client.get("/").status_code == 200
    import datetime as dt

    app.server.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(seconds=1)
    time.sleep(2.1)
    assert client.get("/").status_code == 302


def test_a_session_signed_with_another_key_is_ignored(users_db, monkeypatch):
    from app import create_app

    monkeypatch.setenv("SECRET_KEY", "one key that is long enough for the test suite")
    first = create_app(public=False, database_url=users_db, host="127.0.0.1").server
    client = first.test_client()
    log_in(client)
    cookie = client.get_cookie(COOKIE).value
    monkeypatch.setenv("SECRET_KEY", "another key that is long enough for the tests")
    second = create_app(public=False, database_url=users_db, host="127.0.0.1").server
    stranger = second.test_client()
    stranger.set_cookie(COOKIE, cookie)
    assert stranger.get("/").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https:evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/login",
        "/logout",
    ],
)
def test_next_never_leads_elsewhere(client, target):
    response = log_in(client, next_path=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/", "/police?lang=en", "/explorer?metric=a&from=2020"])
def test_next_keeps_local_paths(target):
    from web.auth import safe_next

    assert safe_next(target) == target


def test_the_login_form_carries_next_through(client):
    page = client.get("/login?next=%2Fpolice%3Flang%3Den&lang=en").get_data(as_text=True)
    assert '<input type="hidden" name="next" value="/police?lang=en">' in page
    evil = client.get("/login?next=https://evil.example").get_data(as_text=True)
    assert '<input type="hidden" name="next" value="/">' in evil


def test_a_logged_in_visit_to_login_goes_on_to_next(client):
    log_in(client)
    response = client.get("/login?next=/police")
    assert response.status_code == 302 and response.headers["Location"] == "/police"


@pytest.mark.parametrize(
    "change", [("set-password", "alice"), ("disable", "alice"), ("remove", "alice")]
)
def test_a_new_password_disabling_or_removal_ends_the_session(users_db, client, change):
    log_in(client)
    assert client.get("/").status_code == 200
    stdin = "a brand new password 7\n" if change[0] == "set-password" else ""
    code, _, err = run_users(
        users_db, *change, *(["--password-stdin"] if stdin else []), stdin=stdin
    )
    assert code == 0, err
    try:
        assert client.get("/").status_code == 302
        assert session_user(client) is None
    finally:  # put alice back as she was
        if change[0] == "disable":
            run_users(users_db, "enable", "alice")
        else:
            run_users(users_db, "remove", "alice")
            run_users(
                users_db,
                "add",
                "alice",
                "--role",
                "analyst",
                "--password-stdin",
                stdin=ANALYST[1] + "\n",
            )


def test_public_view_has_no_login_and_no_admin_page(public_app, public_client):
    assert public_client.get("/").status_code == 200
    assert public_client.get("/admin").status_code == 404
    assert public_client.get("/login").status_code == 404
    text = call(public_client, page_request("/admin"))
    assert "Recent ETL runs" not in text and "Page not found." in text
    text = navbar(public_app)
    assert "/admin" not in text and "logout" not in text.lower() and BANNER_EN not in text
    assert public_client.get_cookie(COOKIE) is None


# --- the users command line and the stored hash -----------------------------------------------


@pytest.fixture
def cli_db(tmp_path) -> str:
    return new_database(tmp_path, "cli")


def test_users_add_list_set_password_remove(cli_db):
    from db.engine import make_engine
    from db.passwords import verify_password
    from db.schema import Base

    User = Base.metadata.tables["users"]  # declared with the other tables

    code, out, err = run_users(cli_db, "list")
    assert (code, out.strip()) == (
        0,
        "no users: the internal view runs in local single-user mode on 127.0.0.1",
    )
    code, out, err = run_users(
        cli_db, "add", "Carol", "--role", "admin", "--password-stdin", stdin="first password 123\n"
    )
    assert (code, out, err) == (0, "added user 'carol' (admin)\n", "")
    code, out, _ = run_users(cli_db, "list")
    assert re.fullmatch(r"carol\s+admin\s+active\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n", out)
    engine = make_engine(cli_db)
    with engine.connect() as connection:
        stored = connection.execute(select(User.c.password_hash)).scalar_one()
    assert stored != "first password 123" and "first password 123" not in stored
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(stored, "first password 123")
    assert not verify_password(stored, "first password 124")
    assert "argon2" not in run_users(cli_db, "list", "--json")[1]

    code, out, _ = run_users(
        cli_db, "set-password", "carol", "--password-stdin", stdin="second password 456\n"
    )
    assert code == 0 and "new password set for 'carol'" in out
    with engine.connect() as connection:
        changed = connection.execute(select(User.c.password_hash)).scalar_one()
    assert changed != stored and verify_password(changed, "second password 456")
    assert not verify_password(changed, "first password 123")

    assert run_users(cli_db, "remove", "carol")[:2] == (0, "removed user 'carol'\n")
    assert run_users(cli_db, "list", "--json")[1].strip() == "[]"
    engine.dispose()


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (
            ("add", "dave", "--role", "boss", "--password-stdin"),
            "long enough password\n",
            "invalid choice: 'boss'",
        ),
        (
            ("add", "dave", "--role", "analyst", "--password-stdin"),
            "short\n",
            "error: the password needs at least 12 characters",
        ),
        (
            ("add", "dave.from.seoul", "--role", "analyst", "--password-stdin"),
            "Dave.From.Seoul\n",
            "error: the password must not be the user name",
        ),
        (
            ("add", "bad name", "--role", "analyst", "--password-stdin"),
            "long enough password\n",
            "error: 'bad name' is not a valid user name",
        ),
        (
            ("add", "dave", "--role", "analyst", "--password-stdin"),
            "\n",
            "error: no password on standard input",
        ),
        (
            ("set-password", "nobody", "--password-stdin"),
            "long enough password\n",
            "error: no user 'nobody'",
        ),
        (("remove", "nobody"), "", "error: no user 'nobody'"),
        (("disable", "nobody"), "", "error: no user 'nobody'"),
    ],
)
def test_users_command_refusals(cli_db, args, stdin, message):
    code, _, err = run_users(cli_db, *args, stdin=stdin)
    assert code != 0 and message in err


def test_a_name_is_added_once(cli_db):
    args = ("add", "erin", "--role", "analyst", "--password-stdin")
    assert run_users(cli_db, *args, stdin="long enough password\n")[0] == 0
    code, _, err = run_users(cli_db, *args[:1], "ERIN", *args[2:], stdin="long enough pass 2\n")
    assert code == 1 and err == "error: user 'erin' already exists\n"


def test_the_password_is_asked_twice_at_the_terminal(cli_db, monkeypatch, capsys):
    from etl.cli import main

    monkeypatch.setenv("DATABASE_URL", cli_db)
    answers = iter(["typed password 1", "typed password 2"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["users", "add", "frank", "--role", "analyst"]) == 1
    assert "the two passwords differ; nothing was changed" in capsys.readouterr().err
    answers = iter(["typed password 1", "typed password 1"])
    assert main(["users", "add", "frank", "--role", "analyst"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["users", "list", "--json"]) == 0
    assert '"username": "frank"' in capsys.readouterr().out


@pytest.mark.sqlite_only
def test_a_database_from_before_the_users_table_counts_no_users(tmp_path):
    import sqlite3

    from db.engine import make_engine
    from db.queries.users import count_users, find_user

    path = tmp_path / "old.db"
    sqlite3.connect(path).execute("create table etl_runs (run_id integer primary key)").close()
    engine = make_engine(sqlite_url(path), readonly=True)
    assert count_users(engine) == 0 and find_user(engine, "alice") is None
    engine.dispose()


def test_login_redirect_keeps_the_language_of_the_page(client):
    location = client.get("/victims?lang=ko").headers["Location"]
    assert parse_qs(urlsplit(location).query) == {"next": ["/victims?lang=ko"], "lang": ["ko"]}
    assert Path(urlsplit(location).path).name == "login"
