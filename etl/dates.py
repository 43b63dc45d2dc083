"""Dates as Korean public sources publish them: day, month, year, a range, or unknown."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
UNKNOWN = "unknown"


@dataclass(frozen=True)
class FuzzyDate:
    """A date at the precision it was given: the first and last day it may mean."""

    text: str
    precision: str  # day | month | year | range | unknown
    start: dt.date | None
    end: dt.date | None


def parse_iso_day(text: str) -> dt.date:
    """A strict YYYY-MM-DD date; ValueError otherwise."""
    if not _DAY.match(text):
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a real calendar date") from None


def parse_single(text: str) -> FuzzyDate:
    """YYYY, YYYY-MM or YYYY-MM-DD; ValueError otherwise."""
    if _DAY.match(text):
        day = parse_iso_day(text)
        return FuzzyDate(text, "day", day, day)
    if _MONTH.match(text):
        year, month = int(text[:4]), int(text[5:7])
        if not 1 <= month <= 12:
            raise ValueError(f"'{text}' has no month {month:02d}")
        last = calendar.monthrange(year, month)[1]
        return FuzzyDate(text, "month", dt.date(year, month, 1), dt.date(year, month, last))
    if _YEAR.match(text):
        year = int(text)
        return FuzzyDate(text, "year", dt.date(year, 1, 1), dt.date(year, 12, 31))
    raise ValueError(f"'{text}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")


def parse_fuzzy(text: str, allow_unknown: bool = False, allow_range: bool = False) -> FuzzyDate:
    """Parse a date of mixed precision; a range is `START/END` of any two precisions."""
    text = text.strip()
    if allow_unknown and text.lower() == UNKNOWN:
        return FuzzyDate(text, "unknown", None, None)
    if allow_range and "/" in text:
        first, _, last = text.partition("/")
        a, b = parse_single(first.strip()), parse_single(last.strip())
        if b.end < a.start:
            raise ValueError(f"range '{text}' ends before it starts")
        return FuzzyDate(text, "range", a.start, b.end)
    return parse_single(text)
