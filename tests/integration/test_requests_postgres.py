"""Request logs on PostgreSQL: the same ingest, history and rollups as on SQLite.

Runs where TEST_DATABASE_URL points at a PostgreSQL database; each test gets its own schema."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from db.engine import create_schema, make_engine
from db.queries import requests as queries
from etl import load
from tests.conftest import needs_postgres
from tests.integration.test_requests_ingest import BAD, SMALL, UPDATE, synthetic_log

pytestmark = needs_postgres


@pytest.fixture
def pg_engine(pg_url):
    engine = make_engine(pg_url)
    create_schema(engine)
    yield engine
    engine.dispose()


def rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql))]


def test_logs_load_update_and_roll_up_on_postgresql(pg_engine):
    report = load.run([str(SMALL)], pg_engine, write=True)
    assert report.problems == [] and report.written
    report = load.run([str(UPDATE)], pg_engine, write=True)
    assert "4 rows read, 1 new, 2 updated (earlier versions kept), 1 unchanged" in report.lines[0]
    assert rows(
        pg_engine, "select request_id, outcome, version from request_history order by 1"
    ) == [("R-0010", "pending", 1), ("R-0011", "pending", 1)]
    totals = rows(
        pg_engine,
        "select grain, period_start::text, sum(request_count)::int from "
        "request_counts where dimension = 'total' and grain != 'day' "
        "group by 1, 2 order by 1, 2",
    )
    assert totals == [
        ("month", "2024-08-01", 2),
        ("month", "2024-09-01", 8),
        ("month", "2024-10-01", 3),
        ("week", "2024-08-26", 3),
        ("week", "2024-09-02", 4),
        ("week", "2024-09-09", 2),
        ("week", "2024-09-30", 2),
        ("week", "2024-10-07", 2),
    ]
    assert rows(
        pg_engine,
        "select actioned_count, median_hours from request_action_times "
        "where platform = 'x' and month_start = '2024-09-01' and "
        "includes_synthetic",
    ) == [(3, 24.0)]
    unchanged = load.run([str(UPDATE)], pg_engine, write=True)
    assert unchanged.lines[0] == "requests_update.csv: unchanged since its last load, skipped"


def test_a_bad_log_leaves_postgresql_unchanged(pg_engine, tmp_path):
    good = synthetic_log(tmp_path, 300, 4)
    report = load.run([str(good), str(BAD)], pg_engine, write=True)
    assert not report.written and len(report.problems) == 10
    assert rows(pg_engine, "select count(*) from requests") == [(0,)]
    assert rows(pg_engine, "select count(*) from etl_runs") == [(0,)]


def test_public_table_on_postgresql(pg_engine, tmp_path):
    assert load.run([str(SMALL)], pg_engine, write=True).written
    frame = queries.public_monthly(pg_engine, 10)
    assert set(frame["suppressed"]) <= {"", "primary", "complementary"}
    published = frame["request_count"].dropna()
    assert not ((published >= 1) & (published <= 9)).any()
    assert frame.loc[
        (frame["month"] == "all") & (frame["platform"] == "all"), "request_count_text"
    ].tolist() == ["12"]
