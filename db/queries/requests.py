"""Queries on the request log's rollups (never the raw log): bound parameters in, DataFrames out.

Internal queries give exact counts, with how many of them are synthetic. `public_monthly` gives
the one table the public view publishes from the log: requests per platform and month, real
rows only, with small-cell suppression applied once to the whole table (so no filter, chart or
download can show a different pattern), and the scorecard measures each cell may carry.

The rollups change only when the ETL loads a log, so each answer is kept per database and last
load (`_per_load`): a page asks for it again at the cost of one lookup of the last load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache, wraps

import numpy as np
import pandas as pd
from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Engine

from db.queries.suppression import COMPLEMENTARY, PRIMARY, STATUS_NAMES, suppress_table
from db.requests_schema import (
    ACTIONED,
    ALL_PLATFORMS,
    DECIDED,
    OUTCOMES,
    PLATFORMS,
    RequestActionTime,
    RequestCount,
)
from db.schema import EtlRun

BACKLOG_BANDS = ((0, 7), (8, 30), (31, 90), (91, 180), (181, 365), (366, None))
PUBLIC_COLUMNS = [
    "month",
    "platform",
    "request_count",
    "request_count_text",
    "suppressed",
    "share_actioned_pct",
    "share_no_response_pct",
    "median_hours_to_action",
    "p90_hours_to_action",
]
ALL = "all"


def _frame(rows, columns: list[str]) -> pd.DataFrame:
    """A DataFrame from result rows, built column by column (fast for many rows)."""
    rows = list(rows)
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.DataFrame(dict(zip(columns, map(list, zip(*rows)))))


def _synthetic_filter(include_synthetic: bool):
    return () if include_synthetic else (RequestCount.is_synthetic.is_(False),)


def last_load(engine: Engine) -> dt.datetime | None:
    """When the last request-log load that wrote rows finished."""
    with engine.connect() as connection:
        return connection.scalar(
            select(func.max(EtlRun.finished_at)).where(
                and_(EtlRun.file_kind == "requests", EtlRun.outcome.in_(("loaded", "partial")))
            )
        )


def _copy(value):
    if isinstance(value, pd.DataFrame):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    if isinstance(value, (list, dict)):
        return type(value)(value)
    return value


def _per_load(function: Callable) -> Callable:
    """`function(engine, ...)` (hashable arguments) computed once per engine, last load and
    arguments; each caller gets its own copy to change. `cache_clear()` forgets them."""

    @lru_cache(maxsize=256)
    def kept(engine: Engine, loaded, *args, **kwargs):
        del loaded  # part of the cache key: a new load gives new answers
        return function(engine, *args, **kwargs)

    @wraps(function)
    def wrapper(engine: Engine, *args, **kwargs):
        return _copy(kept(engine, last_load(engine), *args, **kwargs))

    wrapper.cache_clear = kept.cache_clear
    return wrapper


@_per_load
def log_summary(engine: Engine) -> dict:
    """What the log holds: first and last day, requests, synthetic requests, last load."""
    day = RequestCount.grain == "day", RequestCount.dimension == "total"
    with engine.connect() as connection:
        first, last, total = connection.execute(
            select(
                func.min(RequestCount.period_start),
                func.max(RequestCount.period_start),
                func.sum(RequestCount.request_count),
            ).where(*day)
        ).one()
        synthetic = connection.scalar(
            select(func.sum(RequestCount.request_count)).where(
                *day, RequestCount.is_synthetic.is_(True)
            )
        )
        loaded = connection.scalar(
            select(func.max(EtlRun.finished_at)).where(
                EtlRun.file_kind == "requests", EtlRun.outcome.in_(("loaded", "partial"))
            )
        )
    total, synthetic = int(total or 0), int(synthetic or 0)
    return {
        "first_day": first,
        "last_day": last,
        "requests": total,
        "synthetic_requests": synthetic,
        "real_requests": total - synthetic,
        "last_load": loaded,
    }


@_per_load
def counts(
    engine: Engine,
    grain: str = "month",
    dimension: str = "total",
    platforms: tuple[str, ...] = (),
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    include_synthetic: bool = True,
    by_platform: bool = False,
) -> pd.DataFrame:
    """Requests per period and category (summed over the chosen platforms, or per platform when
    `by_platform`): period_start, [platform,] category, request_count, synthetic_count."""
    keys = [RequestCount.period_start, RequestCount.category]
    if by_platform:
        keys.insert(1, RequestCount.platform)
    synthetic = func.sum(
        case((RequestCount.is_synthetic.is_(True), RequestCount.request_count), else_=0)
    )
    query = (
        select(*keys, func.sum(RequestCount.request_count), synthetic)
        .where(
            RequestCount.grain == grain,
            RequestCount.dimension == dimension,
            *_synthetic_filter(include_synthetic),
        )
        .group_by(*keys)
        .order_by(*keys)
    )
    if platforms:
        query = query.where(RequestCount.platform.in_(list(platforms)))
    if date_from is not None:
        query = query.where(RequestCount.period_start >= date_from)
    if date_to is not None:
        query = query.where(RequestCount.period_start <= date_to)
    names = ["period_start", *(["platform"] if by_platform else []), "category"]
    with engine.connect() as connection:
        frame = _frame(connection.execute(query), [*names, "request_count", "synthetic_count"])
    for column in ("request_count", "synthetic_count"):
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame


@_per_load
def breakdown(
    engine: Engine,
    dimension: str,
    platforms: tuple[str, ...] = (),
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    include_synthetic: bool = True,
) -> pd.DataFrame:
    """Requests by the categories of `dimension` over the chosen days (from the day rollup):
    category, request_count, synthetic_count."""
    daily = counts(engine, "day", dimension, platforms, date_from, date_to, include_synthetic)
    if daily.empty:
        return pd.DataFrame(columns=["category", "request_count", "synthetic_count"])
    return (
        daily.groupby("category", as_index=False)[["request_count", "synthetic_count"]]
        .sum()
        .sort_values("request_count", ascending=False, kind="stable")
        .reset_index(drop=True)
    )


def _action_times(
    engine: Engine, include_synthetic: bool, platforms: tuple[str, ...] = ()
) -> pd.DataFrame:
    query = select(
        RequestActionTime.month_start,
        RequestActionTime.platform,
        RequestActionTime.actioned_count,
        RequestActionTime.median_hours,
        RequestActionTime.p90_hours,
    ).where(RequestActionTime.includes_synthetic.is_(include_synthetic))
    if platforms:
        query = query.where(RequestActionTime.platform.in_(list(platforms)))
    with engine.connect() as connection:
        return _frame(
            connection.execute(query),
            ["month_start", "platform", "actioned_count", "median_hours", "p90_hours"],
        )


@_per_load
def scorecard(
    engine: Engine, include_synthetic: bool = True, platforms: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Per month and platform (and `all` platforms): requests, each outcome, shares actioned
    and unanswered among decided requests (in percent), median and p90 hours to action, and
    how many requests are synthetic."""
    outcomes = counts(
        engine,
        "month",
        "outcome",
        platforms,
        include_synthetic=include_synthetic,
        by_platform=True,
    )
    columns = ["month_start", "platform", "requests", *OUTCOMES, "synthetic_count"]
    if outcomes.empty:
        return pd.DataFrame(columns=columns)
    wide = outcomes.pivot_table(
        index=["period_start", "platform"],
        columns="category",
        values="request_count",
        aggfunc="sum",
        fill_value=0,
    )
    for outcome in OUTCOMES:
        if outcome not in wide.columns:
            wide[outcome] = 0
    wide = wide[list(OUTCOMES)]
    synthetic = outcomes.groupby(["period_start", "platform"])["synthetic_count"].sum()
    wide["synthetic_count"] = synthetic
    wide = wide.reset_index().rename(columns={"period_start": "month_start"})
    if platforms:
        frame = wide  # the `all` row is over every platform: only without a filter
    else:
        every = wide.groupby("month_start", as_index=False)[[*OUTCOMES, "synthetic_count"]].sum()
        every["platform"] = ALL_PLATFORMS
        frame = pd.concat([wide, every], ignore_index=True)
    frame["requests"] = frame[list(OUTCOMES)].sum(axis=1)
    frame["actioned"] = frame[list(ACTIONED)].sum(axis=1)
    frame["decided"] = frame[list(DECIDED)].sum(axis=1)
    decided = frame["decided"].where(frame["decided"] > 0)
    frame["share_actioned_pct"] = 100.0 * frame["actioned"] / decided
    frame["share_no_response_pct"] = 100.0 * frame["no_response"] / decided
    times = _action_times(engine, include_synthetic, platforms)
    frame = frame.merge(times, on=["month_start", "platform"], how="left")
    frame["actioned_count"] = frame["actioned_count"].fillna(0).astype("int64")
    order = {p: i for i, p in enumerate((*PLATFORMS, ALL_PLATFORMS))}
    frame["_order"] = frame["platform"].map(order)
    return (
        frame.sort_values(["month_start", "_order"]).drop(columns="_order").reset_index(drop=True)
    )


