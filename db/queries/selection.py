"""A filtered selection of observations for the API and downloads: counted, paged or streamed.

The filters mean what `observations.find_observations` means by them (a test holds the two to
the same rows); this module adds what an HTTP client needs: a count, offset paging, and rows
fetched in chunks so a download's memory stays flat whatever its size. Streamed rows come as
the driver reads them, with how to read each column, so a writer reads each distinct stored
value once, not once per row: a million-row export holds few.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, compress
from operator import itemgetter, not_

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


def _where(query: Select, selection: ObservationFilter, along_key: bool = False) -> Select:
    if along_key:  # an expression, not the column: no index on superseded_by_run applies
        query = query.where((Observation.superseded_by_run + 0).is_(None))
    else:
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
    return _where(_select(names), selection).order_by(
        Observation.metric,
        Observation.dimension,
        Observation.category,
        Observation.period_start,
        Observation.period_end,
        Observation.is_headline.desc(),
        Observation.observation_id,
    )


def select_along_key(selection: ObservationFilter) -> Select:
    """The rows of `selection` (ROW_COLUMNS) in the order of ix_observations_key, ties by id:
    the listing's order but for headlines first within a key, which `fetch_stored_rows` puts
    right on SQLite. The condition on superseded_by_run is written so that no index on it
    applies: SQLite then reads the rows along ix_observations_key and sorts nothing."""
    return _where(_select(ROW_COLUMNS), selection, along_key=True).order_by(
        Observation.metric,
        Observation.dimension,
        Observation.category,
        Observation.period_start,
        Observation.period_end,
        Observation.observation_id,
    )


def _select(names: list[str]) -> Select:
    from_source = {"source_url", "publisher", "tier"}
    columns = [getattr(Source if name in from_source else Observation, name) for name in names]
    return select(*columns).join(Source, Source.source_id == Observation.source_id)


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


@dataclass(frozen=True)
class StoredRows:
    """Rows of ROW_COLUMNS as the database driver reads them, fetched lazily in chunks (the
    connection opens at the first chunk and closes after the last or when abandoned).

    On SQLite text comes as its stored UTF-8 bytes, dates as their stored text and flags as 0
    or 1: a CSV is bytes, so text that needs no change is never decoded and encoded again.
    `readers` say how to read each column: a stored value that is not None, its bytes decoded
    as UTF-8, given to the column's reader (None: as it is) is the value `page_observations`
    gives."""

    chunks: Iterator[list[Sequence]]
    readers: tuple[Callable[[object], object] | None, ...]

    def values(self) -> Iterator[list[tuple]]:
        """The same chunks with every value read."""
        for rows in self.chunks:
            yield [tuple(map(read_stored, row, self.readers)) for row in rows]


def read_stored(stored: object, reader: Callable[[object], object] | None) -> object:
    """A stored value as `StoredRows.readers` say to read it."""
    if stored is None:
        return None
    if stored.__class__ is bytes:
        stored = stored.decode("utf-8")
    return stored if reader is None else reader(stored)


def fetch_stored_rows(
    engine: Engine, selection: ObservationFilter, limit: int | None = None, chunk_size: int = 5000
) -> StoredRows:
    """The rows of `selection` (at most `limit`) in the listing's order, in chunks of
    `chunk_size` consecutive rows (the last one shorter), as the driver reads them (see
    StoredRows).

    On SQLite the rows are read along ix_observations_key (`select_along_key`) and each key's
    headlines are moved before its alternates here: SQLite otherwise sorts every key's rows
    again through a temporary B-tree, which cost a large export about a third of its reading
    (and gathering the rows from the current-rows index instead sorts the whole selection,
    spilling it to disk)."""
    dialect = engine.dialect
    if dialect.name != "sqlite":
        query = select_observations(selection)
        query = query if limit is None else query.limit(limit)
        return StoredRows(_processed_chunks(engine, query, chunk_size), (None,) * len(ROW_COLUMNS))
    query = select_along_key(selection)
    readers = tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, None)
        for column in query.selected_columns
    )
    chunks = _driver_chunks(engine, query, chunk_size)
    return StoredRows(_in_listing_order(chunks, chunk_size, limit), readers)


_KEY = itemgetter(slice(0, 5))  # metric, dimension, category, period_start, period_end
_HEADLINE = ROW_COLUMNS.index("is_headline")


def _in_listing_order(
    chunks: Iterator[list[Sequence]], chunk_size: int, limit: int | None
) -> Iterator[list[Sequence]]:
    """Rows in key order, ties by id, put in the listing's order (each key's headlines first,
    each part still by id), at most `limit` of them, in chunks of `chunk_size`."""
    keys = _whole_keys(chunks)
    try:
        yield from _in_chunks(keys, chunk_size, limit)
    finally:
        keys.close()  # and with it the driver's cursor


def _whole_keys(chunks: Iterator[list[Sequence]]) -> Iterator[list[Sequence]]:
    """The rows of `chunks` in the listing's order, in lists of whole keys: a chunk's last key
    is held back until the next chunk shows whether it goes on."""
    held: list[Sequence] = []
    try:
        for rows in chunks:
            rows = held + rows if held else rows
            last, cut = _KEY(rows[-1]), len(rows) - 1
            while cut and _KEY(rows[cut - 1]) == last:
                cut -= 1
            yield _headlines_first(rows[:cut])
            held = rows[cut:]
        yield _headlines_first(held)
    finally:
        chunks.close()


def _in_chunks(
    parts: Iterator[list[Sequence]], size: int, limit: int | None
) -> Iterator[list[Sequence]]:
    """The rows of `parts`, at most `limit` of them, in lists of `size` (the last shorter)."""
    ready: list[Sequence] = []
    left = math.inf if limit is None else limit
    for part in chain(parts, [None]):  # None: no more rows, hand over what is left
        ready += part or []
        while ready and left > 0 and (part is None or len(ready) >= min(size, left)):
            chunk = ready[: min(size, left)]
            del ready[: len(chunk)]
            left -= len(chunk)
            yield chunk
        if left <= 0:
            return


def _headlines_first(rows: list[Sequence]) -> list[Sequence]:
    """Rows of whole keys, ties by id, with each key's headlines moved before its alternates
    (in place; a stable partition, so each part stays in id order). Only a key whose alternate
    comes right before a headline is touched; most keys hold one row."""
    heads = list(map(itemgetter(_HEADLINE), rows))
    done = 0  # rows before this are in order
    for i in compress(range(len(rows) - 1), map(not_, heads)):
        if i < done or not heads[i + 1] or _KEY(rows[i]) != _KEY(rows[i + 1]):
            continue
        key, start, stop = _KEY(rows[i]), i, i + 2
        while start and _KEY(rows[start - 1]) == key:
            start -= 1
        while stop < len(rows) and _KEY(rows[stop]) == key:
            stop += 1
        rows[start:stop] = sorted(rows[start:stop], key=lambda row: not row[_HEADLINE])
        done = stop
    return rows


def _processed_chunks(engine: Engine, query: Select, chunk_size: int) -> Iterator[list[Sequence]]:
    with engine.connect() as connection:
        result = connection.execution_options(yield_per=chunk_size).execute(query)
        yield from result.partitions(chunk_size)


def _driver_chunks(engine: Engine, query: Select, chunk_size: int) -> Iterator[list[Sequence]]:
    """SQLite rows straight from the driver's cursor, text as bytes (the connection's text
    factory is put back before the connection returns to the pool)."""
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        text_factory = driver.text_factory
        driver.text_factory = bytes
        try:
            result = connection.execute(query)
            try:
                while rows := result.cursor.fetchmany(chunk_size):
                    yield rows
            finally:
                result.close()
        finally:
            driver.text_factory = text_factory


def stream_observations(
    engine: Engine, selection: ObservationFilter, limit: int | None = None, chunk_size: int = 1000
) -> Iterator[list[dict]]:
    """The rows of `selection` (at most `limit`) as dicts keyed by ROW_COLUMNS, in lists of
    `chunk_size`, fetched lazily like `fetch_stored_rows`."""
    for rows in fetch_stored_rows(engine, selection, limit, chunk_size).values():
        yield [dict(zip(ROW_COLUMNS, row)) for row in rows]
