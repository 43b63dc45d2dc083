"""Rollups of the request log, refreshed by the ETL for the days a load touched, so that no
dashboard query ever reads the raw log.

- `request_counts`: requests received per day, week (from Monday) and month, per platform,
  synthetic or not, in total and by each breakdown (channel, content type, outcome, victim age
  group and gender, region). Day rows come from one pass over the log's rows of the touched
  days, counted with numpy for every breakdown at once (a load into an empty `requests` counts
  its rows as it writes them instead, `LoadTally`); weeks and months are summed from the day
  rows in SQL.
- `request_action_times`: for the requests received in a month that were removed or blocked,
  how many there were and the median and 90th percentile of the hours to action (linear
  interpolation between ranks, numpy's default), per platform and over all platforms, with and
  without synthetic rows.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy import (
    Column,
    Date,
    MetaData,
    Table,
    delete,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.engine import Connection

from db.requests_schema import (
    ACTIONED,
    ALL_PLATFORMS,
    DIMENSIONS,
    GRAINS,
    PLATFORMS,
    RequestActionTime,
    RequestCount,
)
from etl.requests import bulk
from etl.requests.checks import TypedRows

BATCH = 5000
FETCH_ROWS = 100_000  # rows of the log read at a time
EPOCH = dt.date(1970, 1, 1)
COUNT_COLUMNS = [
    "grain",
    "period_start",
    "platform",
    "dimension",
    "category",
    "is_synthetic",
    "request_count",
]


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _driver_rows(connection: Connection, sql: str, params: dict) -> Iterator[list[tuple]]:
    """Rows of a read-only query, FETCH_ROWS at a time, straight from the driver (no per-row
    work by SQLAlchemy), in the caller's transaction. `sql` names its parameters `:name`; dates
    are passed to SQLite as the ISO text SQLAlchemy stores."""
    if connection.dialect.name == "sqlite":
        params = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in params.items()}
    else:
        sql = re.sub(r":(\w+)", r"%(\1)s", sql)
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH_ROWS):
            yield rows
    finally:
        cursor.close()


def _days_of(values) -> np.ndarray:
    """Days since 1970 of dates read back from the database (date objects or ISO text)."""
    array = pa.array(values)
    if not pa.types.is_date32(array.type):
        array = array.cast(pa.date32())
    return array.to_numpy(zero_copy_only=False).astype("datetime64[D]").astype(np.int64)


class _Codes:
    """Positions of code values in a vocabulary that starts with the declared codes and grows
    with any other value met, so that every stored value is counted."""

    def __init__(self, declared):
        self.values = list(declared)
        self.position = {value: i for i, value in enumerate(self.values)}

    def positions(self, values) -> np.ndarray:
        """Per value, its position; `values` is a sequence of text or an Arrow dictionary
        array (whose dictionary may hold a value twice)."""
        if isinstance(values, pa.DictionaryArray):
            encoded = values
        else:
            encoded = pa.array(values, pa.string()).dictionary_encode()
        for value in encoded.dictionary.to_pylist():
            if value not in self.position:
                self.position[value] = len(self.values)
                self.values.append(value)
        lookup = np.array([self.position[v] for v in encoded.dictionary.to_pylist()], np.int64)
        return lookup[encoded.indices.to_numpy(zero_copy_only=False)]


class _DayCounts:
    """Requests per day x platform x synthetic or not x category, for every breakdown at once,
    accumulated block by block in dense arrays that grow with the days and codes met."""

    def __init__(self):
        self.first: int | None = None  # the day (since 1970) of the arrays' first row
        self.platforms = _Codes(PLATFORMS)
        self.codes = {d: _Codes(c) for d, c in DIMENSIONS.items() if d != "total"}
        self.counts: dict[str, np.ndarray] = {}

    def add(self, day: np.ndarray, platform, synthetic: np.ndarray, codes: dict) -> None:
        """Count a block of rows: `day` in days since 1970, `synthetic` 0 or 1, the platform
        and each breakdown's codes as sequences of text or Arrow dictionary arrays."""
        if not len(day):
            return
        first = int(day.min())
        days = int(day.max()) - first + 1
        day_index = day - first
        platform_index = self.platforms.positions(platform)
        for dimension in DIMENSIONS:
            if dimension == "total":
                category, width = np.zeros(len(day), np.int64), 1
            else:
                category = self.codes[dimension].positions(codes[dimension])
                width = len(self.codes[dimension].values)
            shape = (days, len(self.platforms.values), 2, width)
            key = ((day_index * shape[1] + platform_index) * 2 + synthetic) * width + category
            block = np.bincount(key, minlength=int(np.prod(shape))).reshape(shape)
            self.counts[dimension] = self._grown_sum(self.counts.get(dimension), block, first)
        self.first = first if self.first is None else min(self.first, first)

    def _grown_sum(self, total: np.ndarray | None, block: np.ndarray, first: int) -> np.ndarray:
        """`total + block`, where `block`'s first row is the day `first`, both padded with
        zeros to the days and codes of either."""
        if total is None:
            return block
        start = min(self.first, first)
        end = max(self.first + total.shape[0], first + block.shape[0])
        shape = (end - start, *(max(a, b) for a, b in zip(total.shape[1:], block.shape[1:])))
        out = np.zeros(shape, np.int64)
        for part, part_first in ((total, self.first), (block, first)):
            at = part_first - start
            out[at : at + part.shape[0], : part.shape[1], :, : part.shape[3]] += part
        return out

    def columns(self, grain: str) -> dict[str, np.ndarray]:
        """Every non-zero count summed by `grain` (day, week or month) as the columns of
        `request_counts` but `grain`: period_start in days since 1970, platform, dimension,
        category, is_synthetic, request_count; in the order of the table's key as far as
        period, platform and dimension go, so that the key's index is written in order."""
        platforms = np.array(self.platforms.values, object)
        platform_rank = np.argsort(np.argsort(platforms.astype(str)))
        dimension_rank = {name: rank for rank, name in enumerate(sorted(self.counts))}
        parts = [
            {
                "period_start": np.zeros(0, np.int64),
                **{n: np.zeros(0, object) for n in ("platform", "dimension", "category")},
                "is_synthetic": np.zeros(0, bool),
                "request_count": np.zeros(0, np.int64),
                "order": np.zeros((0, 3), np.int64),
            }
        ]
        for dimension, counts in self.counts.items():
            starts = _period_starts(np.arange(counts.shape[0]) + self.first, grain)
            if grain != "day":  # the days run on without a gap, so each period's are together
                edges = np.flatnonzero(np.r_[True, starts[1:] != starts[:-1]])
                counts, starts = np.add.reduceat(counts, edges, axis=0), starts[edges]
            names = ["total"] if dimension == "total" else self.codes[dimension].values
            period, platform, synthetic, category = np.nonzero(counts)
            parts.append(
                {
                    "period_start": starts[period],
                    "platform": platforms[platform],
                    "dimension": np.full(len(period), dimension, object),
                    "category": np.array(names, object)[category],
                    "is_synthetic": synthetic.astype(bool),
                    "request_count": counts[period, platform, synthetic, category],
                    "order": np.column_stack(
                        [
                            starts[period],
                            platform_rank[platform],
                            np.full(len(period), dimension_rank[dimension]),
                        ]
                    ),
                }
            )
        order = np.concatenate([part.pop("order") for part in parts])
        chosen = np.lexsort(order.T[::-1])
        return {
            name: np.concatenate([part[name] for part in parts])[chosen]
            for name in COUNT_COLUMNS[1:]
        }


