"""Period labels, same-months comparisons and which rows make an honest trend."""

import datetime as dt

import pandas as pd
import pytest

from dashboards._shared.periods import period_label, same_period_earlier, trend_rows

D = dt.date


@pytest.mark.parametrize(
    "start, end, en, ko",
    [
        (D(2021, 1, 1), D(2021, 12, 31), "2021", "2021"),
        (D(2024, 1, 1), D(2024, 7, 31), "2024 Jan–Jul", "2024년 1~7월"),
        (D(2024, 8, 1), D(2024, 8, 31), "2024 Aug", "2024년 8월"),
        (D(2024, 1, 1), D(2024, 9, 10), "2024 Jan 1–Sep 10", "2024년 1월 1일~9월 10일"),
        (D(2024, 8, 28), D(2025, 3, 31), "2024-08-28 – 2025-03-31", "2024-08-28 – 2025-03-31"),
    ],
)
def test_labels(start, end, en, ko):
    assert period_label(start, end, "en") == en
    assert period_label(start, end, "ko") == ko


def test_same_months_a_year_earlier_keeps_month_ends():
    assert same_period_earlier(D(2025, 1, 1), D(2025, 7, 31)) == (D(2024, 1, 1), D(2024, 7, 31))
    assert same_period_earlier(D(2025, 1, 1), D(2025, 2, 28)) == (D(2024, 1, 1), D(2024, 2, 29))
    assert same_period_earlier(D(2024, 1, 1), D(2024, 2, 29)) == (D(2023, 1, 1), D(2023, 2, 28))


def test_trend_keeps_years_and_only_the_latest_ytd_of_a_year_without_a_full_figure():
    rows = pd.DataFrame({
        "period_start": [D(2023, 1, 1), D(2024, 1, 1), D(2024, 1, 1), D(2024, 1, 1),
                         D(2025, 1, 1), D(2025, 1, 1), D(2024, 8, 28)],
        "period_end": [D(2023, 12, 31), D(2024, 7, 31), D(2024, 12, 31), D(2024, 9, 10),
                       D(2025, 3, 31), D(2025, 7, 31), D(2025, 3, 31)],
        "value": [7187, 6434, 23107, 9000, 5000, 15808, 963],
    })
    assert list(trend_rows(rows)["value"]) == [7187, 23107, 15808]
