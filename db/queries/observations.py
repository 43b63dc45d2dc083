"""Observations with their sources: the rows behind every chart, table, export and API call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Select, select
from sqlalchemy.engine import Engine

from db.queries.selection import ObservationFilter, select_observations
from db.schema import EtlRun, Observation, Source

COLUMNS = [
    "observation_id",
    "metric",
    "dimension",
    "category",
    "period_start",
    "period_end",
    "is_complete",
    "value",
    "unit",
    "is_approximate",
    "is_lower_bound",
    "is_headline",
    "is_unverified",
    "source_org",
    "source_title",
    "source_url",
    "publisher",
    "tier",
    "published_date",
    "notes",
    "run_id",
]

BOOLEAN_COLUMNS = ("is_complete", "is_approximate", "is_lower_bound", "is_headline",
                   "is_unverified")


def _base() -> Select:
    return select(
        Observation.observation_id,
        Observation.metric,
        Observation.dimension,
        Observation.category,
        Observation.period_start,
        Observation.period_end,
        Observation.is_complete,
        Observation.value,
        Observation.unit,
        Observation.is_approximate,
        Observation.is_lower_bound,
        Observation.is_headline,
        Observation.is_unverified,
        Observation.source_org,
        Observation.source_title,
        Source.source_url,
        Source.publisher,
        Source.tier,
        Observation.published_date,
        Observation.notes,
        Observation.run_id,
    ).join(Source, Source.source_id == Observation.source_id)


def _frame(engine: Engine, query: Select) -> pd.DataFrame:
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    frame = pd.DataFrame(rows, columns=COLUMNS if not rows else None)
    if frame.empty:  # typed, so boolean masks and groupbys on it behave as on full frames
        return pd.DataFrame({c: pd.Series(dtype=bool if c in BOOLEAN_COLUMNS else object)
                             for c in COLUMNS})
    for column in BOOLEAN_COLUMNS:
        frame[column] = frame[column].astype(bool)
    return frame


def find_observations(
    engine: Engine,
    metrics: Sequence[str] = (),
    headline_only: bool = False,
    include_unverified: bool = True,
    dimension: str | None = None,
    category: str | None = None,
    tiers: Sequence[str] = (),
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: int | None = None,
    source_url: str | None = None,
) -> pd.DataFrame:
    """Current observations matching every filter given; rows whose period overlaps
    [date_from, date_to] are kept. Sorted by metric, breakdown and period."""
    selection = ObservationFilter(
        metrics=tuple(metrics), headline_only=headline_only,
        include_unverified=include_unverified, dimension=dimension, category=category,
        tiers=tuple(tiers), date_from=date_from, date_to=date_to, source_url=source_url,
    )
    query = select_observations(selection, COLUMNS)
    if limit is not None:
        query = query.limit(limit)
    return _frame(engine, query)


def revision_history(engine: Engine, metric: str) -> pd.DataFrame:
    """Every row ever loaded for a metric, current and superseded, with the run that had it."""
    query = (
        _base()
        .add_columns(Observation.superseded_by_run, EtlRun.file_name, EtlRun.finished_at)
        .join(EtlRun, EtlRun.run_id == Observation.run_id)
        .where(Observation.metric == metric)
        .order_by(
            Observation.dimension,
            Observation.category,
            Observation.period_start,
            Observation.period_end,
            Observation.run_id,
        )
    )
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(query).mappings().all())
