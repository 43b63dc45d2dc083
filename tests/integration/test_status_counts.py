"""What the database holds, as the overview, the about page and `etl status` count it."""

from __future__ import annotations

from db.engine import create_schema, make_engine
from db.queries.listings import last_load_time
from db.queries.status import counts


def test_counts_are_the_rows_of_the_shipped_data_and_the_last_load(loaded_db):
    engine = make_engine(loaded_db)
    try:
        summary = counts(engine)
        finished = last_load_time(engine)
    finally:
        engine.dispose()
    assert summary == {
        "observations": 527,
        "headline_observations": 508,
        "unverified_observations": 84,
        "superseded_observations": 0,
        "events": 32,
        "sources": 127,
        "metrics": 104,
        "series_breaks": 30,
        "runs": 6,
        "rejected_rows": 0,
        "last_load": finished.isoformat(timespec="seconds") + "Z",
    }


def test_an_empty_database_counts_nothing_and_was_never_loaded(db_url):
    engine = make_engine(db_url)
    try:
        create_schema(engine)
        summary = counts(engine)
    finally:
        engine.dispose()
    assert summary == {
        "observations": 0,
        "headline_observations": 0,
        "unverified_observations": 0,
        "superseded_observations": 0,
        "events": 0,
        "sources": 0,
        "metrics": 0,
        "series_breaks": 0,
        "runs": 0,
        "rejected_rows": 0,
        "last_load": None,
    }
