"""The request-log pages and API on a database holding the shipped figures, a synthetic log and
a small "real" log: exact numbers and a synthetic-data banner inside, and in the public view no
synthetic row and no count from 1 to 9 in any page, chart, table, download or API answer."""

from __future__ import annotations

import csv
import io
import json

import dash
import pandas as pd
import pyarrow.compute as pc
import pytest
from plotly.utils import PlotlyJSONEncoder

from dashboards._shared.chart_card import stored_records
from db.engine import create_schema, make_engine
from etl import load
from etl.requests import synth
from tests.conftest import DATA
from tests.databases import new_database, plain_frame
from web.security import LIMITER_KEY

SYNTHETIC_ROWS, REAL_ROWS = 4000, 3000
PATHS = ("/requests/volume", "/requests/scorecard", "/requests/backlog", "/requests/victims")


def real_log(path, rows: int, seed: int) -> None:
    """A log that is not marked synthetic: the generator's rows with their marks taken off,
    standing in for an agency's real log (test data only)."""
    table = synth.generate_table(rows, seed).drop_columns(["synthetic"])
    ids = pc.replace_substring(table["request_id"], "SYN-", "REQ-")
    synth.write(table.set_column(0, "request_id", ids), path)


@pytest.fixture(scope="module")
def requests_db(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("requests")
    synthetic, real = folder / "synthetic.parquet", folder / "agency_log.csv"
    synth.write(synth.generate_table(SYNTHETIC_ROWS, 21), synthetic)
    real_log(real, REAL_ROWS, 22)
    url = new_database(folder, "requests")
    engine = make_engine(url)
    create_schema(engine)
    report = load.run([str(DATA), str(synthetic), str(real)], engine, write=True)
    assert not report.problems, [str(p) for p in report.problems[:5]]
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def raw(requests_db) -> pd.DataFrame:
    frame = plain_frame(requests_db, "select * from requests")
    frame["month"] = frame["received_date"].str[:7]
    return frame


@pytest.fixture(scope="module")
def apps(requests_db):
    from app import create_app

    return {
        "internal": create_app(public=False, database_url=requests_db),
        "public": create_app(public=True, database_url=requests_db),
    }


@pytest.fixture(autouse=True)
def _no_rate_limit(apps):
    apps["public"].server.extensions[LIMITER_KEY].reset()


def layout(app, path: str, lang: str = "en", **query) -> dict:
    page = next(p for p in dash.page_registry.values() if p["path"] == path)
    with app.server.test_request_context(f"/?lang={lang}"):
        component = page["layout"](lang=lang, **query)
        return json.loads(json.dumps(component.to_plotly_json(), cls=PlotlyJSONEncoder))


def walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def shown(tree: dict) -> dict[str, list]:
    """Every value the page puts in front of a reader: plotted points, table cells, and the
    rows behind the CSV download."""
    out = {"plotted": [], "cells": [], "download": []}
    for node in walk(tree):
        kind, props = node.get("type"), node.get("props", {})
        if kind == "Graph":
            for trace in props["figure"]["data"]:
                out["plotted"] += [
                    v
                    for v in (trace.get("x", []) + trace.get("y", []))
                    if isinstance(v, int | float)
                ]
        elif kind == "DataTable":
            out["cells"] += [v for row in props["data"] for v in row.values()]
        elif (
            kind == "Store"
            and isinstance(props.get("id"), dict)
            and props["id"].get("type") == "chart-rows"
        ):
            out["download"] += stored_records(props["data"])[1]
    return out


def small_counts(values) -> list:
    found = []
    for value in values:
        text = str(value).replace(",", "")
        if text.isdigit() and 1 <= int(text) <= 9:
            found.append(value)
    return found


def test_pages_are_registered_and_two_are_internal_only(apps):
    pages = {p["path"]: p for p in dash.page_registry.values() if p["path"] in PATHS}
    assert sorted(pages) == sorted(PATHS)
    assert [p.get("internal_only", False) for p in (pages[x] for x in PATHS)] == [
        False,
        False,
        True,
        True,
    ]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("lang, label", [("en", "Synthetic data"), ("ko", "합성 데이터")])
def test_internal_charts_using_synthetic_rows_carry_the_banner(apps, path, lang, label):
    text = json.dumps(layout(apps["internal"], path, lang), ensure_ascii=False)
    assert "synthetic-banner" in text and label in text


def test_internal_volume_counts_every_request(apps, raw):
    tree = layout(apps["internal"], "/requests/volume", by="platform")
    rows = pd.DataFrame(shown(tree)["download"])
    assert rows["request_count"].sum() == SYNTHETIC_ROWS + REAL_ROWS
    telegram = rows[(rows["category"] == "telegram") & (rows["period_start"] == "2024-09-01")]
    expected = raw[(raw["platform"] == "telegram") & (raw["month"] == "2024-09")]
    assert telegram["request_count"].tolist() == [len(expected)]
    assert telegram["synthetic_count"].tolist() == [int(expected["is_synthetic"].sum())]


def test_internal_scorecard_median_equals_the_raw_rows(apps, raw):
    tree = layout(apps["internal"], "/requests/scorecard", month="2024-11")
    rows = pd.DataFrame(shown(tree)["download"])
    actioned = raw[raw["outcome"].isin(["removed", "blocked"]) & (raw["month"] == "2024-11")]
    for platform in ("telegram", "x", "adult_site"):
        hours = actioned.loc[actioned["platform"] == platform, "hours_to_action"]
        row = rows[(rows["platform"] == platform) & (rows["month"] == "2024-11")].iloc[0]
        assert row["median_hours_to_action"] == pytest.approx(hours.median())
        assert row["p90_hours_to_action"] == pytest.approx(hours.quantile(0.9))


def test_internal_backlog_counts_pending_requests_by_age(apps, raw):
    rows = pd.DataFrame(shown(layout(apps["internal"], "/requests/backlog"))["download"])
    pending = raw[raw["outcome"] == "pending"]
    by_band = rows[rows["category"].str.contains("-")]
    assert by_band["pending_count"].sum() == len(pending)
    as_of = pd.Timestamp(raw["received_date"].max())
    waited = (as_of - pd.to_datetime(pending["received_date"])).dt.days
    assert by_band.iloc[0]["pending_count"] == int((waited <= 7).sum())


def test_public_pages_show_no_synthetic_row_and_no_small_count(apps, raw):
    real = raw[~raw["is_synthetic"].astype(bool)]
    for path in ("/requests/volume", "/requests/scorecard"):
        for lang in ("en", "ko"):
            tree = layout(apps["public"], path, lang)
            text = json.dumps(tree, ensure_ascii=False)
            assert "synthetic-banner" not in text and "synthetic.parquet" not in text
            values = shown(tree)
            assert small_counts(values["cells"]) == []
            counts = [r.get("request_count", r.get("requests")) for r in values["download"]]
            assert small_counts(counts) == []
            assert "<10" in values["cells"] and "<10" in counts
    # the public totals are the real log's, not the synthetic one's
    tree = layout(apps["public"], "/requests/volume")
    rows = pd.DataFrame(shown(tree)["download"])
    totals = rows[rows["platform"] == "all"]
    assert pd.to_numeric(totals["request_count"], errors="coerce").sum() <= len(real)
    september = real[real["month"] == "2024-09"]
    assert totals.loc[totals["month"] == "2024-09", "request_count"].tolist() == [len(september)]


def test_public_charts_draw_suppressed_cells_as_gaps(apps):
    tree = layout(apps["public"], "/requests/volume")
    graph = next(n for n in walk(tree) if n.get("type") == "Graph")
    ys = [y for trace in graph["props"]["figure"]["data"] for y in trace["y"]]
    assert None in ys
    assert small_counts(y for y in ys if y is not None) == []
    assert "show as '<10'" in json.dumps(tree)


@pytest.mark.parametrize("path", ["/requests/backlog", "/requests/victims"])
def test_internal_only_pages_say_so_in_the_public_view(apps, path):
    text = json.dumps(layout(apps["public"], path))
    assert "This page is internal" in text
    assert "Graph" not in text


def test_the_public_navigation_leaves_internal_pages_out(apps):
    from dashboards._shared.shell import render_navbar

    for name, expected in (("public", False), ("internal", True)):
        with apps[name].server.test_request_context("/?lang=en"):
            text = json.dumps(render_navbar("/", "?lang=en"), cls=PlotlyJSONEncoder)
        assert ("/requests/backlog" in text) is expected
        assert "/requests/scorecard" in text


def api(client, query: str = "", status: int = 200):
    response = client.get("/api/v1/requests/monthly" + query)
    assert response.status_code == status, response.get_data(as_text=True)
    return response


def test_public_api_is_the_suppressed_table_of_the_pages(apps):
    client = apps["public"].server.test_client()
    body = api(client, "?platform=telegram&from=2023-01&to=2024-12").get_json()
    rows = body["data"]
    assert body["filters"]["suppressed"] is True
    assert small_counts(r["request_count"] for r in rows if r["request_count"] is not None) == []
    hidden = [r for r in rows if r["suppressed"]]
    assert hidden and all(r["request_count"] is None for r in hidden)
    assert {r["request_count_text"] for r in hidden if r["suppressed"] == "primary"} == {"<10"}
    page = pd.DataFrame(
        shown(
            layout(
                apps["public"],
                "/requests/volume",
                platform="telegram",
                **{"from": "2023-01", "to": "2024-12"},
            )
        )["download"]
    )
    page = page[page["platform"] == "telegram"]
    from_api = {
        (r["month"], r["request_count_text"].replace(",", "")) for r in rows if r["month"] != "all"
    }
    assert from_api == {(m, str(c)) for m, c in zip(page["month"], page["request_count"])}


def test_public_api_csv_writes_small_counts_as_markers(apps):
    client = apps["public"].server.test_client()
    response = api(client, "?format=csv&encoding=utf-8")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="requests_monthly_data-'
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {r["request_count"] for r in rows if r["suppressed"] == "primary"} == {"<10"}
    assert {r["request_count"] for r in rows if r["suppressed"] == "complementary"} <= {
        "suppressed"
    }
    assert small_counts(r["request_count"] for r in rows) == []
    assert "synthetic_count" not in rows[0]


def test_internal_api_is_exact_and_counts_synthetic_rows(apps, raw):
    client = apps["internal"].server.test_client()
    rows = api(client, "?platform=all").get_json()["data"]
    assert sum(r["request_count"] for r in rows) == SYNTHETIC_ROWS + REAL_ROWS
    assert sum(r["synthetic_count"] for r in rows) == SYNTHETIC_ROWS


@pytest.mark.parametrize(
    "query, message",
    [
        ("?platform=tiktok", 'platform: "tiktok" is not one of telegram, x'),
        ("?from=2024-13", 'from: "2024-13" is not a calendar date'),
        ("?from=2025&to=2024", "from: 2025-01 is after to=2024-12"),
        ("?format=xml", 'format: "xml" is not one of json, csv'),
        ("?metric=x", '"metric": unknown parameter; allowed here: platform, from, to, format'),
    ],
)
def test_bad_parameters_give_400_with_a_message(apps, query, message):
    for name in ("public", "internal"):
        body = api(apps[name].server.test_client(), query, 400).get_json()
        assert body["error"].startswith(message), body
