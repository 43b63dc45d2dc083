"""Leakage: the public view, on a database holding internal sentinel data, is walked route by
route, page by page and callback by callback as a browser would, and nothing internal comes
out; plus probes for SQL injection, path traversal and methods other than GET and HEAD.

Extending it: put new internal data in `sentinel_folder` (and its strings or numbers in
SENTINEL_TEXTS / SENTINEL_NUMBERS), and new public addresses in ROUTES or EXTRA_ROUTES; a
route the crawl misses fails `test_every_public_route_is_crawled`.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, quote_plus, urlencode

import dash
import pyarrow as pa
import pytest

import config
from dashboards._shared.chart_card import stored_records
from db.queries.requests import ALL
from db.requests_schema import PLATFORMS
from tests.conftest import DATA, ROOT
from tests.dash_requests import dom_id, navbar_request, page_request
from tests.databases import new_database, rows, table_checksum
from web.security import LIMITER_KEY

SMALL_CELL_THRESHOLD = config.get_int("SMALL_CELL_THRESHOLD")

# ---------------------------------------------------------------------------------------------
# What must never come out of the public view
SENTINEL_SOURCE = "https://sentinel.invalid/unverified-987654"
SENTINEL_TEXTS = [
    "SENTINEL-UNVERIFIED",  # titles, publisher, notes, source_org of aggregator-only figures
    "sentinel.invalid",  # the aggregator source's address
    "sentinel-987654",  # a category only the aggregator reports
    "SENTINEL-REJECTED",  # a row the ETL rejected (kept in rejected_rows)
    "internal_rejected.csv",  # the file that row came from (ETL run history)
    "jsc.m99f.com",  # an aggregator in the shipped data whose figures are all unverified
]
SENTINEL_NUMBERS = [987654, 987653, 987652, 987651, 424242]
# record-level sentinels: a request log of real requests with small cells, a synthetic log and
# an admin user
REQUEST_ID_PREFIX = "LEAKREQ-7Q"  # every real request's id
SYNTHETIC_ID_PREFIX = "SYN-LEAK7Q"  # every synthetic request's id
REQUEST_TIME = "03:17:29"  # the time of day every real request was received
SMALL_CELL_HOURS = 777.77  # hours to action of every request in a small cell
ADMIN_NAME = "leak_admin_7q"
ADMIN_PASSWORD = "Leak-password-7Q-never-shown"
REQUEST_LOG, SYNTHETIC_LOG = "internal_requests_7q.csv", "synthetic_requests_7q.csv"
SENTINEL_TEXTS += [
    REQUEST_ID_PREFIX,
    SYNTHETIC_ID_PREFIX,
    f"T{REQUEST_TIME}",
    "777.77",  # SMALL_CELL_HOURS as a record holds it
    ADMIN_NAME,
    ADMIN_PASSWORD,
    "$argon2",  # a password hash
    REQUEST_LOG,  # the logs' file names (ETL run history)
    SYNTHETIC_LOG,
]
# internal addresses: 404 in the public view, whatever the method
INTERNAL_PATHS = ["/admin", "/admin/users", "/login", "/logout", "/etl", "/users"]

FIGURE_HEADER = (
    "metric,dimension,category,period_start,period_end,period_complete,value,unit,"
    "source_org,source_title,source_url,published_date,notes\n"
)
SOURCE_HEADER = (
    "source_url,title,publisher,published_date,language,tier,original_publisher,"
    "original_title,original_url,notes\n"
)


# figures only the aggregator reports: unverified, in the internal view only
SENTINEL_FIGURES = [  # metric, dimension, category, start, end, value, unit
    ("police_deepfake_cases_reported", "region", "sentinel-987654", "2024-01-01", "2024-12-31",
     "987654", "cases"),  # a breakdown nobody else publishes
    ("kcsc_sexual_deepfake_correction_requests", "", "total", "2026-01-01", "2026-06-30",
     "987653", "items"),  # the latest period of a headline card
    ("adsc_victims_supported", "", "total", "2017-01-01", "2017-12-31", "987652", "persons"),
    ("police_deepfake_cases_reported", "", "total", "2026-01-01", "2026-03-31", "987651",
     "cases"),  # the latest period of the overview's first card and trend
]  # fmt: skip
REJECTED_FIGURE = ("police_deepfake_cases_reported", "", "total", "2020-01-01", "2020-12-31",
                   "SENTINEL-REJECTED-424242", "cases")  # fmt: skip


def _figures(rows: list[tuple[str, ...]]) -> str:
    lines = [FIGURE_HEADER]
    for metric, dimension, category, start, end, value, unit in rows:
        complete = "yes" if end.endswith("12-31") else "no"
        lines.append(
            f"{metric},{dimension},{category},{start},{end},{complete},{value},{unit},"
            f"SENTINEL-UNVERIFIED org,SENTINEL-UNVERIFIED title,{SENTINEL_SOURCE},2025-01-01,"
            "SENTINEL-UNVERIFIED note\n"
        )
    return "".join(lines)


# real requests per (platform, month): counts from 1 to 9 in cells, in a platform's total
# (search_engine) and in a month's total (2025-01); zeros elsewhere
REQUEST_CELLS = {
    ("telegram", "2024-09"): 3,
    ("telegram", "2024-10"): 25,
    ("telegram", "2024-11"): 12,
    ("telegram", "2024-12"): 40,
    ("x", "2024-09"): 14,
    ("x", "2024-10"): 7,
    ("x", "2024-11"): 30,
    ("x", "2024-12"): 11,
    ("instagram", "2024-09"): 22,
    ("instagram", "2024-10"): 16,
    ("instagram", "2024-11"): 1,
    ("instagram", "2024-12"): 18,
    ("youtube", "2024-09"): 10,
    ("youtube", "2024-10"): 9,
    ("youtube", "2024-11"): 13,
    ("youtube", "2024-12"): 20,
    ("adult_site", "2024-09"): 12,
    ("adult_site", "2024-10"): 15,
    ("adult_site", "2024-11"): 10,
    ("adult_site", "2024-12"): 5,
    ("search_engine", "2024-11"): 2,
    ("facebook", "2025-01"): 4,
}  # fmt: skip
BIG_CELL_OUTCOMES = ("removed", "removed", "blocked", "no_response", "removed", "refused")
REQUEST_HEADER = [
    "request_id", "received_at", "channel", "content_type", "platform", "victim_age_group",
    "victim_gender", "region", "outcome", "actioned_at", "synthetic",
]  # fmt: skip


def _korea_time(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+09:00")


def request_log_rows() -> list[list[str]]:
    """The real requests of REQUEST_CELLS. A small cell's requests are all removed after
    SMALL_CELL_HOURS, from victims in Sejong (small cells in every internal breakdown too)."""
    rows = []
    for (platform, month), count in REQUEST_CELLS.items():
        small = count < SMALL_CELL_THRESHOLD
        for k in range(count):
            received = dt.datetime.fromisoformat(f"{month}-{k % 28 + 1:02d}T{REQUEST_TIME}")
            outcome = "removed" if small else BIG_CELL_OUTCOMES[k % len(BIG_CELL_OUTCOMES)]
            hours = SMALL_CELL_HOURS if small else 5.0 + k
            rows.append(
                [
                    f"{REQUEST_ID_PREFIX}-{platform}-{month}-{k:03d}",
                    _korea_time(received),
                    "hotline" if small else "web",
                    "deepfake",
                    platform,
                    "14_19",
                    "female",
                    "sejong" if small else "seoul",
                    outcome,
                    _korea_time(received + dt.timedelta(hours=hours)),
                    "false",
                ]
            )
    return rows


def _write_request_logs(folder: Path) -> None:
    from etl.requests import synth

    with (folder / REQUEST_LOG).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REQUEST_HEADER)
        writer.writerows(request_log_rows())
    table = synth.generate_table(3000, 7)
    ids = [i.replace("SYN-", f"{SYNTHETIC_ID_PREFIX}-", 1) for i in table["request_id"].to_pylist()]
    table = table.set_column(0, "request_id", pa.array(ids))
    synth.write(table, folder / SYNTHETIC_LOG)


def published_truth() -> dict[tuple[str, str], int]:
    """Every cell of the public table the log gives, margins included ("all")."""
    months = sorted({month for _, month in REQUEST_CELLS})
    truth = {}
    for platform in (*PLATFORMS, ALL):
        for month in (*months, ALL):
            truth[(platform, month)] = sum(
                count
                for (p, m), count in REQUEST_CELLS.items()
                if platform in (p, ALL) and month in (m, ALL)
            )
    return truth


def small_cells() -> set[tuple[str, str]]:
    return {cell for cell, count in published_truth().items() if 1 <= count < SMALL_CELL_THRESHOLD}


def sentinel_folder(folder: Path) -> tuple[Path, Path]:
    """The shipped data plus internal sentinel files: an aggregator source and figures only it
    reports (so they are unverified), a file whose one row the ETL rejects, a log of real
    requests with small cells and a synthetic log. Returns the folder to load and the file to
    load with --skip-invalid."""
    data = folder / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("*.db", "*.md"))
    _write_request_logs(data)
    (data / "sentinel_sources.csv").write_text(
        SOURCE_HEADER + f"{SENTINEL_SOURCE},SENTINEL-UNVERIFIED repost 987654,"
        "SENTINEL-UNVERIFIED forum,2025-01-01,ko,aggregator,,,,SENTINEL-UNVERIFIED note\n",
        encoding="utf-8",
    )
    (data / "sentinel_figures.csv").write_text(_figures(SENTINEL_FIGURES), encoding="utf-8")
    rejected = folder / "internal_rejected.csv"
    rejected.write_text(_figures([REJECTED_FIGURE]), encoding="utf-8")
    return data, rejected


@pytest.fixture(scope="module")
def sentinel_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from db.engine import create_schema, make_engine
    from etl import load
    from etl.users import add_user

    folder = tmp_path_factory.mktemp("leakage")
    data, rejected = sentinel_folder(folder)
    url = new_database(folder, "sentinel")
    engine = make_engine(url)
    create_schema(engine)
    report = load.run([str(data)], engine, write=True)
    assert not report.problems, [str(p) for p in report.problems[:5]]
    report = load.run([str(rejected)], engine, write=True, skip_invalid=True)
    assert [p.column for p in report.problems] == ["value"] and report.written
    add_user(engine, ADMIN_NAME, ADMIN_PASSWORD, "admin")
    engine.dispose()
    return url


def with_shared_callbacks(app: dash.Dash) -> dash.Dash:
    """`app`, holding the callbacks registered with `dash.callback` (navbar, URL state, chart
    CSV). Dash hands those to the first app that answers a request; a later app in the same
    process (the tests build several) would have only its own page router, which a deployed
    app, alone in its process, never lacks."""
    app.server.test_client().get("/_dash-layout")  # sets the app up: the first one takes them
    present = {c["output"] for c in app._callback_list}
    for other in gc.get_objects():
        if not isinstance(other, dash.Dash) or other is app:
            continue
        for spec in other._callback_list:
            shared = "_pages_" not in spec["output"]  # the page router is each app's own
            if shared and spec["output"] not in present:
                app._callback_list.append(spec)
                present.add(spec["output"])
                if spec["output"] in other.callback_map:
                    app.callback_map[spec["output"]] = other.callback_map[spec["output"]]
    return app


@pytest.fixture(scope="module")
def sentinel_app(sentinel_db: str):
    from app import create_app

    return with_shared_callbacks(create_app(public=True, database_url=sentinel_db))


@pytest.fixture
def client(sentinel_app):
    sentinel_app.server.extensions[LIMITER_KEY].reset()
    return sentinel_app.server.test_client()


# ---------------------------------------------------------------------------------------------
# Callbacks as the browser sends them (shapes captured from Chromium on these pages)
def csv_download_request(chart: str, stored: object, clicks: object = 1) -> dict:
    """A chart card's CSV button: the click and the rows the page stored for the chart."""
    button = {"chart": chart, "type": "csv-button"}
    return {
        "output": '{"chart":["MATCH"],"type":"csv-download"}.data',
        "outputs": {"id": {"chart": chart, "type": "csv-download"}, "property": "data"},
        "inputs": [{"id": button, "property": "n_clicks", "value": clicks}],
        "changedPropIds": [dom_id(button) + ".n_clicks"],
        "parsedChangedPropsIds": [button],
        "state": [
            {"id": {"chart": chart, "type": "chart-rows"}, "property": "data", "value": stored}
        ],
    }


