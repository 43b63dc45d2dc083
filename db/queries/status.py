"""Counts and load history: what the database holds and when it was last loaded."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from db.schema import EtlRun, Event, Metric, Observation, RejectedRow, SeriesBreak, Source


def counts(engine: Engine) -> dict:
    """Row counts of the current data and the time of the last load (ISO 8601, UTC)."""
    with engine.connect() as connection:

        def count(model, *where) -> int:
            return connection.scalar(select(func.count()).select_from(model).where(*where))

        last = connection.scalar(
            select(func.max(EtlRun.finished_at)).where(EtlRun.outcome.in_(("loaded", "partial")))
        )
        return {
            "observations": count(Observation, Observation.superseded_by_run.is_(None)),
            "headline_observations": count(
                Observation,
                Observation.superseded_by_run.is_(None),
                Observation.is_headline.is_(True),
            ),
            "unverified_observations": count(
                Observation,
                Observation.superseded_by_run.is_(None),
                Observation.is_unverified.is_(True),
            ),
            "superseded_observations": count(
                Observation, Observation.superseded_by_run.is_not(None)
            ),
            "events": count(Event, Event.superseded_by_run.is_(None)),
            "sources": count(Source),
            "metrics": count(Metric),
            "series_breaks": count(SeriesBreak),
            "runs": count(EtlRun),
            "rejected_rows": count(RejectedRow),
            "last_load": (last.isoformat(timespec="seconds") + "Z") if last else None,
        }


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
