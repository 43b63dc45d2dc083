"""Benchmark: the public overview page in Chromium with a cold browser cache: the bytes it
transfers (every request: HTML, scripts, CSS, callbacks), and the time until its first chart has
drawn its data. Baselines from the same loads: the same bytes uncompressed (what the page would
weigh without compression), and the page's DOMContentLoaded (the time before any chart can be
drawn by Dash at all). The notes also list the requests that weigh most and how many times the
page router's callback was posted per load (once: the page is drawn once).

    python bench/page.py [--loads 7] [--quick] [--keep DIR]

The public app runs as `python app.py --public` on a free port, on a database the ETL builds
from data/ (built once per version of the data and the ETL, kept in the benchmark cache). One
load first warms the server (as earlier visitors would); each measured load is a new browser
context, so nothing is cached in the browser.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._report import Figure, report  # noqa: E402
from bench._serve import HOST, Server, app_environment, cached_database, free_port, start  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WEIGHT_LIMIT_MB = 1.5
FIRST_CHART_LIMIT_S = 2.0
# the page router's callback output: posted once per address the page is drawn for
ROUTER_OUTPUT = "_pages_content.children"
# the moment a plotly chart holds drawn traces, against the navigation's start
FIRST_CHART_WATCH = """
new MutationObserver((changes, observer) => {
    if (document.querySelector('.js-plotly-plot .main-svg g.trace')) {
        window.__firstChart = performance.now();
        observer.disconnect();
    }
}).observe(document, {childList: true, subtree: true});
"""


def serve(folder: Path) -> Server:
    """The public app (`python app.py --public`) on a free port, on a copy in `folder` of the
    database the ETL builds from data/, once it answers /healthz."""
    database_url = cached_database(folder, "page.db")
    port = free_port()
    command = [sys.executable, "app.py", "--public", "--host", HOST, "--port", str(port)]
    env = app_environment(database_url, public=True, settings={})
    return start("page", command, env, port, ready_path="/healthz")


def load_once(browser, url: str) -> dict:
    """One load in a fresh context: bytes on the wire and decoded, per request, and timings."""
    context = browser.new_context(locale="ko-KR")
    page = context.new_page()
    page.add_init_script(FIRST_CHART_WATCH)
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls, encoded, decoded, router_posts = {}, {}, {}, []

    def request_sent(event):
        urls[event["requestId"]] = event["request"]["url"]
        if ROUTER_OUTPUT in event["request"].get("postData", ""):
            router_posts.append(event["requestId"])

    session.on("Network.requestWillBeSent", request_sent)
    session.on(
        "Network.dataReceived",
        lambda e: decoded.__setitem__(
            e["requestId"], decoded.get(e["requestId"], 0) + e["dataLength"]
        ),
    )
    session.on(
        "Network.loadingFinished",
        lambda e: encoded.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    page.goto(url, wait_until="domcontentloaded")
    # polled with evaluate: the page's content policy refuses the string predicates of
    # wait_for_function (no 'unsafe-eval'); the time itself is taken in the page
    deadline = time.monotonic() + 30
    while page.evaluate("window.__firstChart === undefined"):
        if time.monotonic() > deadline:
            raise SystemExit(f"no chart was drawn within 30 s on {url}")
        page.wait_for_timeout(20)
    page.wait_for_load_state("networkidle")
    first_chart = page.evaluate("window.__firstChart") / 1000
    dom_ready = (
        page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
        / 1000
    )
    context.close()
    requests = [
        {"url": urls.get(rid, "?"), "encoded": encoded[rid], "decoded": decoded.get(rid, 0)}
        for rid in encoded
    ]
    return {
        "transferred": sum(r["encoded"] for r in requests),
        "decoded": sum(r["decoded"] for r in requests),
        "first_chart": first_chart,
        "dom_ready": dom_ready,
        "requests": requests,
        "router_posts": len(router_posts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=None, help="measured loads (7; quick 3)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--keep", type=Path, help="put the database's copy in this folder")
    args = parser.parse_args()
    loads = args.loads or (3 if args.quick else 7)
    started = time.perf_counter()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-page-"))
    folder.mkdir(parents=True, exist_ok=True)
    server = serve(folder)
    base = server.base_url
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            load_once(browser, base + "/")  # warms the server, not counted
            runs = [load_once(browser, base + "/") for _ in range(loads)]
            browser.close()
    finally:
        server.stop()
    median = lambda key: statistics.median(r[key] for r in runs)  # noqa: E731
    last = sorted(runs[-1]["requests"], key=lambda r: -r["encoded"])
    report(
        "page",
        args.quick,
        [
            Figure(
                "public overview: bytes transferred",
                "MB",
                median("transferred") / 1e6,
                median("decoded") / 1e6,
                higher=False,
                limit=WEIGHT_LIMIT_MB,
                baseline_name="same bytes uncompressed",
            ),
            Figure(
                "public overview: first chart drawn",
                "s",
                median("first_chart"),
                median("dom_ready"),
                higher=False,
                limit=FIRST_CHART_LIMIT_S,
                baseline_name="DOMContentLoaded",
            ),
        ],
        notes={
            "loads": f"{loads}, each in a new browser context (cold cache), medians",
            "page": "/ in the public view (python app.py --public), database from data/",
            "requests_per_load": len(runs[-1]["requests"]),
            "transferred_kb_per_load": [round(r["transferred"] / 1e3) for r in runs],
            "first_chart_s_per_load": [round(r["first_chart"], 3) for r in runs],
            "page_router_posts_per_load": [r["router_posts"] for r in runs],
            "largest_requests_kb": [
                f"{r['url'].removeprefix(base)[:70]}: {r['encoded'] / 1e3:,.0f} "
                f"(uncompressed {r['decoded'] / 1e3:,.0f})"
                for r in last[:6]
            ],
            "seconds": round(time.perf_counter() - started, 1),
        },
    )


if __name__ == "__main__":
    main()