def state_output(client) -> str:
    """The state-control callback's output name (it carries a hash: allow_duplicate)."""
    dependencies = client.get("/_dash-dependencies").get_json()
    return next(d["output"] for d in dependencies if d["output"].startswith("url.search@"))


def state_request(output: str, controls: list[tuple[object, object]], search: object) -> dict:
    """The URL-state callback: every control's value, which one changed, and the address."""
    ids = [{"param": param, "type": "state-control"} for param, _ in controls]
    return {
        "output": output,
        "outputs": {"id": "url", "property": output.removeprefix("url.")},
        "inputs": [
            [{"id": i, "property": "value", "value": value} for i, (_, value) in zip(ids, controls)]
        ],
        "changedPropIds": [dom_id(i) + ".value" for i in ids[:1]],
        "parsedChangedPropsIds": ids[:1],
        "state": [
            [{"id": i, "property": "id", "value": dict(reversed(list(i.items())))} for i in ids],
            [],  # no values the page drew: the callback answers with the address it writes
            {"id": "url", "property": "search", "value": search},
        ],
    }


def dash_response(response) -> list:
    """The values a callback answer sets, output by output."""
    document = response.get_json()
    return [value for props in document["response"].values() for value in props.values()]


def components(tree: object) -> Iterator[dict]:
    """Every component in a serialised layout, depth first."""
    if isinstance(tree, list):
        for item in tree:
            yield from components(item)
    elif isinstance(tree, dict):
        if "type" in tree and "props" in tree:
            yield tree
            for value in tree["props"].values():
                yield from components(value)
        else:
            for value in tree.values():
                yield from components(value)


