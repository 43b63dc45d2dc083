"""Downloads: streamed CSVs named after what they hold, formula-safe, capped honestly, and the
Frictionless data package, validated with frictionless itself."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from etl import kinds
from tests.conftest import DATA, REGISTRIES
from tests.databases import new_database
from web.security import LIMITER_KEY

POLICE = "police_deepfake_cases_reported"
IMBC = "https://imnews.imbc.com/news/2025/society/article/6686274_36719.html"
FIGURE_COLUMNS = list(kinds.FIGURES.columns)
HOSTILE_FIGURES = [
    [
        POLICE,
        "",
        "total",
        "2024-01-01",
        "2024-12-31",
        "yes",
        "1202",
        "cases",
        '=HYPERLINK("http://evil.example","click")',
        "+cmd|' /C calc'!A0",
        IMBC,
        "2025-01-15",
        "-2+3",
    ],
    [
        POLICE,
        "age_group",
        "@SUM(1+1)",
        "2024-01-01",
        "2024-06-30",
        "no",
        "5",
        "cases",
        "KNPA",
        "\t=1+1",
        IMBC,
        "2025-01-15",
        "plain note",
    ],
]


@pytest.fixture(autouse=True)
def _no_rate_limit_between_tests(public_app):
    public_app.server.extensions[LIMITER_KEY].reset()


def load_folder(folder: Path, url: str) -> None:
    from db.engine import create_schema, make_engine
    from etl import load

    engine = make_engine(url)
    create_schema(engine)
    report = load.run([str(folder)], engine, write=True)
    assert not report.problems, [str(p) for p in report.problems[:5]]
    engine.dispose()


def write_figures(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(FIGURE_COLUMNS)
        writer.writerows(rows)


@pytest.fixture
def hostile_db(tmp_path: Path) -> str:
    """The shipped registries plus two figures whose text cells are spreadsheet formulas."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    for name in REGISTRIES:
        shutil.copy(DATA / name, folder / name)
    write_figures(folder / "published_figures.csv", HOSTILE_FIGURES)
    url = new_database(tmp_path, "hostile")
    load_folder(folder, url)
    return url


def csv_rows(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def last_load_day(client) -> str:
    return client.get("/healthz").get_json()["last_load"][:10]


def test_observations_csv_has_a_bom_and_is_named(public_client):
    response = public_client.get(f"/download/observations.csv?metric={POLICE}&from=2024&to=2024")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    body = response.get_data()
    assert body[:3] == b"\xef\xbb\xbf"
    day = last_load_day(public_client)
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="observations_{POLICE}_2024-2024_data-{day}.csv"'
    )
    rows = csv_rows(body)
    assert response.headers["X-Rows-Total"] == str(len(rows)) == "10"
    assert "X-Rows-Capped" not in response.headers
    full_year = [r for r in rows if r["period_end"] == "2024-12-31"]
    assert [(r["value"], r["source_url"]) for r in full_year] == [("1202", IMBC)]


def test_plain_utf8_on_request_and_bad_encodings_refused(public_client):
    plain = public_client.get("/download/events.csv?encoding=utf-8")
    assert plain.get_data()[:9] == b"date_text"
    assert len(csv_rows(plain.get_data())) == 32
    refused = public_client.get("/download/events.csv?encoding=cp949")
    assert refused.status_code == 400
    assert refused.get_json() == {"error": 'encoding: "cp949" is not one of utf-8-sig, utf-8'}


def test_every_registry_downloads(public_client):
    day = last_load_day(public_client)
    for dataset, count in (("events", 32), ("metrics", 104)):
        response = public_client.get(f"/download/{dataset}.csv")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="{dataset}_data-{day}.csv"'
        )
        assert len(csv_rows(response.get_data())) == count
    sources = csv_rows(public_client.get("/download/sources.csv").get_data())
    api = public_client.get("/api/v1/sources").get_json()
    assert [r["source_url"] for r in sources] == [s["source_url"] for s in api["data"]]


def test_download_and_api_hold_the_same_rows(public_client):
    query = f"metric={POLICE}&headline_only=false&tier=press,wire"
    api = public_client.get(f"/api/v1/observations?{query}&format=csv").get_data()
    download = public_client.get(f"/download/observations.csv?{query}").get_data()
    assert csv_rows(api) == csv_rows(download)
    assert len(csv_rows(download)) == 12


