"""The public view's callback answers are cached as plain JSON: per request body, language and
database load; shared by gunicorn workers through Redis when CACHE_REDIS_URL is set."""

from __future__ import annotations

import concurrent.futures
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
def test_two_gunicorn_workers_share_cached_callbacks_through_redis(loaded_db, tmp_path):
    """One worker computes the overview; the other serves it from Redis (the access log names
    the worker's process id beside each answer's X-Cache)."""
    from web.rediscache import RedisResponseCache

    RedisResponseCache(REDIS_URL).clear()
    access_log = tmp_path / "access.log"
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
            str(access_log),
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
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"

    def ask(_: object = None) -> tuple[str, bytes]:
        request = urllib.request.Request(
            base + CALLBACK,
            data=OVERVIEW,
            headers={"Content-Type": "application/json", "Accept-Language": "ko"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.headers["X-Cache"], answer.read()

    def served() -> list[tuple[str, str]]:
        text = access_log.read_text() if access_log.exists() else ""
        return re.findall(r"^<(\d+)> /_dash-update-component (hit|miss)$", text, re.MULTILINE)

    def other_worker_served() -> bool:
        log = served()
        computed = {pid for pid, cache in log if cache == "miss"}
        return bool({pid for pid, cache in log if cache == "hit"} - computed)

    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).close()
                break
            except OSError:
                time.sleep(0.5)
        answers = [ask()]  # computed by one worker
        # then several at once, until the other worker has answered some: the kernel hands
        # each connection to whichever worker accepts first
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            for _ in range(25):
                answers += list(pool.map(ask, range(8)))
                time.sleep(0.2)  # the access log is written after each answer
                if other_worker_served():
                    break
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert [a[0] for a in answers] == ["miss"] + ["hit"] * (len(answers) - 1)
    assert len({a[1] for a in answers}) == 1
    log = served()
    assert len(log) == len(answers)
    assert len({pid for pid, cache in log if cache == "miss"}) == 1
    assert other_worker_served(), "every answer came from the worker that computed it"
    RedisResponseCache(REDIS_URL).clear()
