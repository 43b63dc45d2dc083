"""The public view's locks: read-only methods, no internal paths, security headers, rate limit,
and a database file that serving never changes."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from tests.dash_requests import page_request
from tests.databases import is_sqlite, sqlite_path, table_checksum
from web.security import LIMITER_KEY

WRITE_METHODS = ["POST", "PUT", "DELETE", "PATCH"]
PATHS = [
    "/",
    "/api/v1/observations",
    "/download/observations.csv",
    "/login",
    "/admin",
    "/healthz",
    "/api",
    "/_dash-layout",
    "/download/datapackage.zip",
]
PAGE_CALLBACK = page_request("/api")  # Dash's own page router, owned by each app


@pytest.fixture(autouse=True)
def _no_rate_limit_between_tests(public_app):
    public_app.server.extensions[LIMITER_KEY].reset()
    yield
    public_app.server.extensions[LIMITER_KEY].reset()


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", WRITE_METHODS + ["OPTIONS"])
def test_public_view_refuses_every_write_method(public_client, method, path):
    response = public_client.open(path, method=method, data=b"x=1")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"


def test_refusals_on_data_paths_are_json(public_client):
    response = public_client.delete("/api/v1/observations")
    assert response.get_json() == {"error": "the public view is read-only"}


def test_internal_view_also_refuses_writes_to_data_paths(internal_client):
    for method in WRITE_METHODS:
        response = internal_client.open("/api/v1/observations", method=method)
        assert response.status_code == 405
        assert response.get_json() == {"error": f"method {method} is not allowed here"}


def test_dash_callbacks_still_work_in_the_public_view(public_client):
    assert public_client.get("/").status_code == 200
    response = public_client.post("/_dash-update-component", json=PAGE_CALLBACK)
    assert response.status_code == 200
    assert "Data API and downloads" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/login", "/admin", "/etl", "/users", "/admin/users", "/login/", "/logout"]
)
def test_internal_paths_are_404_in_the_public_view(public_client, path):
    response = public_client.get(path)
    assert response.status_code == 404
    assert b"password" not in response.get_data().lower()


def test_head_is_answered(public_client):
    response = public_client.head("/api/v1/metrics")
    assert response.status_code == 200 and response.get_data() == b""


@pytest.mark.parametrize("client_name", ["public_client", "internal_client"])
@pytest.mark.parametrize(
    "path", ["/", "/api/v1/metrics", "/download/events.csv", "/healthz", "/api/v1/nothing"]
)
def test_security_headers_on_every_response(request, client_name, path):
    response = request.getfixturevalue(client_name).get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "connect-src 'self'" in csp
    assert "style-src 'self' 'unsafe-inline'" in csp
    assert "img-src 'self' data: blob:" in csp
    script_src = csp.split("script-src", 1)[1].split(";")[0]
    # public: Dash's inline scripts by hash only; internal: inline allowed, still one origin
    assert ("'unsafe-inline'" in script_src) == (client_name == "internal_client")
    assert "http" not in script_src
    assert "'unsafe-eval'" not in script_src  # no code compiled from strings, in either view
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_embed_paths_may_be_framed_anywhere(public_client):
    response = public_client.get("/embed/some-chart")
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers


def test_the_policy_allows_exactly_the_inline_scripts_of_the_page(public_client):
    page = public_client.get("/?lang=en").get_data(as_text=True)
    inline = re.findall(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", page, flags=re.S
    )
    assert inline, "Dash serves its renderer as an inline script"
    csp = public_client.get("/?lang=en").headers["Content-Security-Policy"]
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_rate_limit_answers_429_with_retry_after(public_client, internal_client, monkeypatch):
    monkeypatch.setenv("PUBLIC_RATE_LIMIT_PER_MINUTE", "3")
    statuses = [public_client.get("/api/v1/metrics").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = public_client.get("/download/events.csv")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "20"
    assert limited.get_json() == {"error": "too many requests from your address; wait and retry"}
    assert public_client.get("/healthz").status_code == 200  # pages are not limited
    other = public_client.get("/api/v1/metrics", environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert other.status_code == 200
    assert [internal_client.get("/api/v1/metrics").status_code for _ in range(5)] == [200] * 5


def _state(url: str) -> tuple[str, str]:
    """Every table's content, and on SQLite the file's very bytes."""
    raw = sqlite_path(url).read_bytes() if is_sqlite(url) else b""
    return table_checksum(url), hashlib.sha256(raw).hexdigest()


def test_serving_the_public_view_leaves_the_database_unchanged(public_client, loaded_db):
    before = _state(loaded_db)
    for url in (
        "/",
        "/api",
        "/api/v1/metrics",
        "/api/v1/observations?headline_only=false",
        "/download/observations.csv",
        "/download/datapackage.zip",
        "/healthz",
        "/api/v1/observations?metric=%27%3B%20drop%20table%20observations%3B--",
    ):
        public_client.get(url)
    for method in WRITE_METHODS:
        public_client.open("/api/v1/observations", method=method, data=b"x=1")
    public_client.post("/_dash-update-component", json=PAGE_CALLBACK)
    assert _state(loaded_db) == before


@pytest.mark.parametrize("proxies", ["0", "1"])
def test_behind_a_trusted_proxy_the_rate_limit_counts_each_visitor(loaded_db, monkeypatch, proxies):
    """Behind nginx every request comes from the proxy's address: with TRUSTED_PROXIES=1 the
    limit counts the visitor's address the proxy forwards; with 0 the header is not believed
    (anyone could send it), so a forged one does not escape the limit."""
    from app import create_app

    monkeypatch.setenv("TRUSTED_PROXIES", proxies)
    monkeypatch.setenv("PUBLIC_RATE_LIMIT_PER_MINUTE", "2")
    client = create_app(public=True, database_url=loaded_db).server.test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    def get(visitor: str) -> int:
        headers = {"X-Forwarded-For": visitor, "X-Forwarded-Proto": "https"}
        return client.get("/api/v1/metrics", headers=headers, environ_base=proxy).status_code

    assert [get("203.0.113.5") for _ in range(3)] == [200, 200, 429]
    assert get("198.51.100.7") == (200 if proxies == "1" else 429)