def test_public_download_has_no_unverified_figure(public_client, internal_client):
    for query in ("", "?headline_only=false", "?tier=aggregator&headline_only=false"):
        body = public_client.get("/download/observations.csv" + query).get_data()
        text = body.decode("utf-8-sig")
        rows = csv_rows(body)
        assert "m99f.com" not in text
        assert not [r for r in rows if r["is_unverified"] != "false"]
        assert not [
            r
            for r in rows
            if r["metric"] == "kcsc_sexual_deepfake_correction_requests" and r["value"] == "5795"
        ]
    everything = csv_rows(public_client.get("/download/observations.csv").get_data())
    api_total = public_client.get("/api/v1/observations?limit=1").get_json()["total"]
    assert len(everything) == api_total >= 300
    internal = internal_client.get("/download/observations.csv").get_data().decode("utf-8-sig")
    assert "jsc.m99f.com" in internal


def test_formula_cells_are_neutralised_but_numbers_are_not(hostile_db):
    from app import create_app

    client = create_app(public=True, database_url=hostile_db).server.test_client()
    body = client.get("/download/observations.csv?headline_only=false").get_data()
    rows = sorted(csv_rows(body), key=lambda r: r["value"])
    assert [r["value"] for r in rows] == ["1202", "5"]
    big, small = rows
    assert big["source_org"] == '\'=HYPERLINK("http://evil.example","click")'
    assert big["source_title"] == "'+cmd|' /C calc'!A0"
    assert big["notes"] == "'-2+3"
    assert small["category"] == "'@SUM(1+1)"
    assert small["source_title"] == "'=1+1"  # the ETL strips the leading tab
    assert small["notes"] == "plain note"
    assert all(r["value"].isdigit() for r in rows)
    api = client.get("/api/v1/observations?headline_only=false").get_json()["data"]
    assert {r["source_org"] for r in api} == {'=HYPERLINK("http://evil.example","click")', "KNPA"}
    package = zipfile.ZipFile(io.BytesIO(client.get("/download/datapackage.zip").get_data()))
    assert "'=HYPERLINK(" in package.read("observations.csv").decode("utf-8")


def test_a_new_load_changes_the_answer_and_its_etag(hostile_db, tmp_path):
    from app import create_app

    client = create_app(public=True, database_url=hostile_db).server.test_client()
    before = client.get(f"/api/v1/observations?metric={POLICE}&headline_only=false")
    assert before.get_json()["total"] == 2
    folder = tmp_path / "more"
    folder.mkdir()
    extra = [
        POLICE,
        "",
        "total",
        "2021-01-01",
        "2023-12-31",
        "yes",
        "496",
        "cases",
        "KNPA",
        "a later release",
        IMBC,
        "2025-02-01",
        "",
    ]
    write_figures(folder / "more_figures.csv", [extra])
    load_folder(folder, hostile_db)
    after = client.get(f"/api/v1/observations?metric={POLICE}&headline_only=false")
    assert after.get_json()["total"] == 3
    assert after.headers["ETag"] != before.headers["ETag"]
    stale = client.get(
        f"/api/v1/observations?metric={POLICE}&headline_only=false",
        headers={"If-None-Match": before.headers["ETag"]},
    )
    assert stale.status_code == 200


def test_capped_download_says_so_in_header_and_name(public_client, monkeypatch):
    monkeypatch.setenv("DOWNLOAD_MAX_ROWS", "5")
    response = public_client.get(f"/download/observations.csv?metric={POLICE}")
    body = response.get_data()
    rows = csv_rows(body)
    assert len(rows) == 5
    assert response.headers["X-Rows-Capped"] == "5"
    assert response.headers["X-Rows-Total"] == "11"
    day = last_load_day(public_client)
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="observations_{POLICE}_first-5-rows_data-{day}.csv"'
    )
    assert body.endswith(b"\r\n")
    last_line = body.decode("utf-8-sig").rstrip("\r\n").rsplit("\r\n", 1)[-1]
    assert last_line.startswith(POLICE + ",")


def test_rows_are_fetched_in_chunks(loaded_db):
    from db.engine import read_engine
    from db.queries.selection import ObservationFilter, stream_observations

    selection = ObservationFilter(headline_only=False, include_unverified=True)
    sizes = [len(c) for c in stream_observations(read_engine(loaded_db), selection, chunk_size=100)]
    assert sizes == [100, 100, 100, 100, 100, 27]


