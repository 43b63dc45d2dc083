"""Rollups of the request log, refreshed by the ETL for the days a load touched, so that no
dashboard query ever reads the raw log.

- `request_counts`: requests received per day, week (from Monday) and month, per platform,
  synthetic or not, in total and by each breakdown (channel, content type, outcome, victim age
  group and gender, region). Day rows come from the log by SQL GROUP BY; weeks and months are
  summed from the day rows.
- `request_action_times`: for the requests received in a month that were removed or blocked,
  how many there were and the median and 90th percentile of the hours to action (linear
  interpolation between ranks, numpy's default), per platform and over all platforms, with and
  without synthetic rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
from sqlalchemy import (
    Column,
    Date,
    MetaData,
    Table,
    and_,
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
    Request,
    RequestActionTime,
    RequestCount,
)

BATCH = 5000
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


def _refresh_days(connection: Connection, days: Table) -> None:
    counts, log = RequestCount.__table__, Request.__table__
    touched = select(days.c.day)
    connection.execute(
        delete(counts).where(counts.c.grain == "day", counts.c.period_start.in_(touched))
    )
    for dimension in DIMENSIONS:
        category = literal("total") if dimension == "total" else log.c[dimension]
        keys = [log.c.received_date, log.c.platform, log.c.is_synthetic]
        if dimension != "total":
            keys.append(category)
        query = (
            select(
                literal("day"),
                log.c.received_date,
                log.c.platform,
                literal(dimension),
                category,
                log.c.is_synthetic,
                func.count(),
            )
            .where(log.c.received_date.in_(touched))
            .group_by(*keys)
        )
        connection.execute(insert(counts).from_select(COUNT_COLUMNS, query))


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
    times, log = RequestActionTime.__table__, Request.__table__
    for month in sorted(months):
        connection.execute(delete(times).where(times.c.month_start == month))
        rows = connection.execute(
            select(log.c.platform, log.c.is_synthetic, log.c.hours_to_action).where(
                and_(
                    log.c.received_date >= month,
                    log.c.received_date < next_month(month),
                    log.c.outcome.in_(ACTIONED),
                    log.c.hours_to_action.is_not(None),
                )
            )
        ).all()
        columns = list(zip(*rows)) if rows else [(), (), ()]
        frame = pd.DataFrame(
            {
                "platform": pd.Series(columns[0], dtype=object),
                "is_synthetic": pd.Series(columns[1], dtype=bool),
                "hours": pd.Series(columns[2], dtype=float),
            }
        )
        records = action_time_rows(frame, month)
        if records:
            connection.execute(insert(times), records)


def refresh(
    connection: Connection, days: Table, say: Callable[[str], None] | None = None
) -> None:
    """Bring every rollup up to date for the days listed in `days` (a table with `day`);
    `say` hears each stage as it starts ("rollups: ..."), for progress on stderr."""
    say = say or (lambda _message: None)
    touched = set(connection.scalars(select(days.c.day)))
    if not touched:
        return
    say(f"rollups: day counts for {len(touched)} day(s)")
    _refresh_days(connection, days)
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
