"""Stress: a bounded loopback load on the public view under gunicorn. Clients (people) each walk
a mix of page loads, clicks that run callbacks, API calls and downloads, pausing to read between
actions; prints requests/s, p50 and p99 latency and every error grouped by route.

    python bench/stress.py [--clients 50] [--seconds 60] [--workers 2] [--quick]

An error is any answer but 2xx and 304, a connection error or a timeout. The check: zero errors
and p99 at most 1 s for 50 clients over 60 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import _load, _serve, _visits  # noqa: E402
from bench._report import Figure, report  # noqa: E402

# (path, weight): where people land and go, the overview most often
PAGES = (
    ("/", 30), ("/police", 12), ("/takedowns", 10), ("/victims", 10), ("/schools", 8),
    ("/explorer", 10), ("/about", 5), ("/requests/volume", 5), ("/requests/scorecard", 5),
    ("/api", 5),
)  # fmt: skip
CHART_PAGES = ("/", "/police", "/takedowns", "/victims", "/schools")
# (kind, weight) of one action of a person
ACTIONS = (
    ("page load", 50),
    ("switch events off", 10),
    ("explorer filter", 8),
    ("chart CSV button", 7),
    ("API call", 15),
    ("download", 10),
)
LANGUAGE_WEIGHTS = (("ko", 70), ("en", 30))
API_CALLS = (
    "/api/v1/observations?metric={metric}",
    "/api/v1/observations?metric={metric}&format=csv",
    "/api/v1/observations",
    "/api/v1/metrics",
    "/api/v1/sources",
    "/api/v1/events",
    "/api/v1/requests/monthly",
    "/api/v1/requests/monthly?format=csv",
)
DOWNLOADS = (
    "/download/observations.csv",
    "/download/observations.csv?metric={metric}",
    "/download/metrics.csv",
    "/download/sources.csv",
    "/download/events.csv",
    "/download/datapackage.zip",
)
POPULAR_METRICS = 8  # filters and API calls pick among the first metrics of the registry
THINK_SECONDS = (1.0, 4.0)
RATE_LIMIT_MARGIN = 4
P99_LIMIT_MS = 1000


@dataclass
class Action:
    kind: str
    requests: list[_load.Request]


def _pick(rng: random.Random, weighted) -> str:
    names, weights = zip(*weighted)
    return rng.choices(names, weights=weights)[0]


def _route(path: str) -> str:
    return "GET " + path.split("?", 1)[0]


class Mix:
    """Actions drawn from ACTIONS; each page's requests are learned from the server once."""

    def __init__(self, site: _visits.Site, metrics: list[str], rng: random.Random):
        self.site = site
        self.metrics = metrics
        self.rng = rng
        self._loads: dict[tuple[str, str], tuple[list[_load.Request], str, object]] = {}

    def _load(self, path: str, lang: str):
        if (path, lang) not in self._loads:
            self._loads[(path, lang)] = self.site.page_load(path, "", lang)
        return self._loads[(path, lang)]

    def draw(self) -> Action:
        rng, lang = self.rng, _pick(self.rng, LANGUAGE_WEIGHTS)
        kind = _pick(rng, ACTIONS)
        metric = rng.choice(self.metrics)
        if kind == "page load":
            return Action(kind, self._load(_pick(rng, PAGES), lang)[0])
        if kind == "switch events off":
            path = rng.choice(CHART_PAGES)
            _, search, tree = self._load(path, lang)
            return Action(kind, self.site.change_control(path, search, lang, tree, "events", []))
        if kind == "explorer filter":
            _, search, tree = self._load("/explorer", lang)
            changed = self.site.change_control("/explorer", search, lang, tree, "metric", metric)
            return Action(kind, changed)
        if kind == "chart CSV button":
            _, _, tree = self._load(rng.choice(CHART_PAGES), lang)
            return Action(kind, self.site.chart_csv_click(tree, lang))
        template = rng.choice(API_CALLS if kind == "API call" else DOWNLOADS)
        path = template.format(metric=metric)
        return Action(kind, [_visits.get(_route(path), path, lang)])


def build_plan(base_url: str, actions: int, seed: int) -> tuple[list[_load.Step], dict]:
    """A cycle of `actions` actions as load steps (a pause after each action's last request),
    and a description of it."""
    site = _visits.Site(base_url)
    with urllib.request.urlopen(base_url + "/api/v1/metrics", timeout=30) as response:
        metrics = [m["metric"] for m in json.load(response)["data"]][:POPULAR_METRICS]
    mix = Mix(site, metrics, random.Random(seed))
    drawn = [a for a in (mix.draw() for _ in range(actions)) if a.requests]
    steps = []
    for action in drawn:
        for request in action.requests[:-1]:
            steps.append(_load.Step(request))
        steps.append(_load.Step(action.requests[-1], THINK_SECONDS))
    kinds = Counter(a.kind for a in drawn)
    description = {
        "actions in the cycle": len(drawn),
        "requests in the cycle": len(steps),
        "actions by kind": dict(kinds.most_common()),
        "requests by route": dict(Counter(s.request.route for s in steps).most_common()),
        "distinct callbacks asked while preparing": site.callbacks_asked,
    }
    return steps, description


