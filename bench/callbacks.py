"""Benchmark: the server time of every Dash callback of the internal and the public app, on a
database built by the ETL from data/ and a synthetic request log of N rows, beside the same
callback answered by the naive queries (bench/_naive.py: GROUP BY over the raw request log,
the whole observations table filtered in pandas, nothing kept between calls).

Each callback is posted to /_dash-update-component through Flask's test client with the body
the browser sends: the page router and the navigation bar as a page load sends them (and a few
filter variations), the URL-state control writing a changed filter, and a chart's CSV button
with the rows the page stored for it. The public view's response cache (web/callbackcache) is
taken out, so every figure is the real computation; pieces the pages keep per database load
are warm (built by one call first), and "cold" is the same call with them emptied.

    python bench/callbacks.py [--rows 10000000] [--quick] [--keep DIR] [--samples 20]
                              [--only PATTERN] [--view internal|public]

--quick: 50,000 rows, each page's load only, 5 timed calls (1 cold, 1 naive) each.
--only, --view: only the callbacks whose "view · callback · variation" matches the regular
expression PATTERN (e.g. `--only volume`), or of one view; the table is printed and no results
file written, as the run is partial.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._report import Figure, percentile, render, report  # noqa: E402
from tests.dash_requests import PAGE_OUTPUT, dom_id, navbar_request, page_request  # noqa: E402

CALLBACK = "/_dash-update-component"
LIMIT_MS = 50.0
# filter variations per page, beside the page load ("") and the other language
VARIATIONS = {
    "/": ["?events=0"],
    "/police": ["?events=0"],
    "/explorer": ["?view=rows", "?metric=police_deepfake_cases_reported", "?page=5&tier=press"],
    "/requests/volume": ["?grain=day&by=platform", "?grain=week&by=region&platform=telegram"],
    "/requests/scorecard": ["?month=2024-11&measure=share_actioned_pct&platform=x"],
    "/requests/backlog": ["?platform=telegram"],
    "/requests/victims": ["?platform=x&from=2024-01&to=2024-12"],
}
EMBED = "/embed/police-cases-trend"


# ------------------------------------------------------------------ the database


def build_database(folder: Path, rows: int, seed: int) -> Path:
    """The ETL's database of data/ and `rows` synthetic requests, built once per folder."""
    database = folder / f"callbacks_{rows}_{seed}.db"
    if database.exists():
        print(f"reusing {database}", flush=True)
        return database
    from etl.requests import synth

    log = folder / f"requests_{rows}_{seed}.parquet"
    started = time.perf_counter()
    if not log.exists():
        synth.write(synth.generate_table(rows, seed), log)
    building = database.with_suffix(".building")
    building.unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{building}"}
    subprocess.run(
        [sys.executable, "-m", "etl", "load", str(ROOT / "data"), str(log)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    building.rename(database)
    print(f"built {database} in {time.perf_counter() - started:.1f} s", flush=True)
    return database


# ------------------------------------------------------------------ request bodies


def state_body(output: str, controls: list[tuple[str, str]], search: str) -> dict:
    ids = [{"param": param, "type": "state-control"} for param, _ in controls]
    return {
        "output": output,
        "outputs": {"id": "url", "property": output.removeprefix("url.")},
        "inputs": [
            [{"id": i, "property": "value", "value": v} for i, (_, v) in zip(ids, controls)]
        ],
        "changedPropIds": [dom_id(ids[0]) + ".value"],
        "state": [
            [{"id": i, "property": "id", "value": i} for i in ids],
            [],  # no drawn values kept: a control changed, so the address is written
            {"id": "url", "property": "search", "value": search},
        ],
    }


def csv_body(chart: str, stored: dict) -> dict:
    button = {"chart": chart, "type": "csv-button"}
    return {
        "output": '{"chart":["MATCH"],"type":"csv-download"}.data',
        "outputs": {"id": {"chart": chart, "type": "csv-download"}, "property": "data"},
        "inputs": [{"id": button, "property": "n_clicks", "value": 1}],
        "changedPropIds": [dom_id(button) + ".n_clicks"],
        "state": [
            {"id": {"chart": chart, "type": "chart-rows"}, "property": "data", "value": stored}
        ],
    }


def _stores(tree) -> list[tuple[str, dict]]:
    """The chart-rows stores in a serialised layout: (chart id, stored rows)."""
    found = []
    if isinstance(tree, list):
        for item in tree:
            found += _stores(item)
    elif isinstance(tree, dict):
        props = tree.get("props")
        identity = props.get("id") if isinstance(props, dict) else None
        if isinstance(identity, dict) and identity.get("type") == "chart-rows":
            found.append((identity["chart"], props["data"]))
        for value in tree.values():
            found += _stores(value)
    return found


def requests_for(app, client, quick: bool) -> list[tuple[str, str, dict]]:
    """(callback, variation, body) for every server callback of `app`; a callback this
    benchmark has no body for stops it (so a new callback cannot be left out unnoticed)."""
    import dash

    paths = [p["path"] for p in dash.page_registry.values() if not p.get("path_template")]
    paths.append(EMBED)
    bodies = []
    for dependency in client.get("/_dash-dependencies").get_json():
        output = dependency["output"]
        if dependency.get("clientside_function"):
            continue  # runs in the browser
        if output == PAGE_OUTPUT:
            for path in paths:
                searches = [""] if quick else ["", "?lang=en", *VARIATIONS.get(path, [])]
                for search in searches:
                    body = page_request(path, search)
                    bodies.append(("page " + path, search or "(page load)", body))
        elif output == "navbar.children":
            for path in ("/",) if quick else ("/", "/requests/scorecard", "/explorer"):
                bodies.append(("navbar", path, navbar_request(path, "")))
        elif output.startswith("url.search@"):
            bodies.append(
                (
                    "url state",
                    "grain=day",
                    state_body(
                        output,
                        [("grain", "day"), ("by", "platform"), ("platform", "")],
                        "?grain=month",
                    ),
                )
            )
        elif "csv-download" in output:
            layout = client.post(CALLBACK, json=page_request("/police", "")).get_json()
            chart, stored = max(_stores(layout), key=lambda s: len(json.dumps(s[1])))
            bodies.append(
                ("chart CSV", f"{chart} ({len(stored['data'])} rows)", csv_body(chart, stored))
            )
        else:
            raise SystemExit(f"no request body known for callback {output}")
    return bodies


# ------------------------------------------------------------------ one app, in its own process


def _without_response_cache(server) -> None:
    """Take out the public view's response cache for Dash callbacks: server time only."""
    for hooks in (server.before_request_funcs, server.after_request_funcs):
        for key, functions in hooks.items():
            hooks[key] = [f for f in functions if f.__module__ != "web.callbackcache"]


def _kept_between_calls() -> list:
    """cache_clear of everything the app's pages and queries keep between calls."""
    found = []
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(("dashboards", "db.queries")):
            continue
        for value in vars(module).values():
            try:
                clear = getattr(value, "cache_clear", None)
            except RuntimeError:  # a request-bound proxy (flask.request) outside a request
                continue
            if callable(clear) and clear not in found:
                found.append(clear)
    return found


def _time(client, body: dict) -> tuple[float, bytes]:
    started = time.perf_counter()
    response = client.post(CALLBACK, json=body)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code not in (200, 204) or "X-Cache" in response.headers:
        raise SystemExit(f"{body['output']}: {response.status_code} {response.headers}")
    return elapsed, response.get_data()


def measure_app(
    database: Path,
    public: bool,
    samples: int,
    cold_samples: int,
    naive_samples: int,
    quick: bool,
    only: str | None = None,
) -> list[dict]:
    from app import create_app
    from bench._naive import naive_queries

    app = create_app(public=public, database_url=f"sqlite:///{database}")
    _without_response_cache(app.server)
    client = app.server.test_client()
    client.get("/_dash-layout")
    results = []
    view = "public" if public else "internal"
    for callback, variation, body in requests_for(app, client, quick):
        if only and not re.search(only, f"{view} · {callback} · {variation}"):
            continue
        clears = _kept_between_calls()
        cold = []
        for _ in range(cold_samples):
            for clear in clears:
                clear()
            cold.append(_time(client, body)[0])
        warm, answer = [], b""
        for _ in range(samples):
            elapsed, answer = _time(client, body)
            warm.append(elapsed)
        naive, naive_answer = [], b""
        for _ in range(naive_samples):
            with naive_queries(clears):
                elapsed, naive_answer = _time(client, body)
            naive.append(elapsed)
        results.append(
            {
                "view": view,
                "callback": callback,
                "variation": variation,
                "warm": warm,
                "cold": cold,
                "naive": naive,
                "same_answer": answer == naive_answer,
                "answer_bytes": len(answer),
            }
        )
        print(
            f"  {results[-1]['view']:<8} {callback:<26} {variation:<44} "
            f"p95 {percentile(warm, 95):7.1f} ms  cold {percentile(cold, 50):7.1f} ms  "
            f"naive {percentile(naive, 50):8.1f} ms"
            f"{'' if answer == naive_answer else '  (answers differ)'}",
            flush=True,
        )
    return results


# ------------------------------------------------------------------ report


def figures(results: list[dict]) -> list[Figure]:
    out = []
    for r in results:
        name = f"{r['view']} · {r['callback']} · {r['variation']}"
        for share, limit in ((50, None), (95, LIMIT_MS)):
            out.append(
                Figure(
                    f"{name} · p{share}",
                    "ms",
                    percentile(r["warm"], share),
                    percentile(r["naive"], share),
                    higher=False,
                    limit=limit,
                    baseline_name="naive",
                )
            )
        out.append(
            Figure(
                f"{name} · cold p50",
                "ms",
                percentile(r["cold"], 50),
                percentile(r["naive"], 50),
                higher=False,
                baseline_name="naive",
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None, help="synthetic requests (10,000,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="50,000 rows, fewer samples")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the database in this folder")
    parser.add_argument("--samples", type=int, default=None, help="timed calls each (20)")
    parser.add_argument(
        "--naive-samples", type=int, default=None, help="timed calls of the naive baseline each (3)"
    )
    parser.add_argument(
        "--cold-samples", type=int, default=None, help="timed calls with nothing kept (3)"
    )
    parser.add_argument(
        "--only", help="only callbacks whose 'view · callback · variation' matches this regex"
    )
    parser.add_argument("--view", choices=("internal", "public"), help="only this view's app")
    parser.add_argument("--worker", choices=("internal", "public"), help=argparse.SUPPRESS)
    parser.add_argument("--database", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    rows = args.rows or (50_000 if args.quick else 10_000_000)
    samples = args.samples or (5 if args.quick else 20)
    naive_samples = args.naive_samples or (1 if args.quick else 3)
    cold_samples = args.cold_samples or (1 if args.quick else 3)
    if args.worker:  # one app per process: Dash hands shared callbacks to the first app only
        results = measure_app(
            args.database,
            args.worker == "public",
            samples,
            cold_samples,
            naive_samples,
            args.quick,
            args.only,
        )
        print("RESULTS " + json.dumps(results), flush=True)
        return
    started = time.perf_counter()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-callbacks-"))
    folder.mkdir(parents=True, exist_ok=True)
    database = build_database(folder, rows, args.seed)
    results = []
    for view in (args.view,) if args.view else ("internal", "public"):
        command = [
            sys.executable,
            __file__,
            "--worker",
            view,
            "--database",
            str(database),
            "--samples",
            str(samples),
            "--naive-samples",
            str(naive_samples),
            "--cold-samples",
            str(cold_samples),
            *(["--only", args.only] if args.only else []),
        ]
        finished = subprocess.run(
            command + (["--quick"] if args.quick else []),
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        for line in finished.stdout.splitlines():
            if line.startswith("RESULTS "):
                results += json.loads(line.removeprefix("RESULTS "))
            else:
                print(line, flush=True)
    if not results:
        raise SystemExit(f"no callback matches {args.only!r}")
    table = figures(results)
    slowest = max(results, key=lambda r: percentile(r["warm"], 95))
    within = sum(percentile(r["warm"], 95) <= LIMIT_MS for r in results)
    notes = {
        "request_log_rows": rows,
        "database": "SQLite, built by `python -m etl load data/ LOG.parquet`",
        "ours": "server time of POST /_dash-update-component (Flask test client), response "
        f"cache taken out; p50/p95 of {samples} calls after a first one built what "
        "the pages keep per load; cold: the same with it emptied "
        f"(median of {cold_samples})",
        "baseline": "naive: the same callback with GROUP BY over the raw requests table, the "
        "whole observations table filtered in pandas, nothing kept between calls "
        f"(p50/p95 of {naive_samples} calls)",
        "callbacks_within_limit": f"{within} of {len(results)} at p95 ≤ {LIMIT_MS:g} ms",
        "slowest_p95": f"{slowest['view']} · {slowest['callback']} · {slowest['variation']}: "
        f"{percentile(slowest['warm'], 95):.1f} ms",
        "answers_differ_from_naive": [
            f"{r['view']} · {r['callback']} · {r['variation']}"
            for r in results
            if not r["same_answer"]
        ],
        "clientside_callbacks": "the PNG button and the page title run in the browser",
        "seconds": round(time.perf_counter() - started, 1),
    }
    if args.only or args.view:  # a partial run: shown, not written over the full run's results
        print(render("callbacks (partial)", table), flush=True)
        for key, value in notes.items():
            print(f"   {key}: {value}")
        return
    report("callbacks", args.quick, table, notes=notes)


if __name__ == "__main__":
    main()