def _period_starts(days: np.ndarray, grain: str) -> np.ndarray:
    """The first day of each day's `grain` (a week starts on Monday), in days since 1970."""
    if grain == "day":
        return days
    if grain == "week":
        return days - (days + 3) % 7  # 1970-01-01 was a Thursday
    return (
        days.astype("datetime64[D]")
        .astype("datetime64[M]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )


def _refresh_days(connection: Connection, days: Table) -> None:
    """Day rows for the touched days, from one pass over the touched days' requests (the
    caller has taken out their old rows)."""
    breakdowns = [d for d in DIMENSIONS if d != "total"]
    sql = (
        f"SELECT received_date, platform, is_synthetic, {', '.join(breakdowns)} FROM requests"
        f" WHERE received_date IN (SELECT day FROM {days.name})"
    )
    day_counts = _DayCounts()
    for rows in _driver_rows(connection, sql, {}):
        columns = list(zip(*rows))
        day_counts.add(
            _days_of(columns[0]),
            columns[1],
            np.asarray(columns[2], dtype=np.int64).astype(bool).astype(np.int64),
            dict(zip(breakdowns, columns[3:])),
        )
    if day_counts.counts:
        _insert_counts(connection, "day", day_counts.columns("day"))


def _delete_counts(connection: Connection, grain: str, starts: set[dt.date]) -> None:
    """Take out the `grain` rows of the periods starting on `starts`."""
    counts = RequestCount.__table__
    ordered = sorted(starts)
    for first in range(0, len(ordered), BATCH):
        connection.execute(
            delete(counts).where(
                counts.c.grain == grain, counts.c.period_start.in_(ordered[first : first + BATCH])
            )
        )


class LoadTally:
    """What the rollups need from the rows of a load, counted as the rows are written, so that
    a load into an empty `requests` is rolled up without reading its rows back: the day counts,
    and the platform, synthetic mark and hours of every actioned request by month."""

    def __init__(self):
        self.day_counts = _DayCounts()
        # month (since 1970) -> blocks of its actioned rows: (platform positions in
        # day_counts.platforms, synthetic marks, hours to action); 10 bytes a row
        self._actioned: dict[int, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}

    def add(self, rows: TypedRows) -> None:
        """Count rows that were written to `requests`, as they were written."""
        day = rows.received_day
        platform = rows.codes["platform"]
        self.day_counts.add(day, platform, rows.is_synthetic.astype(np.int64), rows.codes)
        outcome = rows.codes["outcome"]
        actioned_outcome = pc.is_in(outcome.dictionary, value_set=pa.array(list(ACTIONED)))
        actioned = actioned_outcome.to_numpy(zero_copy_only=False)[
            outcome.indices.to_numpy(zero_copy_only=False)
        ]
        actioned &= rows.actioned  # hours_to_action is stored where actioned_at is
        chosen = np.flatnonzero(actioned)
        months = day[chosen].astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        platforms = self.day_counts.platforms.positions(platform)[chosen].astype(np.int8)
        synthetic, hours = rows.is_synthetic[chosen].astype(bool), rows.hours_to_action[chosen]
        for month in np.unique(months).tolist():
            part = months == month
            block = (platforms[part], synthetic[part], hours[part])
            self._actioned.setdefault(month, []).append(block)

    def actioned(self) -> dict[dt.date, pd.DataFrame]:
        """Per month, its actioned requests as `action_time_rows` takes them."""
        names = np.array(self.day_counts.platforms.values, object)
        out = {}
        for month, blocks in self._actioned.items():
            start = dt.date.fromisoformat(f"{np.datetime64(month, 'M')}-01")
            platforms, synthetic, hours = (np.concatenate(parts) for parts in zip(*blocks))
            out[start] = _actioned_frame(names[platforms], synthetic, hours)
        return out


def _insert_counts(connection: Connection, grain: str, columns: dict[str, np.ndarray]) -> None:
    """Insert `grain` rows given as `_DayCounts.columns` gives them: on SQLite many rows a
    statement with values as SQLAlchemy stores them, on PostgreSQL by COPY, elsewhere through
    SQLAlchemy."""
    counts = RequestCount.__table__
    if not len(columns["request_count"]):
        return
    days = columns["period_start"].astype("datetime64[D]")
    if connection.dialect.name == "sqlite":
        values = {
            "period_start": np.datetime_as_string(days).tolist(),  # YYYY-MM-DD
            **{name: columns[name].tolist() for name in ("platform", "dimension", "category")},
            "is_synthetic": columns["is_synthetic"].astype(np.int8).tolist(),
            "request_count": columns["request_count"].tolist(),
        }
        bulk.sqlite_insert(connection, counts.name, values, {"grain": grain})
        return
    table = pa.table(
        {
            "grain": pa.array([grain] * len(days), pa.string()),
            "period_start": pa.array(days, pa.date32()),
            **{n: pa.array(columns[n], pa.string()) for n in ("platform", "dimension", "category")},
            "is_synthetic": pa.array(columns["is_synthetic"], pa.bool_()),
            "request_count": pa.array(columns["request_count"], pa.int64()),
        }
    )
    if connection.dialect.name != "postgresql":
        connection.execute(insert(counts), table.to_pylist())
        return
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False))
    statement = f"COPY {counts.name} ({', '.join(COUNT_COLUMNS)}) FROM STDIN (FORMAT csv)"
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        copy.write(buffer.getbuffer())


