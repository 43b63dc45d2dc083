"""Counts and load history: what the database holds and when it was last loaded."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from db.queries.listings import LAST_LOAD
from db.schema import EtlRun, Event, Metric, Observation, RejectedRow, SeriesBreak, Source


def _count(model, *where):
    return select(func.count()).select_from(model).where(*where).scalar_subquery()


_CURRENT = Observation.superseded_by_run.is_(None)
# Every count in one statement, built once: the overview asks for them on every request.
COUNTS = select(
    _count(Observation, _CURRENT).label("observations"),
    _count(Observation, _CURRENT, Observation.is_headline.is_(True)).label("headline_observations"),
    _count(Observation, _CURRENT, Observation.is_unverified.is_(True)).label(
        "unverified_observations"
    ),
    _count(Observation, Observation.superseded_by_run.is_not(None)).label(
        "superseded_observations"
    ),
    _count(Event, Event.superseded_by_run.is_(None)).label("events"),
    _count(Source).label("sources"),
    _count(Metric).label("metrics"),
    _count(SeriesBreak).label("series_breaks"),
    _count(EtlRun).label("runs"),
    _count(RejectedRow).label("rejected_rows"),
    LAST_LOAD.scalar_subquery().label("last_load"),
)


def counts(engine: Engine) -> dict:
    """Row counts of the current data and the time of the last load (ISO 8601, UTC)."""
    with engine.connect() as connection:
        row = dict(connection.execute(COUNTS).mappings().one())
    finished = row["last_load"]
    row["last_load"] = (finished.isoformat(timespec="seconds") + "Z") if finished else None
    return row


def recent_runs(engine: Engine, limit: int = 20) -> pd.DataFrame:
    query = (
        select(
            EtlRun.run_id,
            EtlRun.file_name,
            EtlRun.file_kind,
            EtlRun.sha256,
            EtlRun.started_at,
            EtlRun.finished_at,
            EtlRun.rows_read,
            EtlRun.rows_loaded,
            EtlRun.rows_superseded,
            EtlRun.rows_rejected,
            EtlRun.outcome,
        )
        .order_by(EtlRun.run_id.desc())
        .limit(limit)
    )
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(query).mappings().all())


def rejected_rows(engine: Engine, limit: int = 200) -> pd.DataFrame:
    query = (
        select(
            RejectedRow.run_id,
            RejectedRow.file_name,
            RejectedRow.row_number,
            RejectedRow.column_name,
            RejectedRow.reason,
        )
        .order_by(RejectedRow.id.desc())
        .limit(limit)
    )
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(query).mappings().all())
