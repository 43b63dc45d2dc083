"""The same ETL, queries and API on PostgreSQL (the grown deployment).

Runs where TEST_DATABASE_URL points at a PostgreSQL database (e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/test); each test gets a schema of its own."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from db.engine import create_schema, make_engine
from db.queries.observations import find_observations
from db.queries.status import counts
from etl import load
from tests.conftest import DATA, FIXTURES, needs_postgres

pytestmark = needs_postgres


def _loaded(url: str):
    engine = make_engine(url)
    create_schema(engine)
    report = load.run([str(DATA)], engine, write=True)
    assert not report.problems
    return engine


def _snapshot(engine) -> dict:
    with engine.connect() as connection:
        names = (
            connection.execute(
                text(
                    "select table_name from information_schema.tables "
                    "where table_schema = current_schema() order by 1"
                )
            )
            .scalars()
            .all()
        )
        return {
            n: connection.execute(
                text(f"select md5(string_agg(t::text, '|' order by t::text)) from \"{n}\" t")
            ).scalar()
            for n in names
        }


def test_the_shipped_data_loads_with_the_same_headlines(pg_url):
    engine = _loaded(pg_url)
    summary = counts(engine)
    assert (summary["observations"], summary["events"], summary["rejected_rows"]) == (527, 32, 0)
    rows = find_observations(
        engine,
        metrics=["police_deepfake_suspects_apprehended"],
        headline_only=True,
        category="total",
        dimension="",
    )
    by_period = {
        (r.period_start.isoformat(), r.period_end.isoformat()): r.value for r in rows.itertuples()
    }
    assert by_period[("2021-01-01", "2021-12-31")] == 79
    engine.dispose()


def test_reload_is_a_no_op_and_a_bad_file_changes_nothing(pg_url):
    engine = _loaded(pg_url)
    before = _snapshot(engine)
    again = load.run([str(DATA)], engine, write=True)
    assert not again.written and _snapshot(engine) == before
    bad = load.run([str(FIXTURES / "bad_figures.csv")], engine, write=True)
    assert len(bad.problems) == 10 and not bad.written
    assert _snapshot(engine) == before
    engine.dispose()


def test_the_app_engine_cannot_write(pg_url):
    _loaded(pg_url).dispose()
    reader = make_engine(pg_url, readonly=True)
    with pytest.raises(DBAPIError, match="read-only transaction"), reader.begin() as connection:
        connection.execute(text("delete from observations"))
    reader.dispose()


def test_the_api_answers_from_postgresql(pg_url):
    from app import create_app

    _loaded(pg_url).dispose()
    client = create_app(public=True, database_url=pg_url).server.test_client()
    body = client.get(
        "/api/v1/observations?metric=police_deepfake_cases_reported&from=2024&to=2024"
    ).get_json()
    assert [r["value"] for r in body["data"] if r["period_end"] == "2024-12-31"] == [1202]
    assert client.get("/healthz").get_json()["observations"] == 527