def _period_map(connection: Connection, touched: set[dt.date]) -> Table:
    """A temporary table giving each day around `touched` its week and month."""
    metadata = MetaData()
    periods = Table(
        "request_period_map",
        metadata,
        Column("day", Date, primary_key=True),
        Column("week_start", Date),
        Column("month_start", Date),
        prefixes=["TEMPORARY"],
    )
    periods.drop(connection, checkfirst=True)
    periods.create(connection)
    first = min(week_start(min(touched)), month_start(min(touched)))
    last = max(week_start(max(touched)) + dt.timedelta(days=6), next_month(max(touched)))
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    records = [{"day": d, "week_start": week_start(d), "month_start": month_start(d)} for d in days]
    for start in range(0, len(records), BATCH):
        connection.execute(insert(periods), records[start : start + BATCH])
    return periods


def _refresh_grain(
    connection: Connection, periods: Table, grain: str, starts: set[dt.date]
) -> None:
    """Week or month rows for the periods starting on `starts`, summed from the day rows (the
    caller has taken out their old rows)."""
    counts = RequestCount.__table__
    start_column = periods.c.week_start if grain == "week" else periods.c.month_start
    ordered = sorted(starts)
    for first in range(0, len(ordered), BATCH):
        batch = ordered[first : first + BATCH]
        keys = [
            start_column,
            counts.c.platform,
            counts.c.dimension,
            counts.c.category,
            counts.c.is_synthetic,
        ]
        query = (
            select(literal(grain), *keys, func.sum(counts.c.request_count))
            .join_from(counts, periods, periods.c.day == counts.c.period_start)
            .where(counts.c.grain == "day", start_column.in_(batch))
            .group_by(*keys)
        )
        connection.execute(insert(counts).from_select(COUNT_COLUMNS, query))


