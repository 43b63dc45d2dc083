"""A filtered selection of observations for the API and downloads: counted, paged or streamed.

The filters mean what `observations.find_observations` means by them (a test holds the two to
the same rows); this module adds what an HTTP client needs: a count, offset paging, and rows
fetched in chunks so a download's memory stays flat whatever its size. Streamed rows convert
each distinct stored date and flag once, not once per row: a million-row export holds few.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Boolean, Date, Select, func, select, type_coerce
from sqlalchemy.engine import Engine
from sqlalchemy.types import NullType

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


class _Converted(dict):
    """Stored value -> Python value, each distinct stored value converted once."""

    def __init__(self, convert: Callable[[object], object]):
        super().__init__()
        self.convert = convert

    def __missing__(self, stored: object) -> object:
        value = self[stored] = self.convert(stored)
        return value


CONVERTED_KEPT = 4096  # distinct stored values remembered per column before starting afresh


def stream_observation_columns(
    engine: Engine, selection: ObservationFilter, limit: int | None = None, chunk_size: int = 5000
) -> Iterator[list[Sequence]]:
    """The rows of `selection` (at most `limit`) in chunks of up to `chunk_size` consecutive
    rows, each chunk given by column: one sequence of values per name of ROW_COLUMNS, in that
    order. Fetched lazily: the connection opens at the first chunk and closes after the last or
    when abandoned. Values are the ones `page_observations` gives."""
    query = select_observations(selection)
    if limit is not None:
        query = query.limit(limit)
    dialect = engine.dialect
    columns, converters = [], []
    for position, column in enumerate(query.selected_columns):
        convert = None
        if isinstance(column.type, Date | Boolean):
            convert = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if convert is None:
            columns.append(column)
        else:  # fetched as stored, converted below once per distinct value
            columns.append(type_coerce(column, NullType()).label(column.key))
            converters.append((position, _Converted(convert)))
    query = query.with_only_columns(*columns)
    with engine.connect() as connection:
        result = connection.execution_options(yield_per=chunk_size).execute(query)
        for partition in result.partitions(chunk_size):
            values: list[Sequence] = list(zip(*partition))
            for position, converted in converters:
                values[position] = list(map(converted.__getitem__, values[position]))
                if len(converted) > CONVERTED_KEPT:
                    converted.clear()
            yield values


def stream_observations(
    engine: Engine, selection: ObservationFilter, limit: int | None = None, chunk_size: int = 1000
) -> Iterator[list[dict]]:
    """The rows of `selection` (at most `limit`) as dicts keyed by ROW_COLUMNS, in lists of
    `chunk_size`, fetched lazily like `stream_observation_columns`."""
    for values in stream_observation_columns(engine, selection, limit, chunk_size):
        yield [dict(zip(ROW_COLUMNS, row)) for row in zip(*values)]