def test_download_etag_and_304(public_client):
    first = public_client.get("/download/observations.csv?tier=official")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = public_client.get(
        "/download/observations.csv?tier=official", headers={"If-None-Match": etag}
    )
    assert (again.status_code, again.get_data()) == (304, b"")
    package = public_client.get("/download/datapackage.zip")
    assert (
        public_client.get(
            "/download/datapackage.zip", headers={"If-None-Match": package.headers["ETag"]}
        ).status_code
        == 304
    )


@pytest.mark.parametrize(
    "path",
    [
        "/download/nothing.csv",
        "/download/..%2f..%2fetc%2fpasswd.csv",
        "/download/../app.py",
        "/download/%2e%2e.csv",
        "/download/observations.json",
        "/download/",
        "/download/x/y.csv",
        "/download/observations.csv.zip",
        "/download/" + "a" * 3000 + ".csv",
    ],
)
def test_unknown_or_traversing_downloads_are_404(public_client, path):
    response = public_client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert b"root:" not in response.get_data()


@pytest.mark.parametrize(
    "query",
    [
        "from=banana",
        "to=99999999",
        "metric=%27%3B%20drop%20table%20x%3B--",
        "format=exe",
        "headline_only=maybe",
        "dimension=" + "x" * 5000,
        "from=%00",
        "metric=" + "%E2%80%AE" * 50,
        "limit=10",
    ],
)
def test_hostile_download_parameters_get_400(public_client, query):
    response = public_client.get("/download/observations.csv?" + query)
    assert response.status_code == 400
    assert set(response.get_json()) == {"error"}


def unpack(client, tmp_path: Path) -> Path:
    response = client.get("/download/datapackage.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.get_data()[:2] == b"PK"
    folder = tmp_path / "package"
    zipfile.ZipFile(io.BytesIO(response.get_data())).extractall(folder)
    return folder


def test_data_package_is_valid_frictionless(public_client, tmp_path):
    import frictionless

    folder = unpack(public_client, tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md",
        "data_dictionary.csv",
        "datapackage.json",
        "events.csv",
        "metrics.csv",
        "observations.csv",
        "sources.csv",
    ]
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    package = frictionless.Package(str(folder / "datapackage.json"))
    assert [r.name for r in package.resources] == [
        "observations",
        "events",
        "sources",
        "metrics",
        "data_dictionary",
    ]


def test_data_package_describes_every_field_in_both_languages(public_client, tmp_path):
    folder = unpack(public_client, tmp_path)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["name"] == "korea-digital-sex-crime-statistics"
    assert descriptor["created"].startswith(last_load_day(public_client))
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["description"] and field["description_ko"], field["name"]
    keys = {r["name"]: r["schema"].get("primaryKey") for r in descriptor["resources"]}
    assert keys == {
        "observations": None,
        "events": None,
        "sources": ["source_url"],
        "metrics": ["metric"],
        "data_dictionary": ["resource", "column"],
    }
    dictionary = list(
        csv.DictReader(io.StringIO((folder / "data_dictionary.csv").read_text(encoding="utf-8")))
    )
    assert list(dictionary[0]) == [
        "column",
        "resource",
        "description_en",
        "description_ko",
        "type",
        "unit_notes",
    ]
    assert len(dictionary) == 19 + 6 + 10 + 13
    value = next(r for r in dictionary if r["column"] == "value")
    assert (value["resource"], value["type"]) == ("observations", "number")
    assert {s["path"] for s in descriptor["sources"]} == {
        r["source_url"]
        for r in csv.DictReader(io.StringIO((folder / "sources.csv").read_text(encoding="utf-8")))
    }


def test_data_package_csvs_have_no_bom_and_hold_every_verified_row(public_client, tmp_path):
    folder = unpack(public_client, tmp_path)
    raw = (folder / "observations.csv").read_bytes()
    assert raw[:6] == b"metric"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    total = public_client.get("/api/v1/observations?headline_only=false&limit=1").get_json()
    assert len(rows) == total["total"]
    assert "m99f.com" not in raw.decode("utf-8")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    day = last_load_day(public_client)
    assert f"Data as of {day}." in readme
    assert f"(data as of {day})" in readme and f"(데이터 기준일 {day})" in readme
    assert "official" in readme and "aggregator" in readme and "is_headline" in readme


def test_internal_data_package_holds_every_current_row(internal_client, tmp_path):
    import frictionless

    folder = unpack(internal_client, tmp_path)
    rows = list(
        csv.DictReader(io.StringIO((folder / "observations.csv").read_text(encoding="utf-8")))
    )
    assert len(rows) == 527
    assert sum(r["is_unverified"] == "true" for r in rows) == 84
    assert frictionless.validate(str(folder / "datapackage.json")).valid


def download(client, query: str, **headers):
    return client.get("/download/observations.csv" + query, headers=headers)


SAME_HEADERS = ("Content-Disposition", "X-Rows-Total", "X-Rows-Capped", "ETag", "Cache-Control")


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?headline_only=false",
        f"?metric={POLICE}&headline_only=false&encoding=utf-8",
        f"?metric={POLICE}&from=2024&to=2024",
        "?tier=official&dimension=age_group",
    ],
)
def test_cached_download_is_the_streamed_file_byte_for_byte(public_client, monkeypatch, query):
    cached = download(public_client, query)
    monkeypatch.setattr("web.downloads.CACHED_MAX_ROWS", -1)  # every selection streams
    streamed = download(public_client, query)
    assert cached.status_code == streamed.status_code == 200
    assert cached.get_data() == streamed.get_data()
    assert [cached.headers.get(h) for h in SAME_HEADERS] == [
        streamed.headers.get(h) for h in SAME_HEADERS
    ]