def chart_stores(tree: object) -> list[tuple[str, object]]:
    """(chart id, stored rows) of every chart card in a layout."""
    found = []
    for component in components(tree):
        component_id = component["props"].get("id")
        is_store = component["type"] == "Store" and isinstance(component_id, dict)
        if is_store and component_id.get("type") == "chart-rows":
            found.append((component_id["chart"], component["props"].get("data")))
    return found


def html_rendered_texts(tree: object) -> list[str]:
    """Every string of a layout that the browser renders as HTML or follows as a link: markdown
    cells of tables that allow HTML, Markdown that allows HTML, iframe documents, and
    javascript: addresses."""
    texts = []
    for component in components(tree):
        props = component["props"]
        if component["type"] == "DataTable" and (props.get("markdown_options") or {}).get("html"):
            markdown = [
                c["id"] for c in props.get("columns") or [] if c.get("presentation") == "markdown"
            ]
            texts += [str(row.get(c, "")) for row in props.get("data") or [] for c in markdown]
        if component["type"] == "Markdown" and props.get("dangerously_allow_html"):
            texts.append(json.dumps(props.get("children"), ensure_ascii=False))
        if component["type"] == "Iframe" and props.get("srcDoc"):
            texts.append(props["srcDoc"])
        for key in ("href", "src"):
            value = props.get(key)
            if isinstance(value, str) and value.strip().lower().startswith("javascript:"):
                texts.append(value)
    return texts


def _fill(template: str, chart_ids: list[str]) -> list[str]:
    if "<chart_id>" in template:
        return [template.replace("<chart_id>", c) for c in chart_ids]
    return [re.sub(r"<[^>]+>", "x", template)]


def page_targets(client, searches: tuple[str, ...]) -> list[tuple[str, str]]:
    """(path, search) for every registered page, template pages filled with every chart id
    found on the other pages."""
    pages = list(dash.page_registry.values())
    targets = [(p["path"], s) for p in pages if not p.get("path_template") for s in searches]
    chart_ids: list[str] = []
    for path, search in targets[:: len(searches)]:
        response = client.post("/_dash-update-component", json=page_request(path, search))
        if response.status_code == 200:  # a failing page is the caller's to report
            found = chart_stores(dash_response(response))
            chart_ids += [c for c, _ in found if c not in chart_ids]
    for page in pages:
        if page.get("path_template"):
            targets += [(p, s) for p in _fill(page["path_template"], chart_ids) for s in searches]
    return targets


