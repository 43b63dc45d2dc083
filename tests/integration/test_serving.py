"""The grown deployment: gunicorn workers, compressed responses, long-lived static assets,
and the response cache in Redis shared by every worker."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT
from web.httpcache import Payload
from web.rediscache import RedisResponseCache, decode, encode

REDIS_URL = os.environ.get("TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="set TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15) to run Redis tests"
)


def test_responses_are_compressed_and_assets_cached_for_a_year(public_client):
    layout = public_client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert layout.headers["Content-Encoding"] == "gzip"
    css = public_client.get("/assets/02-app.css?m=1")
    assert css.headers["Cache-Control"] == "public, max-age=31536000"


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/dash/dash_table/async-table.js",  # fetched by the table itself
        "/assets/02-app.css?m=1",
    ],
)
def test_a_static_file_the_browser_holds_gzipped_is_answered_304(public_client, path):
    """Static files go out gzipped under their own tag: asking again with that tag (as the
    browser does for a file without a lifetime, such as the table's on-demand chunk) gets 304
    and no body, not the whole file again."""
    gzip = {"Accept-Encoding": "gzip"}
    first = public_client.get(path, headers=gzip)
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "gzip"
    tag = first.headers["ETag"]
    assert tag.endswith('-gzip"')
    again = public_client.get(path, headers={**gzip, "If-None-Match": tag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == tag
    changed = public_client.get(path, headers={**gzip, "If-None-Match": '"another-gzip"'})
    assert changed.status_code == 200 and changed.get_data() == first.get_data()


def test_cached_payloads_are_stored_as_plain_json():
    payload = Payload.build(b"metric,value\r\nx,1\r\n", "text/csv", {"X-Rows": "1"})
    text = encode(payload)
    assert text.startswith("{") and "pickle" not in text
    assert decode(text) == payload


@needs_redis
def test_two_workers_share_the_redis_cache(monkeypatch, loaded_db):
    from app import create_app

    monkeypatch.setenv("CACHE_REDIS_URL", REDIS_URL)
    first = create_app(public=True, database_url=loaded_db)
    second = create_app(public=True, database_url=loaded_db)
    cache = first.server.extensions["api_response_cache"]
    assert isinstance(cache, RedisResponseCache)
    cache.clear()
    answer = first.server.test_client().get("/api/v1/metrics")
    assert answer.status_code == 200 and len(cache) == 1
    again = second.server.test_client().get(
        "/api/v1/metrics", headers={"If-None-Match": answer.headers["ETag"]}
    )
    assert again.status_code == 304
    cache.clear()


def test_an_unreachable_redis_only_turns_sharing_off():
    """Each process still keeps what it built itself; other workers build their own."""
    cache = RedisResponseCache("redis://127.0.0.1:1/0")
    payload = Payload.build(b"{}", "application/json")
    assert cache.put(("k",), payload) is payload and cache.get(("k",)) is payload
    assert RedisResponseCache("redis://127.0.0.1:1/0").get(("k",)) is None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_the_app_with_several_workers(loaded_db):
    port = _free_port()
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    process = subprocess.Popen(
        [
            gunicorn,
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "wsgi:server",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": loaded_db, "DASHBOARD_PUBLIC": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        body = None
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = r.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert body is not None and '"public":true' in body and '"observations":527' in body
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=20)
    assert errors.count("Booting worker") == 2


def test_a_worker_sets_what_start_up_built_aside_from_the_garbage_collector(loaded_db):
    """wsgi.py freezes the start-up heap, so a full collection in a request walks only what
    was built since, not every module and page (~150,000 objects, 60-100 ms)."""
    code = "import gc, wsgi\nprint(gc.get_freeze_count(), len(gc.get_objects()))\n"
    env = {**os.environ, "DATABASE_URL": loaded_db, "DASHBOARD_PUBLIC": "1"}
    finished = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    frozen, still_walked = (int(n) for n in finished.stdout.split())
    assert frozen > 100_000 and still_walked < 1_000