def action_time_rows(frame: pd.DataFrame, month: dt.date) -> list[dict]:
    """Rollup rows for one month from its actioned requests (platform, is_synthetic, hours):
    per platform in the order of their names, then over every platform, with and without the
    synthetic requests; the 90th percentile interpolated as pandas' `quantile` does."""
    platforms = frame["platform"].to_numpy(dtype=object).astype(str)
    synthetic = frame["is_synthetic"].to_numpy(dtype=bool)
    hours = frame["hours"].to_numpy(dtype=float)
    out = []
    for includes_synthetic in (True, False):
        kept = np.ones(len(hours), bool) if includes_synthetic else ~synthetic
        names, codes = np.unique(platforms[kept], return_inverse=True)
        order = np.argsort(codes, kind="stable")
        edges = np.searchsorted(codes[order], np.arange(len(names) + 1))
        scoped = hours[kept][order]
        groups = [(name, scoped[edges[i] : edges[i + 1]]) for i, name in enumerate(names)]
        groups.append((ALL_PLATFORMS, hours[kept]))
        for platform, values in groups:
            if not values.size:
                continue
            out.append(
                {
                    "month_start": month,
                    "platform": str(platform),
                    "includes_synthetic": includes_synthetic,
                    "actioned_count": int(values.size),
                    "median_hours": float(np.median(values)),
                    "p90_hours": float(np.percentile(values, 0.9 * 100.0)),
                }
            )
    return out