@_per_load
def backlog(
    engine: Engine, platforms: tuple[str, ...] = (), include_synthetic: bool = True
) -> tuple[pd.DataFrame, dt.date | None]:
    """Pending requests by how long they have waited, as of the log's last day:
    (frame of band_start_days, band_end_days, platform, pending_count, synthetic_count, as_of)."""
    pending = counts(
        engine,
        "day",
        "outcome",
        platforms,
        include_synthetic=include_synthetic,
        by_platform=True,
    )
    with engine.connect() as connection:
        as_of = connection.scalar(
            select(func.max(RequestCount.period_start)).where(
                RequestCount.grain == "day", *_synthetic_filter(include_synthetic)
            )
        )
    columns = ["band_start_days", "band_end_days", "platform", "pending_count", "synthetic_count"]
    pending = pending[pending["category"] == "pending"]
    if pending.empty or as_of is None:
        return pd.DataFrame(columns=columns), as_of
    age = np.array([(as_of - d).days for d in pending["period_start"]])
    band = np.zeros(len(age), dtype=int)
    for index, (low, _high) in enumerate(BACKLOG_BANDS):
        band[age >= low] = index
    pending = pending.assign(band=band)
    grouped = pending.groupby(["band", "platform"], as_index=False)[
        ["request_count", "synthetic_count"]
    ].sum()
    grouped["band_start_days"] = [BACKLOG_BANDS[b][0] for b in grouped["band"]]
    grouped["band_end_days"] = [BACKLOG_BANDS[b][1] for b in grouped["band"]]
    grouped = grouped.rename(columns={"request_count": "pending_count"})
    return grouped[columns], as_of


