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


def test_blocks_in_any_order_give_the_counts_of_all_rows_at_once():
    rows = typed_rows(3000, 5)
    whole = tallied([rows])
    order = np.arange(len(rows))
    blocks = [rows.take(part) for part in np.array_split(order, 7)[::-1]]  # latest days first
    blocks.append(rows.take(np.zeros(0, np.int64)))  # an empty block changes nothing
    in_pieces = tallied(blocks)
    assert sorted(in_pieces.day_counts.records()) == sorted(whole.day_counts.records())
    whole_times, piece_times = whole.actioned(), in_pieces.actioned()
    assert whole_times.keys() == piece_times.keys()
    for month, frame in whole_times.items():
        assert rollups.action_time_rows(frame, month) == rollups.action_time_rows(
            piece_times[month], month
        )


def test_the_tally_counts_what_the_log_holds():
    rows = typed_rows(2000, 6)
    frame = rows.to_frame()
    records = tallied([rows]).day_counts.records()
    totals = {(d, p, s): n for d, p, m, _c, s, n in records if m == "total"}
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
