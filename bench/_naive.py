"""The naive queries the dashboard's callbacks are measured against: the same answers computed
without the rollups and without the query layer's filters in SQL.

- Request log: every count is a GROUP BY over the raw `requests` table, and the hours to action
  are the actioned requests' hours fetched raw and reduced in pandas (numpy's linear
  percentiles, as the rollup keeps them). The public suppressed table is built again each call.
- Published figures: the whole observations table (joined to its sources) is selected and
  filtered and sorted in pandas.
- Neither keeps anything between calls: pieces the pages keep per load are built every time.

`naive_queries()` swaps these in wherever a page module holds the real functions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Iterator

import numpy as np
import pandas as pd
from sqlalchemy import bindparam, func, select, text
from sqlalchemy.engine import Engine

from db.queries import observations, requests
from db.requests_schema import ACTIONED, ALL_PLATFORMS, DIMENSIONS
from db.schema import EtlRun, Observation

PERIOD_SQL = {  # SQLite: the period a received day belongs to (a week starts on Monday)
    "day": "received_date",
    "week": "date(received_date, '-6 days', 'weekday 1')",
    "month": "date(received_date, 'start of month')",
}


def _dates(values) -> list[dt.date]:
    return [v if isinstance(v, dt.date) else dt.date.fromisoformat(v) for v in values]


def raw_counts(
    engine: Engine,
    grain: str = "month",
    dimension: str = "total",
    platforms: tuple[str, ...] = (),
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    include_synthetic: bool = True,
    by_platform: bool = False,
) -> pd.DataFrame:
    """`requests.counts`, as one GROUP BY over the raw log."""
    if grain not in PERIOD_SQL or dimension not in DIMENSIONS:
        return requests.counts(
            engine, grain, dimension, platforms, date_from, date_to, include_synthetic, by_platform
        )  # empty, as the real one
    category = "'total'" if dimension == "total" else dimension  # a known column name
    keys = ["period_start", *(["platform"] if by_platform else []), "category"]
    where, params = ["1 = 1"], {}
    if platforms:
        where.append("platform in :platforms")
        params["platforms"] = list(platforms)
    if date_from is not None:
        where.append("received_date >= :date_from")
        params["date_from"] = date_from.isoformat()
    if date_to is not None:
        where.append("received_date <= :date_to")
        params["date_to"] = date_to.isoformat()
    if not include_synthetic:
        where.append("not is_synthetic")
    query = text(
        f"select {PERIOD_SQL[grain]} as period_start,"
        f"{' platform,' if by_platform else ''} {category} as category,"
        " count(*) as request_count, sum(is_synthetic) as synthetic_count"
        f" from requests where {' and '.join(where)}"
        f" group by {', '.join(keys)} order by {', '.join(keys)}"
    )
    if platforms:
        query = query.bindparams(bindparam("platforms", expanding=True))
    with engine.connect() as connection:
        rows = connection.execute(query, params).all()
    frame = requests._frame(rows, [*keys, "request_count", "synthetic_count"])
    if not frame.empty:
        frame["period_start"] = _dates(frame["period_start"])
    for column in ("request_count", "synthetic_count"):
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame


def raw_action_times(
    engine: Engine, include_synthetic: bool, platforms: tuple[str, ...] = ()
) -> pd.DataFrame:
    """`requests._action_times`: the actioned requests' hours, fetched raw, reduced in pandas."""
    where = "outcome in :actioned" + ("" if include_synthetic else " and not is_synthetic")
    query = text(
        "select date(received_date, 'start of month') as month_start, platform,"
        f" hours_to_action from requests where {where}"
    ).bindparams(bindparam("actioned", expanding=True))
    with engine.connect() as connection:
        rows = connection.execute(query, {"actioned": list(ACTIONED)}).all()
    columns = ["month_start", "platform", "actioned_count", "median_hours", "p90_hours"]
    if not rows:
        return pd.DataFrame(columns=columns)
    hours = pd.DataFrame(rows, columns=["month_start", "platform", "hours"])
    every = hours.assign(platform=ALL_PLATFORMS)
    parts = []
    for frame in (hours, every):
        grouped = frame.groupby(["month_start", "platform"])["hours"]
        parts.append(
            pd.DataFrame(
                {
                    "actioned_count": grouped.size(),
                    "median_hours": grouped.agg(lambda h: float(np.percentile(h, 50))),
                    "p90_hours": grouped.agg(lambda h: float(np.percentile(h, 90))),
                }
            ).reset_index()
        )
    frame = pd.concat(parts, ignore_index=True)
    if platforms:
        frame = frame[frame["platform"].isin(platforms)]
    frame["month_start"] = _dates(frame["month_start"])
    return frame[columns].reset_index(drop=True)