# ---------------------------------------------------------------------------------------------
# The crawl
OBSERVATION_QUERIES = [
    "",
    "?headline_only=false",
    "?tier=aggregator&headline_only=false",
    "?dimension=region&category=sentinel-987654&headline_only=false",
    "?from=2026&to=2026&headline_only=false",
    "?from=2017&to=2017&headline_only=false",
    f"?source={quote(SENTINEL_SOURCE, safe='')}&headline_only=false",
    "?metric=kcsc_sexual_deepfake_correction_requests&headline_only=false",
]
ROUTES = [
    "/",
    "/healthz",
    "/_dash-layout",
    "/_dash-dependencies",
    "/_reload-hash",
    "/_favicon.ico",
    "/api/v1/metrics",
    "/api/v1/metrics?format=csv",
    "/api/v1/sources",
    "/api/v1/sources?format=csv",
    "/api/v1/events",
    "/api/v1/events?format=csv",
    *[f"/api/v1/observations{q}" for q in OBSERVATION_QUERIES],
    *[
        f"/api/v1/observations{q}{'&' if q else '?'}format=csv&limit=10000"
        for q in OBSERVATION_QUERIES
    ],
    *[f"/download/observations.csv{q}" for q in OBSERVATION_QUERIES],
    "/download/events.csv",
    "/download/sources.csv",
    "/download/metrics.csv",
    "/download/datapackage.zip",
]
# public addresses added by later work: the request log's monthly table, whole and filtered
EXTRA_ROUTES: list[str] = [
    "/api/v1/requests/monthly",
    "/api/v1/requests/monthly?format=csv",
    "/api/v1/requests/monthly?platform=instagram",
    "/api/v1/requests/monthly?platform=all&from=2024-10&to=2024-11",
    "/api/v1/requests/monthly?platform=search_engine&format=csv",
    "/api/v1/requests/monthly?from=2025-01&to=2025-01&format=csv",
]
# pages crawled with more addresses than PAGE_SEARCHES: the request pages' filters, and the
# internal view's parameters (by day, by region), which the public view must ignore
EXTRA_PAGES: list[tuple[str, str]] = [
    ("/requests/volume", "?lang=en&platform=instagram"),
    ("/requests/volume", "?lang=ko&from=2024-10&to=2024-11"),
    ("/requests/volume", "?lang=en&grain=day&by=region&platform=search_engine"),
    ("/requests/scorecard", "?lang=en&measure=requests"),
    ("/requests/scorecard", "?lang=ko&month=2024-10&measure=requests&platform=youtube"),
    ("/requests/scorecard", "?lang=en&month=2024-11&measure=share_actioned_pct"),
]
PAGE_SEARCHES = ("?lang=en", "?lang=ko&events=1")
EXPLORER_SEARCHES = (
    "?lang=en&view=rows",
    "?lang=en&tier=aggregator&view=rows",
    f"?lang=en&source={quote(SENTINEL_SOURCE, safe='')}&view=rows",
    "?lang=en&dimension=region&view=rows",
    "?lang=en&from=2026&to=2026",
    "?lang=en&metric=kcsc_sexual_deepfake_correction_requests&view=rows",
    "?lang=ko&from=2017&to=2017&view=rows&page=2",
)
# rules that serve files shipped with the code, never data (probed for traversal below)
STATIC_RULES = (
    "/static/<path:filename>",
    "/assets/<path:filename>",
    "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>",
)
_NUMBER_PATTERNS = [
    re.compile(rf"(?<!\d){n // 1000},?{n % 1000:03d}(?!\d)") for n in SENTINEL_NUMBERS
]


def leaks(text: str) -> list[str]:
    """The sentinels found in `text`."""
    found = [s for s in SENTINEL_TEXTS if s.lower() in text.lower()]
    return found + [p.pattern for p in _NUMBER_PATTERNS if p.search(text)]


def readable(body: bytes) -> list[str]:
    """A response body as texts to search: JSON decoded (Dash escapes '/', '<' and non-ASCII
    text), every file inside a zip, or the text itself."""
    if body[:4] == b"PK\x03\x04":
        package = zipfile.ZipFile(io.BytesIO(body))
        return [t for name in package.namelist() for t in readable(package.read(name))]
    text = body.decode("utf-8", "replace")
    try:
        return [json.dumps(json.loads(text), ensure_ascii=False)]
    except ValueError:
        return [text]


def without_echo(text: str, query: str) -> str:
    """`text` without the values the request itself sent (filters are echoed back, and a
    search for a sentinel is no leak of it)."""
    sent = [v for values in parse_qs(query.split("?", 1)[-1]).values() for v in values]
    for value in sorted(sent, key=len, reverse=True):
        if len(value) >= 8:  # short values (en, rows) would cut words, and are no sentinel
            for form in (value, quote(value, safe=""), quote(value), quote_plus(value)):
                text = text.replace(form, "")
    return text


