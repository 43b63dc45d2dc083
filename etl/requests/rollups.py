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
from collections.abc import Callable, Iterable, Iterator

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
    PLATFORMS,
    Request,
    RequestActionTime,
    RequestCount,
)
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

    def records(self) -> Iterator[tuple]:
        """(day, platform, dimension, category, is_synthetic, count) for every non-zero cell,
        made a breakdown at a time."""
        for dimension, counts in self.counts.items():
            names = ["total"] if dimension == "total" else self.codes[dimension].values
            day, platform, synthetic, category = np.nonzero(counts)
            dates = np.array(
                [EPOCH + dt.timedelta(days=d + self.first) for d in range(counts.shape[0])], object
            )
            yield from zip(
                dates[day].tolist(),
                np.array(self.platforms.values, object)[platform].tolist(),
                [dimension] * len(day),
                np.array(names, object)[category].tolist(),
                synthetic.astype(bool).tolist(),
                counts[day, platform, synthetic, category].tolist(),
            )


def _refresh_days(connection: Connection, days: Table, tally: LoadTally | None = None) -> None:
    """Day rows for the touched days: from the rows counted as they were loaded (`tally`),
    else from one pass over the touched days' requests."""
    counts = RequestCount.__table__
    connection.execute(
        delete(counts).where(counts.c.grain == "day", counts.c.period_start.in_(select(days.c.day)))
    )
    if tally is not None:
        _insert_day_counts(connection, tally.day_counts.records())
        return
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
    _insert_day_counts(connection, day_counts.records())


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


def _insert_day_counts(connection: Connection, records: Iterable[tuple]) -> None:
    """Insert day rows (period_start, platform, dimension, category, is_synthetic, count): on
    SQLite by the driver's executemany, each row made as the driver takes it; on PostgreSQL by
    COPY."""
    counts = RequestCount.__table__
    if connection.dialect.name == "sqlite":  # dates and booleans as SQLAlchemy stores them
        rows = (("day", d.isoformat(), p, m, c, int(s), n) for d, p, m, c, s, n in records)
        cursor = connection.connection.driver_connection.cursor()
        try:
            cursor.executemany(
                f"INSERT INTO {counts.name} ({', '.join(COUNT_COLUMNS)}) VALUES "
                f"({', '.join('?' for _ in COUNT_COLUMNS)})",
                rows,
            )
        finally:
            cursor.close()
        return
    records = list(records)
    if not records:
        return
    if connection.dialect.name != "postgresql":
        values = [dict(zip(COUNT_COLUMNS, ("day", *record))) for record in records]
        connection.execute(insert(counts), values)
        return
    columns = list(zip(*records))
    table = pa.table(
        {
            "grain": pa.array(["day"] * len(records)),
            "period_start": pa.array(columns[0], pa.date32()),
            "platform": pa.array(columns[1], pa.string()),
            "dimension": pa.array(columns[2], pa.string()),
            "category": pa.array(columns[3], pa.string()),
            "is_synthetic": pa.array(columns[4], pa.bool_()),
            "request_count": pa.array(columns[5], pa.int64()),
        }
    )
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
    """Week or month rows for the periods starting on `starts`, summed from the day rows."""
    counts = RequestCount.__table__
    start_column = periods.c.week_start if grain == "week" else periods.c.month_start
    ordered = sorted(starts)
    for first in range(0, len(ordered), BATCH):
        batch = ordered[first : first + BATCH]
        connection.execute(
            delete(counts).where(counts.c.grain == grain, counts.c.period_start.in_(batch))
        )
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
    """Rollup rows for one month from its actioned requests (platform, is_synthetic, hours)."""
    out = []
    for includes_synthetic in (True, False):
        scope = frame if includes_synthetic else frame[~frame["is_synthetic"].astype(bool)]
        groups = [(p, part["hours"]) for p, part in scope.groupby("platform")]
        groups.append((ALL_PLATFORMS, scope["hours"]))
        for platform, hours in groups:
            if hours.empty:
                continue
            out.append(
                {
                    "month_start": month,
                    "platform": platform,
                    "includes_synthetic": includes_synthetic,
                    "actioned_count": int(hours.size),
                    "median_hours": float(hours.median()),
                    "p90_hours": float(hours.quantile(0.9)),
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
    _refresh_days(connection, days, tally)
    periods = _period_map(connection, touched)
    say("rollups: week counts")
    _refresh_grain(connection, periods, "week", {week_start(d) for d in touched})
    say("rollups: month counts")
    _refresh_grain(connection, periods, "month", {month_start(d) for d in touched})
    periods.drop(connection)
    say("rollups: hours to action")
    _refresh_action_times(connection, {month_start(d) for d in touched}, tally)
    say("rollups: done")


def rebuild(connection: Connection) -> None:
    """Recompute every rollup from the whole log (after a repair; loads refresh incrementally)."""
    metadata = MetaData()
    days = Table(
        "request_rebuild_days",
        metadata,
        Column("day", Date, primary_key=True),
        prefixes=["TEMPORARY"],
    )
    days.create(connection)
    log = Request.__table__
    connection.execute(insert(days).from_select(["day"], select(log.c.received_date).distinct()))
    connection.execute(delete(RequestCount.__table__))
    connection.execute(delete(RequestActionTime.__table__))
    refresh(connection, days)
    days.drop(connection)