def expected_data_requests_per_minute(clients: int) -> float:
    """The API and download requests per minute all clients send together, on average: every
    client comes from 127.0.0.1, so they all share one bucket of the per-address limit."""
    weights = dict(ACTIONS)
    share = (weights["API call"] + weights["download"]) / sum(weights.values())
    return clients * 60 / (sum(THINK_SECONDS) / 2) * share


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--actions", type=int, default=200, help="actions in the cycle")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument(
        "--redis-url",
        default=_serve.DEFAULT_REDIS_URL,
        help="CACHE_REDIS_URL for the server when Redis answers there ('' for none: each "
        "worker keeps its own cache)",
    )
    parser.add_argument(
        "--loader",
        choices=("python", "wrk"),
        default="python",
        help="the asyncio client (default: it opens a connection when a person acts, as a "
        "browser does after gunicorn closed the last one) or wrk",
    )
    parser.add_argument("--quick", action="store_true", help="10 s and a shorter cycle")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.actions = min(args.seconds, 10), min(args.actions, 20)
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="bench-stress-"))
    database = _serve.cached_database(folder)
    expected = expected_data_requests_per_minute(args.clients)
    limit = max(120, math.ceil(expected * RATE_LIMIT_MARGIN / 100) * 100)
    settings = {"PUBLIC_RATE_LIMIT_PER_MINUTE": str(limit)}
    cache_note = "each worker keeps its own cache (CACHE_REDIS_URL unset)"
    if args.redis_url and _serve.redis_reachable(args.redis_url):
        settings["CACHE_REDIS_URL"] = args.redis_url
        cache_note = f"shared by the workers through Redis ({args.redis_url})"
    elif args.redis_url:
        cache_note = f"Redis does not answer at {args.redis_url}: " + cache_note
    with _serve.start_gunicorn(
        database, workers=args.workers, threads=args.threads, settings=settings
    ) as server:
        warm_started = time.monotonic()
        steps, description = build_plan(server.base_url, args.actions, args.seed)
        warm_seconds = time.monotonic() - warm_started
        result = _load.run(
            server.base_url, steps, args.clients, args.seconds, seed=args.seed, loader=args.loader
        )
        log_tail = server.log_tail(1500) if result.error_count else ""
    figures = [
        Figure("errors", "count", result.error_count, higher=False, limit=0),
        Figure("p99 latency", "ms", result.p99_ms, higher=False, limit=P99_LIMIT_MS),
        Figure("p50 latency", "ms", result.p50_ms, higher=False),
        Figure("throughput", "requests/s", result.requests_per_second),
    ]
    notes = {
        "load": f"{args.clients} clients for {result.seconds:.0f} s ({result.loader}), "
        f"{result.requests:,} requests answered",
        "server": f"gunicorn, {args.workers} workers x {args.threads} threads, public view, "
        + _serve.describe_settings(settings),
        "response cache": cache_note,
        "rate limit": f"PUBLIC_RATE_LIMIT_PER_MINUTE={limit}: all clients share 127.0.0.1, "
        f"so one address sends about {expected:,.0f} API and download requests a minute; "
        f"the limit is {RATE_LIMIT_MARGIN}x that, still checked on every request, per worker",
        "client model": "each client is one person on one connection: an action (a page "
        "load: the HTML page, /_dash-layout, /_dash-dependencies and the callbacks the page's "
        "renderer posts, one after another; or a click on a control or a chart's CSV button; "
        "or one API call or download), then a pause of "
        f"{THINK_SECONDS[0]:g}-{THINK_SECONDS[1]:g} s (uniform) before the next; clients start "
        "at different places of one cycle of actions, drawn with seed "
        f"{args.seed}; Accept-Language ko 70 %, en 30 %; Accept-Encoding as Chromium",
        "warm-up": f"before the measured load one visitor asked every distinct callback of the "
        f"cycle once ({warm_seconds:.1f} s): the caches hold what a server's first visitors "
        f"asked for, in one worker each unless CACHE_REDIS_URL is set",
        "latency by route": result.route_lines(),
        **description,
        "total time": f"{time.monotonic() - started:.0f} s",
    }
    if result.error_count:
        notes["errors by route"] = result.error_lines()
        notes["error samples"] = result.samples
        notes["server log (tail)"] = log_tail
    report("stress", args.quick, figures, notes)
    return 0 if result.error_count == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