@_per_load
def months(engine: Engine, include_synthetic: bool = True) -> list[dt.date]:
    """The months the log covers, oldest first."""
    query = (
        select(RequestCount.period_start)
        .where(
            RequestCount.grain == "month",
            RequestCount.dimension == "total",
            *_synthetic_filter(include_synthetic),
        )
        .distinct()
        .order_by(RequestCount.period_start)
    )
    with engine.connect() as connection:
        return list(connection.scalars(query))


# ---------------------------------------------------------------- public, suppressed


def _month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    out, month = [], first
    while month <= last:
        out.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def _count_text(value: int, status: int, threshold: int) -> str:
    if status == PRIMARY:
        return f"<{threshold}"
    if status == COMPLEMENTARY:
        return "suppressed"
    return f"{value:,}"


def _share(numerator: float, denominator: float, threshold: int) -> float | None:
    """A share in whole percent, or None when it rests on fewer than `threshold` requests or
    would let a count from 1 to threshold - 1 be worked out (numerator or its complement)."""
    if denominator < threshold:
        return None
    for part in (numerator, denominator - numerator):
        if 1 <= part < threshold:
            return None
    return float(round(100.0 * numerator / denominator))


@lru_cache(maxsize=8)
def _public_table(engine: Engine, threshold: int, loaded: dt.datetime | None) -> pd.DataFrame:
    """The whole published table: every platform and month (`all` for the margins)."""
    del loaded  # part of the cache key: a new load gives a new table
    monthly = counts(engine, "month", "total", include_synthetic=False, by_platform=True)
    if monthly.empty or monthly["request_count"].sum() == 0:
        return pd.DataFrame(columns=PUBLIC_COLUMNS)
    month_list = _month_range(monthly["period_start"].min(), monthly["period_start"].max())
    grid = monthly.pivot_table(
        index="platform",
        columns="period_start",
        values="request_count",
        aggfunc="sum",
        fill_value=0,
    ).reindex(index=list(PLATFORMS), columns=month_list, fill_value=0)
    table = suppress_table(grid.to_numpy(), threshold)
    card = scorecard(engine, include_synthetic=False)
    card = card.set_index(["month_start", "platform"])
    records = []
    row_names = [*PLATFORMS, ALL]
    column_names = [*month_list, ALL]
    for i, platform in enumerate(row_names):
        for j, month in enumerate(column_names):
            value, status = int(table.values[i, j]), int(table.status[i, j])
            record = {
                "month": ALL if month == ALL else month.strftime("%Y-%m"),
                "platform": platform,
                "request_count": None if status else value,
                "request_count_text": _count_text(value, status, threshold),
                "suppressed": STATUS_NAMES[status],
                "share_actioned_pct": None,
                "share_no_response_pct": None,
                "median_hours_to_action": None,
                "p90_hours_to_action": None,
            }
            key = (month, ALL_PLATFORMS if platform == ALL else platform)
            if not status and month != ALL and key in card.index:
                row = card.loc[key]
                record["share_actioned_pct"] = _share(row["actioned"], row["decided"], threshold)
                record["share_no_response_pct"] = _share(
                    row["no_response"], row["decided"], threshold
                )
                if row["actioned_count"] >= threshold:
                    record["median_hours_to_action"] = round(float(row["median_hours"]), 1)
                    record["p90_hours_to_action"] = round(float(row["p90_hours"]), 1)
            records.append(record)
    frame = pd.DataFrame(records, columns=PUBLIC_COLUMNS)
    frame["request_count"] = frame["request_count"].astype("Int64")
    return frame


