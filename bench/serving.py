"""Serving: requests/s and p99 of a cached public Dash callback (the overview page's page-router
callback, which draws its headline cards and the police trend chart, with the body the browser
posts) against GET /_dash-layout in the same run, under gunicorn; once with each worker's own
in-process cache and once with the cache shared through Redis.

    python bench/serving.py [--seconds 10] [--connections 20] [--workers 2] [--repeats 3]
                            [--redis-url redis://127.0.0.1:6379/14] [--quick]

Target: the cached callback answers at least half as many requests a second as the layout route.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import _load, _serve, _visits  # noqa: E402
from bench._report import Figure, median, report  # noqa: E402

TARGET = 0.5


def x_cache(base_url: str, request: _load.Request) -> str:
    """The X-Cache header of one answer to `request` ('' when there is none)."""
    http = urllib.request.Request(
        base_url + request.path, data=request.body or None, method=request.method,
        headers=dict(request.headers),
    )  # fmt: skip
    with urllib.request.urlopen(http, timeout=60) as response:
        response.read()
        return response.headers.get("X-Cache", "")


def measure(server: _serve.Server, args, quick: bool) -> dict:
    """Alternating runs of the layout route and the callback; medians over the repeats."""
    site = _visits.Site(server.base_url)
    requests, _, _ = site.page_load("/", "", "ko")  # also the first visitor: fills the cache
    callback = next(r for r in requests if r.route == _visits.ROUTE_ROUTER)
    layout = next(r for r in requests if r.route == _visits.ROUTE_LAYOUT)
    headers = [x_cache(server.base_url, callback) for _ in range(2 * args.workers)]
    warm = max(0.5, args.seconds / 5)
    for request in (layout, callback):  # every worker answers both once before timing
        _load.run(server.base_url, [_load.Step(request)], args.connections, warm)
    runs: dict[str, list[_load.LoadResult]] = {"layout": [], "callback": []}
    for _ in range(args.repeats):
        for name, request in (("layout", layout), ("callback", callback)):
            steps = [_load.Step(request)]
            result = _load.run(
                server.base_url, steps, args.connections, args.seconds, stagger=False
            )
            runs[name].append(result)
    return {
        "rps": {k: median([r.requests_per_second for r in v]) for k, v in runs.items()},
        "p99": {k: median([r.p99_ms for r in v]) for k, v in runs.items()},
        "errors": {k: sum(r.error_count for r in v) for k, v in runs.items()},
        "error lines": [line for v in runs.values() for r in v for line in r.error_lines()],
        "x-cache": headers,
        "loader": runs["layout"][0].loader,
        "callback bytes": len(callback.body),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each; medians shown")
    parser.add_argument(
        "--redis-url", default=_serve.DEFAULT_REDIS_URL, help="'' to skip the Redis row"
    )
    parser.add_argument("--quick", action="store_true", help="2 s runs, no repeats, no Redis row")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.repeats, args.redis_url = min(args.seconds, 2), 1, ""
    started = time.monotonic()
    database = _serve.cached_database(Path(tempfile.mkdtemp(prefix="bench-serving-")))
    rows = [("in-process cache", {})]
    notes: dict = {}
    if args.redis_url and _serve.redis_reachable(args.redis_url):
        rows.append(("Redis cache", {"CACHE_REDIS_URL": args.redis_url}))
    elif args.redis_url:
        notes["Redis"] = f"{args.redis_url} does not answer: the Redis row is left out"
    figures = []
    for label, settings in rows:
        with _serve.start_gunicorn(database, workers=args.workers, settings=settings) as server:
            measured = measure(server, args, args.quick)
        rps, p99 = measured["rps"], measured["p99"]
        figures += [
            Figure(f"callback req/s ({label})", "requests/s", rps["callback"], rps["layout"],
                   target=TARGET, baseline_name="GET /_dash-layout"),
            Figure(f"callback p99 ({label})", "ms", p99["callback"], p99["layout"], higher=False,
                   baseline_name="GET /_dash-layout"),
        ]  # fmt: skip
        notes[f"{label}: server"] = (
            f"gunicorn, {args.workers} sync workers, public view, "
            + _serve.describe_settings(settings)
        )
        notes[f"{label}: X-Cache of the callback, repeated"] = " ".join(measured["x-cache"])
        notes[f"{label}: errors"] = measured["error lines"] or "none"
        notes["loader"] = measured["loader"]
        notes["callback body"] = (
            f"{measured['callback bytes']} bytes: the overview page's page-router callback "
            "(headline cards and the police trend chart) as the browser first posts it"
        )
    notes["load"] = (
        f"{args.connections} connections, {args.seconds:g} s a run, layout and callback "
        f"alternating, {args.repeats} run(s) each, medians; Accept-Encoding as Chromium"
    )
    notes["total time"] = f"{time.monotonic() - started:.0f} s"
    report("serving", args.quick, figures, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