def raw_log_summary(engine: Engine) -> dict:
    """`requests.log_summary` from the raw log."""
    with engine.connect() as connection:
        first, last, total, synthetic = connection.execute(
            text(
                "select min(received_date), max(received_date), count(*), sum(is_synthetic)"
                " from requests"
            )
        ).one()
        loaded = connection.scalar(
            select(func.max(EtlRun.finished_at)).where(
                EtlRun.file_kind == "requests", EtlRun.outcome.in_(("loaded", "partial"))
            )
        )
    total, synthetic = int(total or 0), int(synthetic or 0)
    return {
        "first_day": _dates([first])[0] if first else None,
        "last_day": _dates([last])[0] if last else None,
        "requests": total,
        "synthetic_requests": synthetic,
        "real_requests": total - synthetic,
        "last_load": loaded,
    }


def raw_months(engine: Engine, include_synthetic: bool = True) -> list[dt.date]:
    """`requests.months` from the raw log."""
    where = "" if include_synthetic else " where not is_synthetic"
    with engine.connect() as connection:
        values = connection.scalars(
            text(
                "select distinct date(received_date, 'start of month') as month"
                f" from requests{where} order by month"
            )
        ).all()
    return _dates(values)


def whole_table_observations(
    engine: Engine,
    metrics=(),
    headline_only: bool = False,
    include_unverified: bool = True,
    dimension: str | None = None,
    category: str | None = None,
    tiers=(),
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: int | None = None,
    source_url: str | None = None,
) -> pd.DataFrame:
    """`observations.find_observations`: the whole table selected, filtered in pandas."""
    query = observations._base().add_columns(Observation.superseded_by_run)
    with engine.connect() as connection:
        frame = pd.DataFrame(connection.execute(query).mappings().all())
    if frame.empty:
        return observations._frame(engine, observations._base().where(text("0 = 1")))
    chosen = frame["superseded_by_run"].isna()
    if metrics:
        chosen &= frame["metric"].isin(list(metrics))
    if headline_only:
        chosen &= frame["is_headline"].astype(bool)
    if not include_unverified:
        chosen &= ~frame["is_unverified"].astype(bool)
    if dimension is not None:
        chosen &= frame["dimension"] == dimension
    if category is not None:
        chosen &= frame["category"] == category
    if tiers:
        chosen &= frame["tier"].isin(list(tiers))
    if source_url is not None:
        chosen &= frame["source_url"] == source_url
    if date_from is not None:
        chosen &= frame["period_end"].isna() | (frame["period_end"] >= date_from)
    if date_to is not None:
        chosen &= frame["period_start"].isna() | (frame["period_start"] <= date_to)
    frame = frame[chosen].drop(columns="superseded_by_run")
    frame = (
        frame.assign(_first=~frame["is_headline"].astype(bool))
        .sort_values(
            [
                "metric",
                "dimension",
                "category",
                "period_start",
                "period_end",
                "_first",
                "observation_id",
            ],
            na_position="first",
            kind="stable",
        )
        .drop(columns="_first")
    )
    if limit is not None:
        frame = frame.head(limit)
    for column in observations.BOOLEAN_COLUMNS:
        frame[column] = frame[column].astype(bool)
    return frame[observations.COLUMNS].reset_index(drop=True)


NAIVE = {
    requests.counts: raw_counts,
    requests._action_times: raw_action_times,
    requests.log_summary: raw_log_summary,
    requests.months: raw_months,
    observations.find_observations: whole_table_observations,
}
PACKAGES = ("db.", "dashboards", "web.")


@contextlib.contextmanager
def naive_queries(forget: list) -> Iterator[None]:
    """Within the block, every module of the app calls the naive queries, and each function
    in `forget` (whatever keeps results between calls) is emptied first."""
    swapped = []
    for name, module in list(sys.modules.items()):
        if not name.startswith(PACKAGES) or module is None:
            continue
        for attribute, value in list(vars(module).items()):
            if callable(value) and any(value is real for real in NAIVE):
                swapped.append((module, attribute, value))
                setattr(module, attribute, NAIVE[value])
    for clear in forget:
        clear()
    try:
        yield
    finally:
        for module, attribute, value in swapped:
            setattr(module, attribute, value)
