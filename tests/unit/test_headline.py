"""The headline rule: tier first, then the latest publication; aggregator-only is unverified."""

import datetime as dt

import pandas as pd

from etl.headline import choose_headlines


def rows(*items):
    base = {
        "metric": "m",
        "dimension": "",
        "category": "total",
        "period_start": dt.date(2021, 1, 1),
        "period_end": dt.date(2021, 12, 31),
    }
    return pd.DataFrame([{**base, **item} for item in items])


def flags(frame):
    out = choose_headlines(frame).set_index("observation_id")
    return out["is_headline"].to_dict(), out["is_unverified"].to_dict()


def test_official_beats_a_newer_press_report():
    frame = rows(
        {
            "observation_id": 1,
            "value": 78.0,
            "tier_rank": 2,
            "published_sort_date": dt.date(2024, 8, 27),
        },
        {
            "observation_id": 2,
            "value": 79.0,
            "tier_rank": 0,
            "published_sort_date": dt.date(2024, 8, 1),
        },
    )
    assert flags(frame)[0] == {1: False, 2: True}


def test_same_tier_prefers_latest_publication_and_unknown_dates_last():
    frame = rows(
        {"observation_id": 1, "value": 5.0, "tier_rank": 2, "published_sort_date": None},
        {
            "observation_id": 2,
            "value": 6.0,
            "tier_rank": 2,
            "published_sort_date": dt.date(2024, 1, 1),
        },
        {
            "observation_id": 3,
            "value": 7.0,
            "tier_rank": 2,
            "published_sort_date": dt.date(2025, 1, 1),
        },
    )
    assert flags(frame)[0] == {1: False, 2: False, 3: True}


def test_keys_are_separate_and_periods_matter():
    frame = rows(
        {
            "observation_id": 1,
            "value": 297.0,
            "tier_rank": 2,
            "published_sort_date": None,
            "period_end": dt.date(2024, 7, 31),
        },
        {"observation_id": 2, "value": 156.0, "tier_rank": 2, "published_sort_date": None},
    )
    assert flags(frame)[0] == {1: True, 2: True}


def test_aggregator_figures_are_unverified_unless_corroborated():
    frame = rows(
        {"observation_id": 1, "value": 6434.0, "tier_rank": 2, "published_sort_date": None},
        {"observation_id": 2, "value": 6434.0, "tier_rank": 3, "published_sort_date": None},
        {"observation_id": 3, "value": 5795.0, "tier_rank": 3, "published_sort_date": None},
    )
    headline, unverified = flags(frame)
    assert headline == {1: True, 2: False, 3: False}
    assert unverified == {1: False, 2: False, 3: True}


def test_a_key_with_only_aggregators_has_an_unverified_headline():
    frame = rows({"observation_id": 1, "value": 9.0, "tier_rank": 3, "published_sort_date": None})
    assert flags(frame) == ({1: True}, {1: True})
