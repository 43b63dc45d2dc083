"""Dates of mixed precision, as the events and sources publish them."""

import datetime as dt

import pytest

from etl.dates import parse_fuzzy

D = dt.date


@pytest.mark.parametrize(
    "text, precision, start, end",
    [
        ("2020", "year", D(2020, 1, 1), D(2020, 12, 31)),
        ("2019-09", "month", D(2019, 9, 1), D(2019, 9, 30)),
        ("2024-02", "month", D(2024, 2, 1), D(2024, 2, 29)),
        ("2024-08-28", "day", D(2024, 8, 28), D(2024, 8, 28)),
        ("2020-02/2020-08", "range", D(2020, 2, 1), D(2020, 8, 31)),
        ("unknown", "unknown", None, None),
    ],
)
def test_precisions(text, precision, start, end):
    parsed = parse_fuzzy(text, allow_unknown=True, allow_range=True)
    assert (parsed.precision, parsed.start, parsed.end) == (precision, start, end)


@pytest.mark.parametrize(
    "text", ["2024-13", "2021-02-30", "24-08-28", "2024/08/28", "2020-08/2020-02", "soon"]
)
def test_invalid_dates_raise(text):
    with pytest.raises(ValueError):
        parse_fuzzy(text, allow_range=True)


def test_unknown_and_ranges_only_where_allowed():
    with pytest.raises(ValueError):
        parse_fuzzy("unknown")
    with pytest.raises(ValueError):
        parse_fuzzy("2020-02/2020-08")
