"""Rollups counted while a first load writes its rows: the same counts and hours to action
whatever the order and size of the blocks, and the same as counting the rows at once."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa

from etl.requests import rollups, synth
from etl.requests.checks import check_batch

NOW = dt.datetime(2025, 7, 1)


def typed_rows(rows: int, seed: int):
    table = synth.generate_table(rows, seed)
    table = pa.table({name: table[name].cast(pa.string()) for name in table.column_names})
    typed, problems = check_batch(table, np.arange(2, rows + 2), "log.csv", NOW)
    assert not problems
    return typed


def tallied(blocks) -> rollups.LoadTally:
    tally = rollups.LoadTally()
    for block in blocks:
        tally.add(block)
    return tally


def records(tally: rollups.LoadTally, grain: str = "day") -> list[tuple]:
    """(period start, platform, dimension, category, is_synthetic, count) of every count."""
    columns = tally.day_counts.columns(grain)
    starts = columns["period_start"].astype("datetime64[D]").tolist()
    names = ["platform", "dimension", "category", "is_synthetic", "request_count"]
    return sorted(zip(starts, *(columns[n].tolist() for n in names)))


def test_blocks_in_any_order_give_the_counts_of_all_rows_at_once():
    rows = typed_rows(3000, 5)
    whole = tallied([rows])
    order = np.arange(len(rows))
    blocks = [rows.take(part) for part in np.array_split(order, 7)[::-1]]  # latest days first
    blocks.append(rows.take(np.zeros(0, np.int64)))  # an empty block changes nothing
    in_pieces = tallied(blocks)
    for grain in ("day", "week", "month"):
        assert records(in_pieces, grain) == records(whole, grain)
    whole_times, piece_times = whole.actioned(), in_pieces.actioned()
    assert whole_times.keys() == piece_times.keys()
    for month, frame in whole_times.items():
        assert rollups.action_time_rows(frame, month) == rollups.action_time_rows(
            piece_times[month], month
        )


def test_the_tally_counts_what_the_log_holds():
    rows = typed_rows(2000, 6)
    frame = rows.to_frame()
    counted = records(tallied([rows]))
    totals = {(d, p, s): n for d, p, m, _c, s, n in counted if m == "total"}
    direct = frame.groupby(["received_date", "platform", "is_synthetic"]).size()
    assert len(totals) == len(direct)
    for (day, platform, synthetic), count in direct.items():
        assert totals[(day.date(), platform, bool(synthetic))] == count
    actioned = frame[frame["outcome"].isin(["removed", "blocked"])]
    months = pd.to_datetime(actioned["received_date"]).dt.to_period("M")
    times = tallied([rows]).actioned()
    assert sum(len(f) for f in times.values()) == len(actioned)
    for period, hours in actioned.groupby(months)["hours_to_action"]:
        month = period.to_timestamp().date()
        assert sorted(times[month]["hours"]) == sorted(hours)


def test_week_and_month_counts_sum_the_days_of_each_period():
    rows = typed_rows(2500, 7)
    frame = rows.to_frame()
    day = pd.to_datetime(frame["received_date"])
    periods = {
        "week": (day - pd.to_timedelta(day.dt.day_of_week, unit="D")).dt.date,  # weeks from Monday
        "month": day.dt.to_period("M").dt.to_timestamp().dt.date,
    }
    tally = tallied([rows])
    for grain, starts in periods.items():
        counted = records(tally, grain)
        for dimension in ("total", "region"):
            category = "total" if dimension == "total" else frame[dimension]
            keys = [starts, frame["platform"], frame["is_synthetic"].astype(bool)]
            if dimension != "total":
                keys.append(category)
            direct = frame.groupby(keys).size()
            mine = {
                (d, p, s, *(() if dimension == "total" else (c,))): n
                for d, p, m, c, s, n in counted
                if m == dimension
            }
            assert mine == {key: int(n) for key, n in direct.items()}


def test_action_times_are_pandas_median_and_quantile_to_the_last_bit():
    generator = np.random.default_rng(3)
    size = 5000
    frame = pd.DataFrame(
        {
            "platform": generator.choice(["x", "telegram", "p2p", "other"], size),
            "is_synthetic": generator.random(size) < 0.3,
            "hours": generator.gamma(2.0, 30.0, size),
        }
    )
    frame.loc[:3, "platform"] = "youtube"  # a platform with only synthetic requests
    frame.loc[:3, "is_synthetic"] = True
    month = dt.date(2024, 5, 1)
    expected = []
    for includes_synthetic in (True, False):
        scope = frame if includes_synthetic else frame[~frame["is_synthetic"]]
        groups = [(p, part["hours"]) for p, part in scope.groupby("platform")]
        for platform, hours in [*groups, ("all", scope["hours"])]:
            expected.append(
                {
                    "month_start": month,
                    "platform": platform,
                    "includes_synthetic": includes_synthetic,
                    "actioned_count": int(hours.size),
                    "median_hours": float(hours.median()),
                    "p90_hours": float(hours.quantile(0.9)),
                }
            )
    assert rollups.action_time_rows(frame, month) == expected