def test_capped_cached_and_streamed_downloads_agree(public_client, monkeypatch):
    monkeypatch.setenv("DOWNLOAD_MAX_ROWS", "7")
    cached = download(public_client, "?headline_only=false")
    monkeypatch.setattr("web.downloads.CACHED_MAX_ROWS", -1)
    streamed = download(public_client, "?headline_only=false")
    assert cached.get_data() == streamed.get_data()
    assert len(csv_rows(cached.get_data())) == 7
    assert cached.headers["X-Rows-Capped"] == streamed.headers["X-Rows-Capped"] == "7"


def test_streamed_download_is_what_the_csv_module_writes_for_the_rows(hostile_db, monkeypatch):
    from app import create_app
    from db.engine import read_engine
    from db.queries.selection import ROW_COLUMNS, ObservationFilter, page_observations
    from web.csvout import to_csv_bytes

    monkeypatch.setattr("web.downloads.CACHED_MAX_ROWS", -1)
    client = create_app(public=False, database_url=hostile_db).server.test_client()
    selection = ObservationFilter(headline_only=False, include_unverified=True)
    rows = page_observations(read_engine(hostile_db), selection, limit=100_000)
    body = download(client, "?headline_only=false").get_data()
    assert body == to_csv_bytes(ROW_COLUMNS, rows)
    assert '"\'=HYPERLINK(""http://evil.example"",""click"")"' in body.decode("utf-8-sig")


def dispatched(app, path: str, **headers):
    """The response object the app hands to the server (before any test-client wrapping)."""
    with app.server.test_request_context(path, headers=headers):
        return app.server.full_dispatch_request()


def test_a_repeated_small_download_is_written_once_and_served_in_one_piece(
    public_app, public_client, monkeypatch
):
    from db.queries import selection
    from web import params
    from web.answercache import CACHE_KEY

    fetched, parsed = [], []

    def counted_fetch(*args, **kwargs):
        fetched.append(args[1])
        return selection.fetch_stored_rows(*args, **kwargs)

    def counted_parse(*args, **kwargs):
        parsed.append(args[0].to_dict())
        return params.parse_observations(*args, **kwargs)

    monkeypatch.setattr("web.downloads.fetch_stored_rows", counted_fetch)
    monkeypatch.setattr("web.downloads.parse_observations", counted_parse)
    public_app.server.extensions[CACHE_KEY].clear()
    query = f"?metric={POLICE}&headline_only=false&from=2020"
    first = download(public_client, query)
    second = dispatched(public_app, "/download/observations.csv" + query)
    assert not second.is_streamed and len(second.response) == 1  # one finished body
    assert second.get_data() == first.get_data() and len(csv_rows(first.get_data())) == 13
    assert second.headers["Content-Length"] == str(len(second.get_data()))
    assert [s.metrics for s in fetched] == [(POLICE,)]
    assert parsed == [{"metric": POLICE, "headline_only": "false", "from": "2020"}]
    reordered = download(public_client, f"?from=2020&headline_only=false&metric={POLICE}")
    assert reordered.get_data() == first.get_data() and len(parsed) == 2 and len(fetched) == 1


