"""Headline-card comparisons: like with like, or "not comparable"."""

import datetime as dt

import pandas as pd

from dashboards._shared.comparison import compare_with_earlier, compare_with_previous_snapshot

D = dt.date


def frame(*rows):
    return pd.DataFrame([{"period_start": s, "period_end": e, "value": v, "is_complete": c}
                         for s, e, v, c in rows])


KCSC = frame((D(2023, 1, 1), D(2023, 12, 31), 7187, True),
             (D(2024, 1, 1), D(2024, 7, 31), 6434, False),
             (D(2024, 1, 1), D(2024, 12, 31), 23107, True),
             (D(2025, 1, 1), D(2025, 7, 31), 15808, False))


def test_a_year_against_the_previous_year():
    result = compare_with_earlier(KCSC.iloc[2], KCSC, is_share=False)
    assert result.comparable and result.reason == "compare.previous_year"
    assert result.previous_value == 7187 and round(result.change, 1) == 221.5


def test_a_partial_period_only_against_the_same_months():
    result = compare_with_earlier(KCSC.iloc[3], KCSC, is_share=False)
    assert result.reason == "compare.same_months" and result.previous_value == 6434
    assert round(result.change, 1) == 145.7


def test_january_to_july_is_never_set_against_a_full_year():
    police = frame((D(2023, 1, 1), D(2023, 12, 31), 180, True),
                   (D(2024, 1, 1), D(2024, 7, 31), 297, False))
    result = compare_with_earlier(police.iloc[1], police, is_share=False)
    assert not result.comparable and result.reason == "compare.no_same_months"
    assert result.change is None


def test_a_definition_break_in_between_is_not_comparable():
    rows = frame((D(2023, 1, 1), D(2023, 12, 31), 180, True),
                 (D(2024, 1, 1), D(2024, 12, 31), 1202, True))
    result = compare_with_earlier(rows.iloc[1], rows, False, definition_breaks=[D(2024, 1, 1)])
    assert not result.comparable and result.reason == "compare.break"
    assert result.previous_value == 180


def test_a_scope_change_keeps_the_comparison_with_a_caveat():
    rows = frame((D(2023, 1, 1), D(2023, 12, 31), 100, True),
                 (D(2024, 1, 1), D(2024, 12, 31), 682, True))
    result = compare_with_earlier(rows.iloc[1], rows, False, scope_breaks=[D(2024, 10, 16)])
    assert result.comparable and result.caveat_day == D(2024, 10, 16)


def test_shares_change_in_percentage_points():
    rows = frame((D(2022, 1, 1), D(2022, 12, 31), 61.2, True),
                 (D(2023, 1, 1), D(2023, 12, 31), 75.8, True))
    result = compare_with_earlier(rows.iloc[1], rows, is_share=True)
    assert result.change_unit == "pp" and round(result.change, 1) == 14.6


def test_cumulative_snapshots_compare_with_the_previous_snapshot():
    rows = frame((D(2024, 1, 1), D(2024, 10, 25), 542, False),
                 (D(2024, 1, 1), D(2024, 11, 8), 561, False),
                 (D(2024, 1, 1), D(2024, 8, 27), 196, False))
    result = compare_with_previous_snapshot(rows.iloc[1], rows)
    assert result.change == 19 and result.previous_end == D(2024, 10, 25)
    assert not compare_with_previous_snapshot(rows.iloc[2], rows).comparable