def crawl(client, bodies: dict[str, bytes] | None = None) -> dict[str, tuple[int, list[str]]]:
    """Every public route, page and callback: what answered, and which sentinels it held (and
    each answer's body in `bodies`, when given)."""
    seen: dict[str, tuple[int, list[str]]] = {}

    def record(name: str, response) -> None:
        texts = [without_echo(t, name) for t in readable(response.get_data())]
        seen[name] = (response.status_code, sorted({s for t in texts for s in leaks(t)}))
        if bodies is not None:
            bodies[name] = response.get_data()

    for route in ROUTES + EXTRA_ROUTES:
        record(route, client.get(route))
    targets = page_targets(client, PAGE_SEARCHES)
    targets += [("/explorer", s) for s in EXPLORER_SEARCHES]
    targets += EXTRA_PAGES
    targets += [(path, "?lang=en") for path in INTERNAL_PATHS]
    output = state_output(client)
    for path, search in targets:
        record(f"GET {path}{search}", client.get(path + search))
        page = client.post("/_dash-update-component", json=page_request(path, search))
        record(f"page {path}{search}", page)
        navbar = client.post("/_dash-update-component", json=navbar_request(path, search))
        record(f"navbar {path}{search}", navbar)
        if page.status_code != 200:
            continue
        tree = dash_response(page)
        for chart, stored in chart_stores(tree):
            download = client.post(
                "/_dash-update-component", json=csv_download_request(chart, stored)
            )
            record(f"csv {chart} on {path}{search}", download)
        controls = [
            (c["props"]["id"]["param"], c["props"].get("value"))
            for c in components(tree)
            if isinstance(c["props"].get("id"), dict)
            and c["props"]["id"].get("type") == "state-control"
        ]
        if controls:
            state = client.post(
                "/_dash-update-component", json=state_request(output, controls, search)
            )
            record(f"state {path}{search}", state)
    return seen


@pytest.fixture(scope="module")
def crawl_bodies(sentinel_app) -> tuple[dict[str, tuple[int, list[str]]], dict[str, bytes]]:
    """The crawl's findings, and every answer's body."""
    bodies: dict[str, bytes] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PUBLIC_RATE_LIMIT_PER_MINUTE", "0")  # the crawl is one busy client
        return crawl(sentinel_app.server.test_client(), bodies), bodies


@pytest.fixture(scope="module")
def crawled(crawl_bodies) -> dict[str, tuple[int, list[str]]]:
    return crawl_bodies[0]


def test_the_sentinels_are_in_the_database_and_the_internal_view(sentinel_db):
    """The crawl proves something only if the internal data is there to leak."""
    from app import create_app
    from db.engine import make_engine
    from db.queries.observations import find_observations

    engine = make_engine(sentinel_db, readonly=True)
    everything = find_observations(engine, include_unverified=True)
    sentinel = everything[everything["value"].isin(SENTINEL_NUMBERS)]
    assert sorted(sentinel["value"]) == [987651, 987652, 987653, 987654]
    assert sentinel["is_unverified"].all()
    public = find_observations(engine, include_unverified=False)
    assert not public["value"].isin(SENTINEL_NUMBERS).any()
    engine.dispose()
    rejected = rows(sentinel_db, "select file_name, raw_row from rejected_rows")
    assert [(name, "SENTINEL-REJECTED-424242" in raw) for name, raw in rejected] == [
        ("internal_rejected.csv", True)
    ]

    internal = create_app(public=False, database_url=sentinel_db)
    page = next(p for p in dash.page_registry.values() if p["path"] == "/explorer")
    search = f"/explorer?lang=en&view=rows&source={quote(SENTINEL_SOURCE, safe='')}"
    with internal.server.test_request_context(search):
        layout = page["layout"](lang="en", view="rows", source=SENTINEL_SOURCE)
    text = json.dumps(layout.to_plotly_json(), default=str, ensure_ascii=False)
    assert "SENTINEL-UNVERIFIED" in text and "987,654" in text


def test_the_record_level_sentinels_are_in_the_database(sentinel_db):
    """The request log's small cells, its synthetic rows and the admin are there to leak."""
    from db.engine import make_engine
    from db.queries import requests as request_queries
    from db.queries.users import find_user

    engine = make_engine(sentinel_db, readonly=True)
    real = request_queries.counts(engine, "month", include_synthetic=False, by_platform=True)
    exact = {
        (p, d.strftime("%Y-%m")): n
        for p, d, n in zip(real["platform"], real["period_start"], real["request_count"])
    }
    assert exact == REQUEST_CELLS
    summary = request_queries.log_summary(engine)
    assert (summary["real_requests"], summary["synthetic_requests"]) == (299, 3000)
    user = find_user(engine, ADMIN_NAME)
    assert user is not None and user.role == "admin"
    engine.dispose()
    (ids,) = rows(
        sentinel_db,
        "select count(*),"
        " sum(case when request_id like :real then 1 else 0 end),"
        " sum(case when request_id like :synthetic then 1 else 0 end),"
        " sum(case when hours_to_action = :hours then 1 else 0 end) from requests",
        real=f"{REQUEST_ID_PREFIX}-%",
        synthetic=f"{SYNTHETIC_ID_PREFIX}-%",
        hours=SMALL_CELL_HOURS,
    )
    small_requests = sum(n for n in REQUEST_CELLS.values() if n < SMALL_CELL_THRESHOLD)
    assert ids == (3299, 299, 3000, small_requests)


def test_no_public_answer_holds_internal_data(crawled):
    leaked = {name: found for name, (_, found) in crawled.items() if found}
    assert not leaked
    assert len(crawled) > 150  # routes, pages in two languages, navbars, chart CSVs, states


def test_every_crawled_address_answers(crawled):
    """Routes and pages 200 (internal pages 404), callbacks 200 or 204: never a 500."""
    internal_paths = INTERNAL_PATHS + [
        p["path"] for p in dash.page_registry.values() if p.get("internal_only")
    ]
    wrong = {}
    for name, (status, _) in crawled.items():
        internal = any(name.startswith(f"GET {p}?") for p in internal_paths)
        if name.startswith(("page ", "navbar ", "csv ", "state ")):
            expected: tuple[int, ...] = (200, 204)
        else:
            expected = (404,) if internal else (200,)
        if status not in expected:
            wrong[name] = status
    assert not wrong


