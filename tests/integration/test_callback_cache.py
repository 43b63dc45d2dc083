"""The public view's callback answers are cached as plain JSON: per request body, language and
database load; shared by gunicorn workers through Redis when CACHE_REDIS_URL is set."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.integration.test_leakage import page_request
from tests.integration.test_serving import REDIS_URL, _free_port, needs_redis

ROOT = Path(__file__).resolve().parents[2]
CALLBACK = "/_dash-update-component"
OVERVIEW = json.dumps(page_request("/", "")).encode("utf-8")


def post(client, body: bytes, language: str = "ko"):
    return client.post(
        CALLBACK,
        data=body,
        content_type="application/json",
        headers={"Accept-Language": language},
    )


def test_a_public_callback_is_answered_from_the_cache_the_second_time(public_app):
    client = public_app.server.test_client()
    public_app.server.extensions["callback_response_cache"].clear()
    first = post(client, OVERVIEW)
    second = post(client, OVERVIEW)
    assert first.status_code == second.status_code == 200
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert second.get_data() == first.get_data()
    assert "figure" in second.get_data(as_text=True)


def test_the_language_a_browser_asks_for_is_part_of_the_key(public_app):
    client = public_app.server.test_client()
    public_app.server.extensions["callback_response_cache"].clear()
    korean = post(client, OVERVIEW, "ko")
    english = post(client, OVERVIEW, "en-GB,en;q=0.9")
    assert (korean.headers["X-Cache"], english.headers["X-Cache"]) == ("miss", "miss")
    assert korean.get_data() != english.get_data()


def test_errors_and_the_internal_view_are_never_cached(public_app, internal_app):
    client = public_app.server.test_client()
    cache = public_app.server.extensions["callback_response_cache"]
    cache.clear()
    for _ in range(2):
        bad = post(client, b'{"output": "no-such.children", "inputs": []}')
        assert bad.status_code >= 400 and bad.headers.get("X-Cache") != "hit"
    assert len(cache) == 0
    assert "callback_response_cache" not in internal_app.server.extensions


@needs_redis
def test_two_gunicorn_workers_share_cached_callbacks_through_redis(loaded_db):
    """One worker computes the overview; the other serves it from Redis (the access log names
    the worker's process id beside each answer's X-Cache)."""
    from web.rediscache import RedisResponseCache

    RedisResponseCache(REDIS_URL).clear()
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
            "--access-logfile",
            "-",
            "--access-logformat",
            "%(p)s %(U)s %({x-cache}o)s",
            "wsgi:server",
        ],  # fmt: skip
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": loaded_db,
            "DASHBOARD_PUBLIC": "1",
            "CACHE_REDIS_URL": REDIS_URL,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).close()
                break
            except OSError:
                time.sleep(0.5)
        answers = []
        for _ in range(40):
            request = urllib.request.Request(
                base + CALLBACK,
                data=OVERVIEW,
                headers={"Content-Type": "application/json", "Accept-Language": "ko"},
            )
            with urllib.request.urlopen(request, timeout=30) as answer:
                answers.append((answer.headers["X-Cache"], answer.read()))
    finally:
        process.terminate()
        log, _ = process.communicate(timeout=20)
    assert [a[0] for a in answers] == ["miss"] + ["hit"] * 39
    assert len({a[1] for a in answers}) == 1
    served = re.findall(r"^<(\d+)> /_dash-update-component (hit|miss)$", log, re.MULTILINE)
    assert len(served) == 40, log[-2000:]
    computed_by = {pid for pid, cache in served if cache == "miss"}
    from_cache_by = {pid for pid, cache in served if cache == "hit"}
    assert len(computed_by) == 1
    assert from_cache_by - computed_by, "every answer came from the worker that computed it"
    RedisResponseCache(REDIS_URL).clear()