def public_monthly(
    engine: Engine,
    threshold: int,
    platforms: tuple[str, ...] = (),
    month_from: dt.date | None = None,
    month_to: dt.date | None = None,
    include_margins: bool = True,
) -> pd.DataFrame:
    """The published table (see `_public_table`), filtered: a filter only chooses which of its
    rows to return, so every output shows the same cells hidden."""
    frame = _public_table(engine, threshold, last_load(engine))
    if frame.empty:
        return frame.copy()
    chosen = pd.Series(True, index=frame.index)
    if platforms:
        chosen &= frame["platform"].isin(platforms) | (include_margins & (frame["platform"] == ALL))
    if not include_margins:
        chosen &= (frame["platform"] != ALL) & (frame["month"] != ALL)
    is_month = frame["month"] != ALL
    if month_from is not None:
        chosen &= ~is_month | (frame["month"] >= month_from.strftime("%Y-%m"))
    if month_to is not None:
        chosen &= ~is_month | (frame["month"] <= month_to.strftime("%Y-%m"))
    return frame[chosen].reset_index(drop=True)


def log_files(engine: Engine) -> list[str]:
    """The request-log files loaded so far, latest first."""
    query = (
        select(EtlRun.file_name, func.max(EtlRun.run_id))
        .where(EtlRun.file_kind == "requests", EtlRun.outcome.in_(("loaded", "partial")))
        .group_by(EtlRun.file_name)
        .order_by(func.max(EtlRun.run_id).desc())
    )
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(query)]
