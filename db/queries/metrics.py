"""The metric registry and what is loaded for each metric."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from db.schema import Metric, Observation, Unit


def list_metrics(engine: Engine) -> pd.DataFrame:
    """Every registered metric with its unit's names and kind."""
    query = (
        select(
            Metric.metric,
            Metric.agency,
            Metric.theme,
            Metric.name_en,
            Metric.name_ko,
            Metric.unit,
            Unit.name_en.label("unit_name_en"),
            Unit.name_ko.label("unit_name_ko"),
            Unit.kind.label("unit_kind"),
            Metric.definition_en,
            Metric.definition_ko,
            Metric.breaks_en,
            Metric.breaks_ko,
        )
        .join(Unit, Unit.unit == Metric.unit)
        .order_by(Metric.metric)
    )
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(query).mappings().all())


def metric_coverage(engine: Engine, lang: str, include_unverified: bool) -> pd.DataFrame:
    """Per metric: its name in `lang`, agency, number of current figures, first and last date."""
    name = Metric.name_ko if lang == "ko" else Metric.name_en
    query = (
        select(
            Metric.metric,
            name.label("name"),
            Metric.agency,
            func.count(Observation.observation_id).label("rows"),
            func.min(Observation.period_start).label("first"),
            func.max(Observation.period_end).label("last"),
        )
        .join(Observation, Observation.metric == Metric.metric)
        .where(Observation.superseded_by_run.is_(None))
        .group_by(Metric.metric, name, Metric.agency)
        .order_by(Metric.agency, Metric.metric)
    )
    if not include_unverified:
        query = query.where(Observation.is_unverified.is_(False))
    with engine.connect() as connection:
        frame = pd.DataFrame(connection.execute(query).mappings().all())
    for column in ("first", "last"):
        if not frame.empty:
            frame[column] = frame[column].map(lambda d: d.isoformat() if d else "")
    return frame