def test_a_cleared_cache_is_written_again_for_a_request_seen_before(public_app, public_client):
    from web.answercache import CACHE_KEY

    query = f"?metric={POLICE}&from=2023"
    first = download(public_client, query)
    public_app.server.extensions[CACHE_KEY].clear()
    again = download(public_client, query)
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    assert len(public_app.server.extensions[CACHE_KEY]) == 1


def test_a_streamed_download_is_handed_over_in_chunks(public_app, monkeypatch):
    monkeypatch.setattr("web.downloads.CACHED_MAX_ROWS", -1)
    monkeypatch.setattr("web.downloads.STREAMED_CHUNK_ROWS", 100)
    response = dispatched(public_app, "/download/observations.csv?headline_only=false")
    assert response.is_streamed
    blocks = list(response.response)
    rows = csv_rows(b"".join(blocks))
    assert len(blocks) == 1 + -(-len(rows) // 100) and len(rows) == int(
        response.headers["X-Rows-Total"]
    )


def test_cached_download_is_gzipped_once_and_its_tag_answers_304(
    public_app, public_client, monkeypatch
):
    import gzip

    from web.answercache import CACHE_KEY

    compressed = []
    compress = gzip.compress

    def counted(data, *args, **kwargs):
        compressed.append(len(data))
        return compress(data, *args, **kwargs)

    monkeypatch.setattr(gzip, "compress", counted)
    public_app.server.extensions[CACHE_KEY].clear()
    query = f"?metric={POLICE}&headline_only=false"
    plain = download(public_client, query)
    packed = download(public_client, query, **{"Accept-Encoding": "gzip"})
    packed_again = download(public_client, query, **{"Accept-Encoding": "gzip, deflate"})
    assert compressed == [len(plain.get_data())]  # once, when the file was written
    assert packed.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert packed.headers["Vary"] == plain.headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert packed_again.get_data() == packed.get_data()
    assert packed.headers["Content-Length"] == str(len(packed.get_data()))
    assert packed.headers["ETag"] == plain.headers["ETag"][:-1] + '-gzip"'
    assert packed.headers["Content-Disposition"] == plain.headers["Content-Disposition"]
    assert packed.headers["X-Rows-Total"] == plain.headers["X-Rows-Total"] == "13"
    for tag in (plain.headers["ETag"], packed.headers["ETag"]):
        again = download(public_client, query, **{"If-None-Match": tag})
        assert (again.status_code, again.get_data()) == (304, b"")
        assert again.headers["ETag"] == plain.headers["ETag"]
    refused = download(public_client, query, **{"Accept-Encoding": "gzip;q=0"})
    assert refused.get_data() == plain.get_data() and "Content-Encoding" not in refused.headers


@pytest.mark.parametrize("chunk_rows", [1, 7, 5000])
@pytest.mark.parametrize("view", ["public", "internal"])
def test_whole_table_export_is_what_the_csv_module_writes(
    public_client, internal_client, loaded_db, monkeypatch, chunk_rows, view
):
    """The streamed export, written from the driver's rows, is byte for byte the csv module's
    file of the rows the API pages give, however it is chunked."""
    from db.engine import read_engine
    from db.queries.selection import ROW_COLUMNS, ObservationFilter, page_observations
    from web.csvout import to_csv_bytes

    monkeypatch.setattr("web.downloads.CACHED_MAX_ROWS", -1)
    monkeypatch.setattr("web.downloads.STREAMED_CHUNK_ROWS", chunk_rows)
    client = public_client if view == "public" else internal_client
    selection = ObservationFilter(headline_only=False, include_unverified=view == "internal")
    rows = page_observations(read_engine(loaded_db), selection, limit=100_000)
    for query, encoding in (
        ("?headline_only=false", "utf-8-sig"),
        ("?headline_only=false&encoding=utf-8", "utf-8"),
    ):
        body = download(client, query).get_data()
        assert body == to_csv_bytes(ROW_COLUMNS, rows, encoding)
    assert len(rows) == (527 if view == "internal" else 443)