def test_every_public_route_is_crawled(sentinel_app):
    """A new route must be added to ROUTES (or EXTRA_ROUTES) so the crawl checks it."""
    adapter = sentinel_app.server.url_map.bind("localhost")
    crawled_endpoints = set()
    for route in ROUTES + EXTRA_ROUTES + INTERNAL_PATHS:
        endpoint, _ = adapter.match(route.split("?")[0], method="GET")
        crawled_endpoints.add(endpoint)
    missing = [
        rule.rule
        for rule in sentinel_app.server.url_map.iter_rules()
        if "GET" in rule.methods
        and rule.rule not in STATIC_RULES
        and rule.endpoint not in crawled_endpoints
        and rule.rule != "/<path:path>"  # Dash's page catch-all: every page is crawled
    ]
    assert not missing


def test_internal_pages_draw_nothing_in_the_public_view(crawl_bodies):
    """The page callback for an internal address (admin, users, the request log's internal
    pages) answers with a message only: no chart, table or data behind a chart."""
    internal_paths = set(INTERNAL_PATHS) | {
        p["path"] for p in dash.page_registry.values() if p.get("internal_only")
    }
    assert {"/admin", "/requests/backlog", "/requests/victims"} <= internal_paths
    _, bodies = crawl_bodies
    drawn = {}
    for name, body in bodies.items():
        if name.startswith("page ") and name[5:].split("?")[0] in internal_paths:
            tree = json.loads(body)["response"]
            found = [c["type"] for c in components(tree) if c["type"] in DATA_COMPONENTS]
            if found:
                drawn[name] = found
    assert not drawn
    assert sum(name.startswith("page /admin?") for name in bodies) >= 1


