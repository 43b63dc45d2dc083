"""Registry listings for the API and downloads: sources, events, series breaks, last load."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, func, or_, select
from sqlalchemy.engine import Engine

from db.schema import EtlRun, Event, Metric, Observation, SeriesBreak, Source

SOURCE_COLUMNS = [
    "source_url",
    "title",
    "publisher",
    "published_date",
    "language",
    "tier",
    "original_publisher",
    "original_title",
    "original_url",
    "notes",
]
EVENT_COLUMNS = [
    "date_text",
    "date_precision",
    "date_start",
    "date_end",
    "description",
    "source_url",
]
BREAK_COLUMNS = ["metric", "break_date", "kind", "label_en", "label_ko", "source_url"]


# Built once: every page asks for it on every request (what it keeps depends on the last load).
LAST_LOAD = select(func.max(EtlRun.finished_at)).where(EtlRun.outcome.in_(("loaded", "partial")))


def last_load_time(engine: Engine) -> dt.datetime | None:
    """When the last ETL run that wrote rows finished (UTC), or None for an empty database."""
    with engine.connect() as connection:
        return connection.scalar(LAST_LOAD)


def metric_ids(engine: Engine) -> set[str]:
    """Every registered metric id."""
    with engine.connect() as connection:
        return set(connection.scalars(select(Metric.metric)))


def list_sources(engine: Engine, include_unverified: bool = True) -> list[dict]:
    """The source registry, by URL. Without unverified figures, only sources that back a
    verified current figure, a current event or a series break are listed."""
    query = select(*(getattr(Source, name) for name in SOURCE_COLUMNS)).order_by(Source.source_url)
    if not include_unverified:
        query = query.where(
            or_(
                exists().where(
                    Observation.source_id == Source.source_id,
                    Observation.superseded_by_run.is_(None),
                    Observation.is_unverified.is_(False),
                ),
                exists().where(
                    Event.source_id == Source.source_id, Event.superseded_by_run.is_(None)
                ),
                exists().where(SeriesBreak.source_id == Source.source_id),
            )
        )
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(query).mappings()]


def list_events(engine: Engine) -> list[dict]:
    """Current events in date order, each with its source's URL."""
    query = (
        select(
            Event.date_text,
            Event.date_precision,
            Event.date_start,
            Event.date_end,
            Event.description,
            Source.source_url,
        )
        .join(Source, Source.source_id == Event.source_id)
        .where(Event.superseded_by_run.is_(None))
        .order_by(Event.date_start, Event.date_end, Event.event_id)
    )
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(query).mappings()]


def list_series_breaks(engine: Engine) -> list[dict]:
    """Every series break, by metric and date, with its source's URL."""
    query = (
        select(
            SeriesBreak.metric,
            SeriesBreak.break_date,
            SeriesBreak.kind,
            SeriesBreak.label_en,
            SeriesBreak.label_ko,
            Source.source_url,
        )
        .join(Source, Source.source_id == SeriesBreak.source_id)
        .order_by(SeriesBreak.metric, SeriesBreak.break_date, SeriesBreak.break_id)
    )
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(query).mappings()]
