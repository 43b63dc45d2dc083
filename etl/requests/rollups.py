"""Rollups of the request log, refreshed by the ETL for the days a load touched, so that no
dashboard query ever reads the raw log.

- `request_counts`: requests received per day, week (from Monday) and month, per platform,
  synthetic or not, in total and by each breakdown (channel, content type, outcome, victim age
  group and gender, region). Day rows come from one pass over the log's rows of the touched
  days, counted with numpy for every breakdown at once; weeks and months are summed from the
  day rows in SQL.
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
        encoded = pa.array(values, pa.string()).dictionary_encode()
        for value in encoded.dictionary.to_pylist():
            if value not in self.position:
                self.position[value] = len(self.values)
                self.values.append(value)
        lookup = np.array([self.position[v] for v in encoded.dictionary.to_pylist()], np.int64)
        return lookup[encoded.indices.to_numpy(zero_copy_only=False)]


class _DayCounts:
    """Requests per touched day x platform x synthetic or not x category, for every breakdown
    at once, accumulated block by block in dense arrays."""

    def __init__(self, touched: set[dt.date]):
        self.first = (min(touched) - EPOCH).days
        self.days = (max(touched) - EPOCH).days - self.first + 1
        self.platforms = _Codes(PLATFORMS)
        self.codes = {d: _Codes(c) for d, c in DIMENSIONS.items() if d != "total"}
        self.counts: dict[str, np.ndarray] = {}

    def add(self, day: np.ndarray, platform, synthetic: np.ndarray, codes: dict) -> None:
        day_index = day - self.first
        platform_index = self.platforms.positions(platform)
        for dimension in DIMENSIONS:
            if dimension == "total":
                category, width = np.zeros(len(day), np.int64), 1
            else:
                category = self.codes[dimension].positions(codes[dimension])
                width = len(self.codes[dimension].values)
            shape = (self.days, len(self.platforms.values), 2, width)
            key = ((day_index * shape[1] + platform_index) * 2 + synthetic) * width + category
            block = np.bincount(key, minlength=int(np.prod(shape))).reshape(shape)
            self.counts[dimension] = _grown_sum(self.counts.get(dimension), block)

    def records(self) -> list[tuple]:
        """(day, platform, dimension, category, is_synthetic, count) for every non-zero cell."""
        out: list[tuple] = []
        for dimension, counts in self.counts.items():
            names = ["total"] if dimension == "total" else self.codes[dimension].values
            day, platform, synthetic, category = np.nonzero(counts)
            dates = np.array(
                [EPOCH + dt.timedelta(days=d + self.first) for d in range(self.days)], object
            )
            out += zip(
                dates[day].tolist(),
                np.array(self.platforms.values, object)[platform].tolist(),
                [dimension] * len(day),
                np.array(names, object)[category].tolist(),
                synthetic.astype(bool).tolist(),
                counts[day, platform, synthetic, category].tolist(),
            )
        return out


def _grown_sum(total: np.ndarray | None, block: np.ndarray) -> np.ndarray:
    """`total + block`, the smaller padded with zeros where a vocabulary grew."""
    if total is None:
        return block
    shape = tuple(max(a, b) for a, b in zip(total.shape, block.shape))
    total = np.pad(total, [(0, n - m) for n, m in zip(shape, total.shape)])
    return total + np.pad(block, [(0, n - m) for n, m in zip(shape, block.shape)])


def _refresh_days(connection: Connection, days: Table, touched: set[dt.date]) -> None:
    """Day rows for the touched days, from one pass over their requests."""
    counts = RequestCount.__table__
    connection.execute(
        delete(counts).where(counts.c.grain == "day", counts.c.period_start.in_(select(days.c.day)))
    )
    breakdowns = [d for d in DIMENSIONS if d != "total"]
    sql = (
        f"SELECT received_date, platform, is_synthetic, {', '.join(breakdowns)} FROM requests"
        f" WHERE received_date IN (SELECT day FROM {days.name})"
    )
    tally = _DayCounts(touched)
    for rows in _driver_rows(connection, sql, {}):
        columns = list(zip(*rows))
        tally.add(
            _days_of(columns[0]),
            columns[1],
            np.asarray(columns[2], dtype=np.int64).astype(bool).astype(np.int64),
            dict(zip(breakdowns, columns[3:])),
        )
    _insert_day_counts(connection, tally.records())


def _insert_day_counts(connection: Connection, records: list[tuple]) -> None:
    """Insert day rows (period_start, platform, dimension, category, is_synthetic, count): on
    SQLite by the driver's executemany, on PostgreSQL by COPY."""
    counts = RequestCount.__table__
    if not records:
        return
    if connection.dialect.name == "sqlite":  # dates and booleans as SQLAlchemy stores them
        rows = [("day", d.isoformat(), p, m, c, int(s), n) for d, p, m, c, s, n in records]
        connection.exec_driver_sql(
            f"INSERT INTO {counts.name} ({', '.join(COUNT_COLUMNS)}) VALUES "
            f"({', '.join('?' for _ in COUNT_COLUMNS)})",
            rows,
        )
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


def _refresh_action_times(connection: Connection, months: set[dt.date]) -> None:
    times = RequestActionTime.__table__
    actioned = ", ".join(f"'{outcome}'" for outcome in ACTIONED)  # the schema's own codes
    sql = (
        "SELECT platform, is_synthetic, hours_to_action FROM requests"
        " WHERE received_date >= :first AND received_date < :after"
        f" AND outcome IN ({actioned}) AND hours_to_action IS NOT NULL"
    )
    for month in sorted(months):
        connection.execute(delete(times).where(times.c.month_start == month))
        platforms, synthetic, hours = [], [], []
        bounds = {"first": month, "after": next_month(month)}
        for rows in _driver_rows(connection, sql, bounds):
            columns = list(zip(*rows))
            platforms += columns[0]
            synthetic.append(np.asarray(columns[1], dtype=bool))
            hours.append(np.asarray(columns[2], dtype=float))
        frame = pd.DataFrame(
            {
                "platform": pd.Series(platforms, dtype=object),
                "is_synthetic": pd.Series(np.concatenate([np.zeros(0, bool), *synthetic])),
                "hours": pd.Series(np.concatenate([np.zeros(0), *hours])),
            }
        )
        records = action_time_rows(frame, month)
        if records:
            connection.execute(insert(times), records)


def refresh(connection: Connection, days: Table, say: Callable[[str], None] | None = None) -> None:
    """Bring every rollup up to date for the days listed in `days` (a table with `day`);
    `say` hears each stage as it starts ("rollups: ..."), for progress on stderr."""
    say = say or (lambda _message: None)
    touched = set(connection.scalars(select(days.c.day)))
    if not touched:
        return
    say(f"rollups: day counts for {len(touched)} day(s)")
    _refresh_days(connection, days, touched)
    periods = _period_map(connection, touched)
    say("rollups: week counts")
    _refresh_grain(connection, periods, "week", {week_start(d) for d in touched})
    say("rollups: month counts")
    _refresh_grain(connection, periods, "month", {month_start(d) for d in touched})
    periods.drop(connection)
    say("rollups: hours to action")
    _refresh_action_times(connection, {month_start(d) for d in touched})
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