@pytest.mark.parametrize("path", INTERNAL_PATHS)
def test_internal_pages_are_404_in_the_public_view(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert leaks(response.get_data(as_text=True)) == []


def test_internal_only_pages_are_404_in_the_public_view(client):
    """Every page registered with internal_only=True, not only the paths listed in
    web/security.py."""
    internal_pages = [p["path"] for p in dash.page_registry.values() if p.get("internal_only")]
    assert "/admin" in internal_pages
    answered = {path: client.get(path).status_code for path in internal_pages}
    assert answered == dict.fromkeys(internal_pages, 404)


# ---------------------------------------------------------------------------------------------
# Counts from the request log: never from 1 to SMALL_CELL_THRESHOLD - 1
DATA_COMPONENTS = ("Graph", "DataTable", "Store")
COUNT_KEYS = ("request_count", "requests")  # of API rows, chart rows and CSV downloads
COUNT_TEXT_KEYS = ("request_count_text", "requests_text")  # of the pages' tables
COUNT_CHARTS = ("requests-volume-public", "requests-volume-total")  # charts drawing counts
Cell = tuple[str, str]  # (platform, month), "all" for a margin


def shown_count(value: object) -> int | None:
    """A count as an answer shows it: a number, or None when it is hidden (a marker or a gap).
    Anything else fails: the check must never skip a count it cannot read."""
    hidden = (None, "", "—", f"<{SMALL_CELL_THRESHOLD}", "suppressed")
    if value in hidden:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        assert value == int(value), value
        return int(value)
    text = str(value).replace(",", "")
    assert text.isdigit(), f"unreadable count {value!r}"
    return int(text)


def _platform_codes() -> dict[str, str]:
    from dashboards._shared.request_cards import code_label

    return {
        code_label("platform", code, lang): code
        for code in (*PLATFORMS, ALL)
        for lang in ("ko", "en")
    }


def _record_cells(records: list[dict]) -> dict[Cell, int | None]:
    cells = {}
    for record in records:
        key = next(k for k in COUNT_KEYS if k in record)
        cells[(record["platform"], record["month"])] = shown_count(record[key] or None)
    return cells


def _csv_cells(text: str) -> dict[Cell, int | None]:
    return _record_cells(list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")))))


def _page_cells(tree: object, measure_is_count: bool) -> dict[str, dict[Cell, int | None]]:
    """Each chart's counts on a request page: the rows behind it, its table, its figure's
    points and the texts its points show on hover."""
    codes = _platform_codes()
    found: dict[str, dict[Cell, int | None]] = {}
    month_of: dict[str, str] = {}
    count_charts = COUNT_CHARTS + (("requests-scorecard-trend",) if measure_is_count else ())
    for component in components(tree):
        props, kind = component["props"], component["type"]
        component_id = props.get("id")
        if (
            kind == "Store"
            and isinstance(component_id, dict)
            and (component_id.get("type") == "chart-rows")
        ):
            chart = component_id.get("chart", "")
            rows = stored_records(props["data"])[1] if props.get("data") else []
            if chart.startswith("requests-") and rows:
                found[f"rows of {chart}"] = _record_cells(rows)
                month_of[chart] = rows[0]["month"]
    for component in components(tree):
        props, kind = component["props"], component["type"]
        component_id = str(props.get("id"))
        if kind == "DataTable" and component_id.startswith("table-requests-"):
            chart = component_id.removeprefix("table-")
            cells = {}
            for row in props.get("data") or []:
                key = next((k for k in COUNT_TEXT_KEYS if k in row), None)
                if key is None and measure_is_count and "value_text" in row:
                    key = "value_text"
                if key is not None:
                    month = row.get("month", month_of.get(chart))
                    cells[(codes[row["platform_label"]], month)] = shown_count(row[key])
            if cells:
                found[f"table of {chart}"] = cells
        if kind == "Graph" and component_id.removeprefix("graph-") in count_charts:
            chart = component_id.removeprefix("graph-")
            points, hover = {}, {}
            for trace in props["figure"]["data"]:
                platform = codes[trace["name"]]
                for x, y, text in zip(trace["x"], trace["y"], trace["customdata"]):
                    points[(platform, x[:7])] = shown_count(y)
                    hover[(platform, x[:7])] = shown_count(text)
            found[f"figure of {chart}"] = points
            found[f"hover texts of {chart}"] = hover
    return found


def log_count_outputs(name: str, body: bytes) -> list[tuple[str, str, dict[Cell, int | None]]]:
    """Every set of request-log counts one crawled answer carries: (kind of output, where,
    counts by cell)."""
    if name.startswith("/api/v1/requests/monthly"):
        if "format=csv" in name:
            return [("API CSV", name, _csv_cells(body.decode("utf-8")))]
        return [("API JSON", name, _record_cells(json.loads(body)["data"]))]
    if name.startswith("csv requests-"):
        download = dash_response_body(body)
        return [("chart CSV", name, _csv_cells(download["content"]))] if download else []
    if name.startswith(("page /requests/volume?", "page /requests/scorecard?")):
        tree = json.loads(body)["response"]
        parts = _page_cells(tree, "measure=requests" in name).items()
        return [(part.split(" of ")[0], f"{part} on {name}", cells) for part, cells in parts]
    return []


def dash_response_body(body: bytes) -> dict | None:
    """The one value a single-output callback set (None for 204: nothing to download)."""
    if not body:
        return None
    values = [v for props in json.loads(body)["response"].values() for v in props.values()]
    return values[0]


def outcome_counts() -> dict[Cell, tuple[int, int, int]]:
    """(actioned, no response, decided) of the log's real requests by platform and month, and
    over all platforms (the platform "all")."""
    totals: dict[Cell, list[int]] = {}
    for row in request_log_rows():
        platform, month, outcome = row[4], row[1][:7], row[8]
        for cell in ((platform, month), (ALL, month)):
            counts = totals.setdefault(cell, [0, 0, 0])
            counts[0] += outcome in ("removed", "blocked")
            counts[1] += outcome == "no_response"
            counts[2] += outcome != "pending"
    return {cell: tuple(counts) for cell, counts in totals.items()}


def test_no_public_count_from_the_log_is_from_1_to_9(crawl_bodies):
    """Every count of the request log that the public view shows (API JSON and CSV, each request
    page's chart rows, tables, figures, hover texts and CSV downloads, in both languages and
    with filters) is the exact count of real requests, and 0 or at least the threshold; each
    cell whose count is from 1 to 9 is hidden in every output that has it."""
    _, bodies = crawl_bodies
    truth, small = published_truth(), small_cells()
    assert small == {
        ("telegram", "2024-09"), ("x", "2024-10"), ("instagram", "2024-11"),
        ("youtube", "2024-10"), ("adult_site", "2024-12"), ("search_engine", "2024-11"),
        ("facebook", "2025-01"), ("search_engine", ALL), ("facebook", ALL), (ALL, "2025-01"),
    }  # fmt: skip
    wrong, covered = [], {}
    for name, body in bodies.items():
        for kind, output, cells in log_count_outputs(name, body):
            covered.setdefault(kind, set()).update(c for c in cells if c in small)
            for cell, count in cells.items():
                if count is None:
                    continue
                if count != truth[cell] or 1 <= count < SMALL_CELL_THRESHOLD:
                    wrong.append(f"{output}: {cell} shows {count} (count {truth[cell]})")
    assert not wrong, wrong[:20]
    # every kind of output had every small cell it can carry (the pages draw months, not the
    # platforms' totals over all months)
    monthly = {cell for cell in small if cell[1] != ALL}
    expected = {"API JSON": small, "API CSV": small} | dict.fromkeys(
        ("chart CSV", "rows", "table", "figure", "hover texts"), monthly
    )
    assert covered == expected


def test_no_public_share_or_time_lets_a_small_count_be_worked_out(crawl_bodies):
    """A share is published only when neither its numerator nor its complement is from 1 to 9
    (and at least 10 requests have an outcome), hours to action only for at least 10 actioned
    requests; published shares are those of real requests."""
    _, bodies = crawl_bodies
    outcomes = outcome_counts()
    wrong, published = [], 0
    for name, body in bodies.items():
        if not name.startswith("/api/v1/requests/monthly") or "format=csv" in name:
            continue
        for row in json.loads(body)["data"]:
            cell = (row["platform"], row["month"])
            actioned, silent, decided = outcomes.get(cell, (0, 0, 0))
            for key, part in (("share_actioned_pct", actioned), ("share_no_response_pct", silent)):
                if row[key] is None:
                    continue
                published += 1
                small_parts = [n for n in (part, decided - part) if 1 <= n < SMALL_CELL_THRESHOLD]
                if decided < SMALL_CELL_THRESHOLD or small_parts:
                    wrong.append(f"{name}: {cell} {key} {row[key]} rests on {part}/{decided}")
                elif row[key] != round(100 * part / decided):
                    wrong.append(f"{name}: {cell} {key} {row[key]} is not {part}/{decided}")
            if row["median_hours_to_action"] is not None and actioned < SMALL_CELL_THRESHOLD:
                wrong.append(f"{name}: {cell} hours to action of {actioned} requests")
    assert not wrong, wrong[:20]
    assert published > 0


# ---------------------------------------------------------------------------------------------
# SQL injection
SQL_PAYLOADS = [
    "' OR '1'='1",
    "1' OR 1=1 --",
    "'; DROP TABLE observations; --",
    '" OR ""="',
    "x') UNION SELECT source_url, title FROM sources --",
    "%' OR '%'='",
    "\\'; DELETE FROM sources; --",
    "1; UPDATE observations SET value = 0",
]


def _parameters() -> list[str]:
    from web.params import FILTER_PARAMETERS

    return [*FILTER_PARAMETERS, "format", "encoding", "limit", "offset"]


def test_sql_injection_in_every_parameter_changes_and_widens_nothing(client, sentinel_db):
    before = table_checksum(sentinel_db)
    for name in _parameters():
        for payload in SQL_PAYLOADS:
            query = {name: payload}
            api = client.get("/api/v1/observations", query_string=query)
            assert api.status_code in (200, 400), (name, payload, api.status_code)
            if api.status_code == 200:  # the filter was used: it must match nothing
                assert api.get_json()["total"] == 0, (name, payload)
            else:
                assert api.get_json()["error"].startswith(name), (name, payload)
            download = client.get("/download/observations.csv", query_string=query)
            assert download.status_code in (200, 400), (name, payload)
            if download.status_code == 200:
                assert download.headers["X-Rows-Total"] == "0", (name, payload)
            for registry in ("/api/v1/sources", "/download/events.csv"):
                response = client.get(registry, query_string=query)
                assert response.status_code in (200, 400), (registry, name, payload)
            client.application.extensions[LIMITER_KEY].reset()
    # the explorer's filters: those that reach a query one by one; those it checks against a
    # list first (tier, years, view, page) together, as each such view costs seconds to draw
    searches = [
        {param: payload} for param in ("metric", "source", "dimension") for payload in SQL_PAYLOADS
    ]
    searches += [dict.fromkeys(("tier", "from", "to", "view", "page"), p) for p in SQL_PAYLOADS[:2]]
    for params in searches:
        search = "?lang=en&" + urlencode(params)
        page = client.post("/_dash-update-component", json=page_request("/explorer", search))
        assert page.status_code == 200, search
        assert not leaks(without_echo(page.get_data(as_text=True), search)), search
    assert table_checksum(sentinel_db) == before


# ---------------------------------------------------------------------------------------------
# Path traversal
TRAVERSALS = [
    "/download/..%2f..%2fetc%2fpasswd.csv",
    "/download/%2e%2e/app.py",
    "/download/../app.py",
    "/download/..%2fconfig.py",
    "/download/%2e%2e%2f%2e%2e%2fconfig.py.csv",
    "/download/....//....//etc/passwd.csv",
    "/download/datapackage.zip/../../app.py",
    "/download/..%5c..%5capp.py.csv",
    "/assets/../config.py",
    "/assets/..%2fconfig.py",
    "/assets/%2e%2e/config.py",
    "/assets/%2e%2e%2fconfig.py",
    "/assets/..%5cconfig.py",
    "/assets/%252e%252e/config.py",
    "/static/../config.py",
    "/static/..%2fapp.py",
    "/api/v1/../../config.py",
    "/api/v1/%2e%2e/%2e%2e/app.py",
    "/_dash-component-suites/../../config.py",
    "/_dash-component-suites/dash/../../../config.py",
    "/_dash-component-suites/dash/deps/..%2f..%2f..%2fconfig.py",
]
FILE_MARKERS = ("root:x:0:0", "def create_app", "def database_url", "import config")


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_is_404_and_serves_no_file(client, path):
    response = client.get(path)
    body = response.get_data(as_text=True)
    assert not [m for m in FILE_MARKERS if m in body]
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path", ["/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd", "/embed/..%2f..%2fconfig.py"]
)
def test_traversal_outside_the_data_paths_gets_the_app_shell_only(client, path):
    response = client.get(path)  # Dash serves its page shell; the page itself says not found
    body = response.get_data(as_text=True)
    assert response.status_code in (200, 404)
    assert not [m for m in FILE_MARKERS if m in body]
    assert Path(ROOT / "config.py").read_text(encoding="utf-8")[:200] not in body


# ---------------------------------------------------------------------------------------------
# Methods
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")


def test_only_get_and_head_are_answered_on_every_public_address(client):
    paths = {route.split("?")[0] for route in ROUTES + EXTRA_ROUTES}
    paths |= {p["path"] for p in dash.page_registry.values() if not p.get("path_template")}
    paths |= set(INTERNAL_PATHS) | {"/embed/police-cases-trend", "/assets/02-app.css"}
    refused = {}
    for path in sorted(paths):
        for method in WRITE_METHODS:
            response = client.open(path, method=method, data=b"x=1")
            if response.status_code != 405 or "Allow" not in response.headers:
                refused[f"{method} {path}"] = response.status_code
            client.application.extensions[LIMITER_KEY].reset()
        assert client.head(path).status_code in (200, 404), path
    assert not refused


def test_csv_answers_are_tidy(client):
    """Every CSV route in the crawl parses as CSV with one header (a smoke check on format)."""
    for route in ROUTES:
        if route.startswith("/download/") and route.endswith(".csv") or "format=csv" in route:
            body = client.get(route).get_data().decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(body)))
            assert rows and all(len(r) == len(rows[0]) for r in rows), route
            client.application.extensions[LIMITER_KEY].reset()
