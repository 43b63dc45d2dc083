"""The JSON API on the shipped data: every endpoint, every filter, every error, caching."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest

from db.queries.observations import find_observations
from db.queries.selection import ROW_COLUMNS, ObservationFilter, page_observations
from tests.databases import new_database
from web.security import LIMITER_KEY

POLICE = "police_deepfake_cases_reported"
BASE = f"/api/v1/observations?metric={POLICE}"
HOSTILE = [
    "from=banana",
    "to=99999999",
    "metric=%27%3B%20drop%20table%20x%3B--",
    "from=2024&to=2020",
    "format=exe",
    "headline_only=maybe",
    "dimension=" + "x" * 5000,
    "from=%00",
    "metric=" + "%E2%80%AE" * 50,
    "limit=99999999999",
    "offset=-1",
    "tier=%00",
    "category=" + "%F0%9F%92%A5" * 200,
    "metric=" + "a," * 60,
    "encoding=utf-16",
    "from=%ff%fe",
    "to=2024-02-30",
    "format=csv&format=json",
    "%00=1",
    "limit=abc",
]


@pytest.fixture(autouse=True)
def _no_rate_limit_between_tests(public_app):
    public_app.server.extensions[LIMITER_KEY].reset()


def get_json(client, path: str, status: int = 200) -> dict:
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    return response.get_json()


def values(rows: list[dict]) -> list:
    return [row["value"] for row in rows]


def test_metrics_list_names_units_definitions_and_breaks(public_client):
    body = get_json(public_client, "/api/v1/metrics")
    assert body["count"] == len(body["data"]) == 104
    police = next(m for m in body["data"] if m["metric"] == POLICE)
    assert police["name_en"] == "Sexual-deepfake cases reported to police"
    assert police["name_ko"] == "허위영상물 범죄 접수 건수 (경찰)"
    assert (police["unit"], police["unit_kind"], police["agency"]) == ("cases", "count", "KNPA")
    assert police["definition_en"].startswith("Sexual-deepfake cases received")
    assert police["breaks_en"].startswith("Definition break at 2024")
    assert [(b["break_date"], b["kind"]) for b in police["series_breaks"]] == [
        ("2024-01-01", "definition"),
        ("2024-10-16", "scope"),
    ]


def test_the_2024_police_figure_is_1202_with_its_source(public_client):
    body = get_json(public_client, f"{BASE}&from=2024&to=2024")
    full_year = [r for r in body["data"] if r["period_end"] == "2024-12-31"]
    assert len(full_year) == 1
    row = full_year[0]
    assert row["value"] == 1202
    assert row["period_start"] == "2024-01-01"
    assert row["is_complete"] is True
    assert row["source_url"] == (
        "https://imnews.imbc.com/news/2025/society/article/6686274_36719.html"
    )
    assert row["source_url"].startswith("http")
    assert (row["tier"], row["is_headline"], row["is_unverified"]) == ("press", True, False)
    assert list(row) == ROW_COLUMNS
    assert body["filters"] == {
        "metric": [POLICE],
        "from": "2024-01-01",
        "to": "2024-12-31",
        "dimension": None,
        "category": None,
        "tier": [],
        "source": None,
        "headline_only": True,
        "include_unverified": False,
        "limit": 1000,
        "offset": 0,
    }
    assert body["count"] == body["total"] == 10


def test_period_filters_keep_every_overlapping_period(public_client):
    body = get_json(public_client, f"{BASE}&from=2024-09-01&to=2024-09-30")
    assert values(body["data"]) == [812, 921, 1094, 1202, 367, 476, 519, 649]
    only_from = get_json(public_client, f"{BASE}&from=2024-11")
    assert values(only_from["data"]) == [1094, 1202, 649]
    only_to = get_json(public_client, f"{BASE}&to=2023")
    assert values(only_to["data"]) == [496]


def test_tier_and_headline_filters(public_client, internal_client):
    wire = get_json(public_client, f"{BASE}&from=2024&to=2024&tier=wire")
    assert values(wire["data"]) == [921, 1094, 476, 649]
    assert {r["tier"] for r in wire["data"]} == {"wire"}
    everything = get_json(internal_client, f"{BASE}&from=2024&to=2024&headline_only=false")
    assert everything["total"] == 14
    public_all = get_json(public_client, f"{BASE}&from=2024&to=2024&headline_only=0")
    assert public_all["total"] == 12
    assert get_json(internal_client, f"{BASE}&from=2024&to=2024&headline_only=1")["total"] == 12


def test_dimension_and_category_filters(public_client, internal_client):
    query = (
        "/api/v1/observations?metric=police_deepfake_suspects_apprehended"
        "&dimension=age_group&category=10s"
    )
    assert values(get_json(public_client, query)["data"]) == [251, 324, 381, 463]
    internal = get_json(internal_client, query)["data"]
    assert values(internal) == [251, 324, 381, 411, 463, 548, 669]
    assert [r["value"] for r in internal if r["is_unverified"]] == [411, 548, 669]


def test_public_api_never_returns_unverified_rows(public_client, internal_client):
    metric = "kcsc_sexual_deepfake_correction_requests"
    for query in (
        "",
        "&headline_only=false",
        "&tier=aggregator&headline_only=false",
        "&tier=aggregator",
    ):
        rows = get_json(public_client, f"/api/v1/observations?metric={metric}{query}")["data"]
        assert 5795 not in values(rows)
        assert not [r for r in rows if r["is_unverified"] or "m99f.com" in r["source_url"]]
    everything = get_json(public_client, "/api/v1/observations?headline_only=false&limit=10000")
    assert everything["total"] == everything["count"]
    assert not [r for r in everything["data"] if r["is_unverified"]]
    internal = get_json(internal_client, f"/api/v1/observations?metric={metric}")["data"]
    spam = [r for r in internal if r["value"] == 5795]
    assert [(r["is_unverified"], r["tier"]) for r in spam] == [(True, "aggregator")]
    assert spam[0]["source_url"].startswith("https://jsc.m99f.com/")


def test_aggregator_tier_in_public_gives_only_corroborated_rows(public_client):
    rows = get_json(public_client, f"{BASE}&tier=aggregator&headline_only=false")["data"]
    assert [(r["value"], r["period_end"], r["is_unverified"]) for r in rows] == [
        (1202, "2024-12-31", False)
    ]
    assert rows[0]["source_url"] == "https://theqoo.net/square/3611787494?listStyle=viewer"


def test_public_sources_are_those_of_verified_figures_and_events(public_client, internal_client):
    public = {s["source_url"] for s in get_json(public_client, "/api/v1/sources")["data"]}
    internal = {s["source_url"] for s in get_json(internal_client, "/api/v1/sources")["data"]}
    spam = "https://jsc.m99f.com/?Slot=2024-11-25%2Fzqtffk.html"
    assert spam in internal and spam not in public
    assert public < internal
    rows = get_json(public_client, "/api/v1/observations?headline_only=false&limit=10000")["data"]
    assert {r["source_url"] for r in rows} <= public


def test_events_have_dates_with_their_precision(public_client):
    body = get_json(public_client, "/api/v1/events")
    assert body["count"] == 32
    first = body["data"][0]
    assert (
        first["date_text"],
        first["date_precision"],
        first["date_start"],
        first["date_end"],
    ) == ("2018-04-30", "day", "2018-04-30", "2018-04-30")
    year = next(e for e in body["data"] if e["date_text"] == "2020")
    assert (year["date_precision"], year["date_start"], year["date_end"]) == (
        "year",
        "2020-01-01",
        "2020-12-31",
    )
    assert all(e["source_url"].startswith("http") for e in body["data"])


def test_paging_with_limit_and_offset(public_client):
    first = get_json(public_client, f"{BASE}&from=2024&to=2024&limit=4")
    assert (first["count"], first["total"], first["next_offset"]) == (4, 10, 4)
    second = get_json(public_client, f"{BASE}&from=2024&to=2024&limit=4&offset=4")
    last = get_json(public_client, f"{BASE}&from=2024&to=2024&limit=4&offset=8")
    assert "next_offset" not in last
    whole = get_json(public_client, f"{BASE}&from=2024&to=2024")
    assert values(first["data"] + second["data"] + last["data"]) == values(whole["data"])


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def as_csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@pytest.mark.parametrize(
    "query",
    [
        f"{BASE}&from=2024&to=2024",
        f"{BASE}&headline_only=false",
        "/api/v1/observations?metric=police_deepfake_suspects_apprehended&dimension=age_group",
        "/api/v1/observations?tier=official&headline_only=false",
    ],
)
def test_json_and_csv_hold_the_same_rows(internal_client, query):
    rows = get_json(internal_client, query)["data"]
    response = internal_client.get(query + "&format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.get_data()[:3] == b"\xef\xbb\xbf"
    table = csv_rows(response)
    assert len(table) == len(rows) > 0
    for json_row, csv_row in zip(rows, table, strict=True):
        expected = {k: as_csv_text(v) for k, v in json_row.items()}
        expected = {
            k: ("'" + v if k != "value" and v[:1] in "=+-@" and v else v)
            for k, v in expected.items()
        }
        assert csv_row == expected


def test_api_csv_is_named_after_its_selection(public_client):
    response = public_client.get(f"{BASE}&from=2024&to=2024&format=csv&encoding=utf-8")
    loaded = get_json(public_client, "/healthz")["last_load"][:10]
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="observations_{POLICE}_2024-2024_data-{loaded}.csv"'
    )
    assert response.get_data()[:6] == b"metric"
    paged = public_client.get(f"{BASE}&from=2024&to=2024&format=csv&limit=3&offset=3")
    assert paged.headers["Content-Disposition"] == (
        f'attachment; filename="observations_{POLICE}_2024-2024_rows-4-6_data-{loaded}.csv"'
    )
    assert len(csv_rows(paged)) == 3


@pytest.mark.parametrize("mode", ["public", "internal"])
@pytest.mark.parametrize(
    "selection",
    [
        ObservationFilter(),
        ObservationFilter(metrics=(POLICE,), headline_only=False, tiers=("wire", "aggregator")),
        ObservationFilter(dimension="age_group", category="10s", headline_only=False),
        ObservationFilter(
            date_from=__import__("datetime").date(2024, 8, 28),
            date_to=__import__("datetime").date(2024, 10, 16),
        ),
    ],
)
def test_api_selection_matches_find_observations(loaded_db, mode, selection):
    from dataclasses import replace

    from db.engine import read_engine

    engine = read_engine(loaded_db)
    selection = replace(selection, include_unverified=mode == "internal")
    ours = page_observations(engine, selection, limit=100_000)
    theirs = find_observations(
        engine,
        metrics=selection.metrics,
        headline_only=selection.headline_only,
        include_unverified=selection.include_unverified,
        dimension=selection.dimension,
        category=selection.category,
        tiers=selection.tiers,
        date_from=selection.date_from,
        date_to=selection.date_to,
    )
    assert len(ours) == len(theirs) > 0
    assert [r["value"] for r in ours] == [float(v) for v in theirs["value"]]
    assert [r["source_url"] for r in ours] == list(theirs["source_url"])


def test_etag_and_if_none_match(public_client):
    path = f"{BASE}&from=2024&to=2024"
    first = public_client.get(path)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert etag.startswith('"') and len(etag) == 34
    again = public_client.get(path, headers={"If-None-Match": etag})
    assert (again.status_code, again.get_data(), again.headers["ETag"]) == (304, b"", etag)
    weak = public_client.get(path, headers={"If-None-Match": f'"other", W/{etag}'})
    assert weak.status_code == 304
    assert public_client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    reordered = public_client.get(f"/api/v1/observations?to=2024&from=2024&metric={POLICE}")
    assert reordered.headers["ETag"] == etag
    assert public_client.get(f"{BASE}&from=2023").headers["ETag"] != etag


def test_internal_answers_are_private_to_the_browser(internal_client):
    assert internal_client.get("/api/v1/metrics").headers["Cache-Control"] == (
        "private, max-age=300"
    )


def test_answers_are_cached_per_request_and_bounded(public_app, public_client):
    from web.api import CACHE_KEY

    cache = public_app.server.extensions[CACHE_KEY]
    cache.clear()
    public_client.get(f"{BASE}&from=2024")
    public_client.get(f"{BASE}&from=2024")
    public_client.get(f"{BASE}&from=2023")
    assert len(cache) == 2
    assert cache.max_entries == 256


def test_a_repeated_request_is_answered_without_being_parsed_again(
    public_app, public_client, monkeypatch
):
    """The same request, exactly as sent, finds its answer by its address; another spelling of
    it is checked once and shares the answer; a refused request is checked every time."""
    from web import api, params

    parsed = []

    def counted(*args, **kwargs):
        parsed.append(args[0].to_dict())
        return params.parse_observations(*args, **kwargs)

    monkeypatch.setattr(api, "parse_observations", counted)
    public_app.server.extensions[api.REQUEST_KEYS_KEY].clear()
    first = public_client.get(f"{BASE}&from=2022&format=csv")
    again = public_client.get(f"{BASE}&from=2022&format=csv")
    assert (first.status_code, again.get_data()) == (200, first.get_data())
    assert again.headers["ETag"] == first.headers["ETag"]
    assert parsed == [{"metric": POLICE, "from": "2022", "format": "csv"}]
    other = public_client.get(f"/api/v1/observations?format=csv&from=2022&metric={POLICE}")
    assert other.get_data() == first.get_data() and len(parsed) == 2
    for _ in range(2):
        assert public_client.get(f"{BASE}&from=banana").status_code == 400
    assert len(parsed) == 4
    assert public_client.get("/api/v1/metrics?format=xml").status_code == 400


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_parameters_get_400_never_500(public_client, internal_client, query):
    for client in (public_client, internal_client):
        response = client.get("/api/v1/observations?" + query)
        assert response.status_code == 400, (query, response.get_data()[:200])
        body = response.get_json()
        assert set(body) == {"error"}
        assert b"Traceback" not in response.get_data()
        assert "\u202e" not in body["error"]


def test_errors_name_the_parameter(public_client):
    cases = {
        "from=banana": 'from: "banana" is not a date as YYYY, YYYY-MM or YYYY-MM-DD',
        "metric=nonexistent_metric": (
            'metric: unknown metric "nonexistent_metric"; GET /api/v1/metrics lists them'
        ),
        "from=2024&to=2020": "from: 2024-01-01 is after to=2020-12-31",
        "metric=" + "%E2%80%AE" * 50: "metric: holds control or invisible formatting characters",
    }
    for query, message in cases.items():
        assert get_json(public_client, "/api/v1/observations?" + query, 400) == {"error": message}
    assert get_json(public_client, "/api/v1/metrics?format=xml", 400) == {
        "error": 'format: "xml" is not one of json, csv'
    }
    assert get_json(public_client, "/api/v1/sources?metric=x", 400)["error"].startswith(
        '"metric": unknown parameter; allowed here: format, encoding'
    )


def test_unknown_addresses_under_api_are_json_404(public_client, internal_client):
    for client in (public_client, internal_client):
        for path in (
            "/api/v1/nothing",
            "/api/v2/observations",
            "/api/v1/",
            "/api/v1/observations/1",
            "/api/" + quote("..%2f..%2fetc%2fpasswd"),
        ):
            assert get_json(client, path, 404) == {
                "error": "no such address; see /api for what is served"
            }


def test_registry_csv_from_the_api(public_client):
    response = public_client.get("/api/v1/metrics?format=csv&encoding=utf-8")
    rows = csv_rows(response)
    assert len(rows) == 104
    assert list(rows[0]) == [
        "metric",
        "agency",
        "theme",
        "name_en",
        "name_ko",
        "unit",
        "unit_name_en",
        "unit_name_ko",
        "unit_kind",
        "definition_en",
        "definition_ko",
        "breaks_en",
        "breaks_ko",
    ]


def test_empty_values_mean_not_given(public_client):
    plain = get_json(public_client, f"{BASE}&from=2024&to=2024")
    empty = get_json(public_client, f"{BASE}&from=2024&to=2024&dimension=&headline_only=&limit=")
    assert empty["data"] == plain["data"]
    assert empty["filters"] == plain["filters"]


def test_unreadable_database_gives_503_json_not_a_traceback(tmp_path):
    from app import create_app

    app = create_app(public=True, database_url=new_database(tmp_path, "absent"))
    client = app.server.test_client()
    for path in (
        "/api/v1/metrics",
        "/api/v1/observations?from=2024",
        "/download/events.csv",
        "/download/observations.csv",
        "/download/datapackage.zip",
    ):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.get_json() == {
            "error": "the database cannot be read right now; try again later"
        }
