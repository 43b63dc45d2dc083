"""Honest comparisons for headline cards: a complete year against the previous complete year, a
partial period only against the same months of an earlier year, a cumulative snapshot against
the previous snapshot; anything else, or a comparison across a definition break, is "not
comparable". Pure functions over rows (dicts or DataFrame rows) and dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from dashboards._shared.periods import same_period_earlier


@dataclass(frozen=True)
class Comparison:
    comparable: bool
    reason: str  # catalogue key: why (not) comparable
    previous_value: float | None = None
    previous_start: dt.date | None = None
    previous_end: dt.date | None = None
    change: float | None = None  # percent for counts, percentage points for shares
    change_unit: str = ""  # "pct" | "pp" | "abs"
    caveat_day: dt.date | None = None  # a scope change between the two periods


def _matching(rows: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    return rows[(rows["period_start"] == start) & (rows["period_end"] == end)]


def _break_between(breaks: list[dt.date], after: dt.date, upto: dt.date) -> bool:
    return any(after < day <= upto for day in breaks)


def compare_with_earlier(latest: pd.Series, rows: pd.DataFrame, is_share: bool,
                         definition_breaks: list[dt.date] = (),
                         scope_breaks: list[dt.date] = ()) -> Comparison:
    """Compare `latest` with the same period one year earlier among `rows` (same metric,
    breakdown and category, headline rows). A definition break in between makes them not
    comparable; a scope change keeps the comparison but carries its date as a caveat."""
    start, end = latest["period_start"], latest["period_end"]
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return Comparison(False, "compare.unknown_period")
    earlier_start, earlier_end = same_period_earlier(start, end)
    match = _matching(rows, earlier_start, earlier_end)
    if match.empty:
        reason = "compare.no_previous_year" if latest["is_complete"] else "compare.no_same_months"
        return Comparison(False, reason)
    previous = match.iloc[0]
    if _break_between(list(definition_breaks), earlier_end, end):
        return Comparison(False, "compare.break", float(previous["value"]), earlier_start,
                          earlier_end)
    value, before = float(latest["value"]), float(previous["value"])
    if is_share:
        change, unit = value - before, "pp"
    elif before == 0:
        return Comparison(False, "compare.zero_base", before, earlier_start, earlier_end)
    else:
        change, unit = (value - before) / before * 100, "pct"
    reason = "compare.previous_year" if latest["is_complete"] else "compare.same_months"
    caveat = next((d for d in sorted(scope_breaks) if earlier_end < d <= end), None)
    return Comparison(True, reason, before, earlier_start, earlier_end, change, unit, caveat)


def compare_with_previous_snapshot(latest: pd.Series, rows: pd.DataFrame) -> Comparison:
    """A cumulative snapshot against the snapshot before it with the same start."""
    earlier = rows[(rows["period_start"] == latest["period_start"])
                   & (rows["period_end"] < latest["period_end"])].sort_values("period_end")
    if earlier.empty:
        return Comparison(False, "compare.first_snapshot")
    previous = earlier.iloc[-1]
    return Comparison(True, "compare.previous_snapshot", float(previous["value"]),
                      previous["period_start"], previous["period_end"],
                      float(latest["value"]) - float(previous["value"]), "abs")