@pytest.mark.sqlite_only
def test_sqlite_reads_an_export_along_the_key_index_and_sorts_nothing(loaded_db):
    """The export is read in the key index's order, not gathered from the current-rows index
    and sorted (whole rows) in a temporary B-tree."""
    from sqlalchemy.dialects import sqlite

    from db.engine import read_engine
    from db.queries.selection import ObservationFilter, select_along_key

    for selection in (ObservationFilter(headline_only=False), ObservationFilter(tiers=("wire",))):
        query = select_along_key(selection)
        compiled = query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
        with read_engine(loaded_db).connect() as connection:
            plan = [r[-1] for r in connection.exec_driver_sql(f"explain query plan {compiled}")]
        assert any("USING INDEX ix_observations_key" in step for step in plan), plan
        assert not any("ix_observations_current" in s or "B-TREE" in s for s in plan), plan


def test_stored_rows_come_in_the_listing_order_in_exact_chunks(loaded_db):
    """Headlines before alternates within each key, whatever the chunking, and a limit cuts
    the listing, not the order the rows were read in."""
    from db.engine import read_engine
    from db.queries.selection import (
        ROW_COLUMNS,
        ObservationFilter,
        fetch_stored_rows,
        page_observations,
        select_along_key,
    )

    engine = read_engine(loaded_db)
    selection = ObservationFilter(headline_only=False, include_unverified=True)
    listing = [tuple(r.values()) for r in page_observations(engine, selection, limit=100_000)]
    with engine.connect() as connection:
        along_key = [tuple(r) for r in connection.execute(select_along_key(selection))]
    # the data has keys whose headline was loaded after an alternate: read along the key
    # index, the same rows come in another order
    assert along_key != listing and sorted(map(repr, along_key)) == sorted(map(repr, listing))
    for chunk_size, limit in (
        (1, None),
        (3, None),
        (100, None),
        (5000, None),
        (7, 200),
        (100, 5),
        (4, 4),
    ):
        stored = fetch_stored_rows(engine, selection, limit, chunk_size)
        chunks = list(stored.values())
        rows = [row for chunk in chunks for row in chunk]
        assert rows == listing[:limit], (chunk_size, limit)
        assert [len(c) for c in chunks[:-1]] == [chunk_size] * (len(chunks) - 1)
    assert ROW_COLUMNS[:5] == ["metric", "dimension", "category", "period_start", "period_end"]


def test_an_abandoned_export_leaves_the_connection_as_it_was(loaded_db):
    from sqlalchemy import text

    from db.engine import read_engine
    from db.queries.selection import ObservationFilter, fetch_stored_rows

    engine = read_engine(loaded_db)
    chunks = fetch_stored_rows(engine, ObservationFilter(headline_only=False), chunk_size=10).chunks
    first = next(chunks)
    assert len(first) == 10
    chunks.close()
    finished = fetch_stored_rows(engine, ObservationFilter(metrics=(POLICE,)), chunk_size=4)
    assert sum(len(c) for c in finished.chunks) == 11
    with engine.connect() as connection:
        assert connection.execute(text("select 'text'")).scalar() == "text"
        assert engine.pool.checkedout() == 1


def test_a_new_load_changes_the_cached_download(hostile_db, tmp_path):
    from app import create_app

    client = create_app(public=True, database_url=hostile_db).server.test_client()
    query = f"?metric={POLICE}&headline_only=false"
    before = download(client, query)
    assert before.headers["X-Rows-Total"] == "2"
    assert download(client, query).get_data() == before.get_data()  # served from the cache
    folder = tmp_path / "later"
    folder.mkdir()
    later = [POLICE, "", "total", "2021-01-01", "2023-12-31", "yes", "496", "cases", "KNPA"]
    later += ["a later release", IMBC, "2025-02-01", ""]
    write_figures(folder / "later_figures.csv", [later])
    load_folder(folder, hostile_db)
    after = download(client, query, **{"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["X-Rows-Total"] == "3"
    assert after.headers["ETag"] != before.headers["ETag"]
    assert [r["value"] for r in csv_rows(after.get_data())] == ["496", "1202", "5"]