def _actioned_in(connection: Connection, month: dt.date) -> pd.DataFrame:
    """The month's actioned requests (platform, is_synthetic, hours), read from `requests`."""
    actioned = ", ".join(f"'{outcome}'" for outcome in ACTIONED)  # the schema's own codes
    sql = (
        "SELECT platform, is_synthetic, hours_to_action FROM requests"
        " WHERE received_date >= :first AND received_date < :after"
        f" AND outcome IN ({actioned}) AND hours_to_action IS NOT NULL"
    )
    platforms, synthetic, hours = [], [], []
    bounds = {"first": month, "after": next_month(month)}
    for rows in _driver_rows(connection, sql, bounds):
        columns = list(zip(*rows))
        platforms += columns[0]
        synthetic.append(np.asarray(columns[1], dtype=bool))
        hours.append(np.asarray(columns[2], dtype=float))
    return _actioned_frame(
        platforms,
        np.concatenate([np.zeros(0, bool), *synthetic]),
        np.concatenate([np.zeros(0), *hours]),
    )


def _actioned_frame(platforms, synthetic: np.ndarray, hours: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "platform": pd.Series(platforms, dtype=object),
            "is_synthetic": pd.Series(synthetic),
            "hours": pd.Series(hours),
        }
    )


def _refresh_action_times(
    connection: Connection, months: set[dt.date], tally: LoadTally | None = None
) -> None:
    times = RequestActionTime.__table__
    counted = tally.actioned() if tally is not None else {}
    for month in sorted(months):
        connection.execute(delete(times).where(times.c.month_start == month))
        if tally is None:
            frame = _actioned_in(connection, month)
        else:
            frame = counted.get(month, _actioned_frame([], np.zeros(0, bool), np.zeros(0)))
        records = action_time_rows(frame, month)
        if records:
            connection.execute(insert(times), records)


def refresh(
    connection: Connection,
    days: Table,
    say: Callable[[str], None] | None = None,
    tally: LoadTally | None = None,
) -> None:
    """Bring every rollup up to date for the days listed in `days` (a table with `day`);
    `say` hears each stage as it starts ("rollups: ..."), for progress on stderr. `tally`:
    the rows of the touched days counted as they were loaded, when they are all of them
    (a load into an empty `requests`); without it they are read back."""
    say = say or (lambda _message: None)
    touched = set(connection.scalars(select(days.c.day)))
    if not touched:
        return
    say(f"rollups: day counts for {len(touched)} day(s)")
    starts = {
        "day": touched,
        "week": {week_start(d) for d in touched},
        "month": {month_start(d) for d in touched},
    }
    for grain in GRAINS:
        _delete_counts(connection, grain, starts[grain])
    if tally is not None:  # every stored request was counted: each grain is summed from that
        with bulk.secondary_indexes_dropped(connection, RequestCount.__table__):
            for grain in GRAINS:
                if grain != "day":
                    say(f"rollups: {grain} counts")
                _insert_counts(connection, grain, tally.day_counts.columns(grain))
    else:
        _refresh_days(connection, days)
        periods = _period_map(connection, touched)
        for grain in GRAINS[1:]:
            say(f"rollups: {grain} counts")
            _refresh_grain(connection, periods, grain, starts[grain])
        periods.drop(connection)
    say("rollups: hours to action")
    _refresh_action_times(connection, {month_start(d) for d in touched}, tally)
    say("rollups: done")

