"""A filtered selection of observations for the API and downloads: counted, paged or streamed.

The filters mean what `observations.find_observations` means by them (a test holds the two to
the same rows); this module adds what an HTTP client needs: a count, offset paging, and rows
fetched in chunks so a download's memory stays flat whatever its size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Engine

from db.schema import Observation, Source

ROW_COLUMNS = [
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
]


@dataclass(frozen=True)
class ObservationFilter:
    """Which current observations to select; empty tuples and None mean 'any'."""

    metrics: tuple[str, ...] = ()
    headline_only: bool = True
    include_unverified: bool = False
    dimension: str | None = None
    category: str | None = None
    tiers: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    source_url: str | None = None


def _where(query: Select, selection: ObservationFilter) -> Select:
    query = query.where(Observation.superseded_by_run.is_(None))
    if selection.metrics:
        query = query.where(Observation.metric.in_(list(selection.metrics)))
    if selection.headline_only:
        query = query.where(Observation.is_headline.is_(True))
    if not selection.include_unverified:
        query = query.where(Observation.is_unverified.is_(False))
    if selection.dimension is not None:
        query = query.where(Observation.dimension == selection.dimension)
    if selection.category is not None:
        query = query.where(Observation.category == selection.category)
    if selection.tiers:
        query = query.where(Source.tier.in_(list(selection.tiers)))
    if selection.source_url is not None:
        query = query.where(Source.source_url == selection.source_url)
    if selection.date_from is not None:
        query = query.where(
            (Observation.period_end >= selection.date_from) | Observation.period_end.is_(None)
        )
    if selection.date_to is not None:
        query = query.where(
            (Observation.period_start <= selection.date_to) | Observation.period_start.is_(None)
        )
    return query


def select_observations(selection: ObservationFilter, names: list[str] = ROW_COLUMNS) -> Select:
    """The ordered query for `selection`, returning the columns `names` (default ROW_COLUMNS)."""
    from_source = {"source_url", "publisher", "tier"}
    columns = [getattr(Source if name in from_source else Observation, name) for name in names]
    query = select(*columns).join(Source, Source.source_id == Observation.source_id)
    return _where(query, selection).order_by(
        Observation.metric,
        Observation.dimension,
        Observation.category,
        Observation.period_start,
        Observation.period_end,
        Observation.is_headline.desc(),
        Observation.observation_id,
    )


def count_observations(engine: Engine, selection: ObservationFilter) -> int:
    """How many rows `selection` holds."""
    query = select(func.count(Observation.observation_id)).join(
        Source, Source.source_id == Observation.source_id
    )
    with engine.connect() as connection:
        return connection.scalar(_where(query, selection))


def page_observations(
    engine: Engine, selection: ObservationFilter, limit: int, offset: int = 0
) -> list[dict]:
    """At most `limit` rows of `selection`, skipping the first `offset`."""
    query = select_observations(selection).limit(limit).offset(offset)
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(query).mappings()]


def stream_observations(
    engine: Engine, selection: ObservationFilter, limit: int | None = None, chunk_size: int = 1000
) -> Iterator[list[dict]]:
    """The rows of `selection` (at most `limit`), in lists of `chunk_size`, fetched lazily:
    the connection opens at the first chunk and closes after the last or when abandoned."""
    query = select_observations(selection)
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as connection:
        result = connection.execution_options(yield_per=chunk_size).execute(query)
        for partition in result.mappings().partitions(chunk_size):
            yield [dict(row) for row in partition]
