"""Query-string parsing for the API and downloads: every parameter checked, every failure named.

A bad value raises ParameterError, which the routes turn into 400 with the message; nothing a
client sends reaches the database unchecked, and messages quote values escaped and shortened.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from db.queries.selection import ObservationFilter
from db.schema import TIERS

FILTER_PARAMETERS = (
    "metric", "from", "to", "dimension", "category", "tier", "source", "headline_only",
)
DEFAULT_LIMIT = 1000
MAX_LIMIT = 10_000
MAX_OFFSET = 10_000_000
MAX_LIST_ITEMS = 50
MAX_LENGTH = {"metric": 120, "dimension": 60, "category": 120}
FORMATS = ("json", "csv")
ENCODINGS = {"utf-8-sig": "utf-8-sig", "utf-8": "utf-8", "utf8": "utf-8"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_COUNT = re.compile(r"^\d{1,9}$")
_TRUE, _FALSE = ("true", "1"), ("false", "0")


class ParameterError(ValueError):
    """A query parameter that cannot be used; `str()` is the message for the client."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter


def quote(value: str, length: int = 60) -> str:
    """`value` as a short, escaped JSON string for an error message."""
    shown = json.dumps(value[:length])
    return shown + (" (shortened)" if len(value) > length else "")


def check_names(args: MultiDict, allowed: Iterable[str]) -> None:
    """Refuse any parameter not in `allowed`, so a typo never passes silently."""
    allowed = tuple(allowed)
    for name in args:
        if name not in allowed:
            raise ParameterError(
                quote(name, 40), f"unknown parameter; allowed here: {', '.join(allowed) or 'none'}"
            )


def clean_text(name: str, value: str, max_length: int = 200) -> str:
    """`value` stripped, refused if too long or holding control or invisible format characters."""
    if len(value) > max_length:
        raise ParameterError(name, f"longer than {max_length} characters")
    if any(unicodedata.category(ch).startswith("C") for ch in value):
        raise ParameterError(name, "holds control or invisible formatting characters")
    return value.strip()


def single(args: MultiDict, name: str, max_length: int = 200) -> str | None:
    """The one value of `name`, or None when absent or empty."""
    values = args.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise ParameterError(name, "given more than once")
    return clean_text(name, values[0], max_length) or None


def many(args: MultiDict, name: str, max_length: int = 200) -> tuple[str, ...]:
    """Every value of a repeatable parameter (`a=x&a=y` or `a=x,y`), sorted and deduplicated."""
    items: set[str] = set()
    for raw in args.getlist(name):
        for part in clean_text(name, raw, max_length * MAX_LIST_ITEMS).split(","):
            part = clean_text(name, part, max_length)
            if part:
                items.add(part)
    if len(items) > MAX_LIST_ITEMS:
        raise ParameterError(name, f"at most {MAX_LIST_ITEMS} values")
    return tuple(sorted(items))


def parse_bool(name: str, value: str | None, default: bool) -> bool:
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ParameterError(name, f"{quote(value)} is not one of true, false, 1, 0")


def parse_date(name: str, value: str | None, end: bool) -> dt.date | None:
    """YYYY, YYYY-MM or YYYY-MM-DD; a year or month means its first day, or its last if `end`."""
    if value is None:
        return None
    match = _DATE.match(value)
    if not match:
        raise ParameterError(name, f"{quote(value)} is not a date as YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, last if end else 1)
        return dt.date(year, month, day)
    except (ValueError, calendar.IllegalMonthError):
        raise ParameterError(name, f"{quote(value)} is not a calendar date") from None


def parse_count(name: str, value: str | None, default: int, low: int, high: int) -> int:
    if value is None:
        return default
    if not _COUNT.match(value) or not low <= int(value) <= high:
        raise ParameterError(name, f"{quote(value)} is not a whole number from {low} to {high}")
    return int(value)


def parse_format(args: MultiDict) -> str:
    value = single(args, "format", 10)
    if value is None:
        return "json"
    if value.lower() not in FORMATS:
        raise ParameterError("format", f"{quote(value)} is not one of {', '.join(FORMATS)}")
    return value.lower()


def parse_encoding(args: MultiDict) -> str:
    """utf-8-sig (UTF-8 with a BOM, the default: spreadsheets then read Korean right) or utf-8."""
    value = single(args, "encoding", 20)
    if value is None:
        return "utf-8-sig"
    if value.lower() not in ENCODINGS:
        raise ParameterError("encoding", f"{quote(value)} is not one of utf-8-sig, utf-8")
    return ENCODINGS[value.lower()]


@dataclass(frozen=True)
class ObservationRequest:
    """A parsed observations request: the selection plus how to page and write it."""

    selection: ObservationFilter
    date_labels: tuple[str | None, str | None] = (None, None)
    format: str = "json"
    encoding: str = "utf-8-sig"
    limit: int | None = DEFAULT_LIMIT
    offset: int = 0

    def filters(self) -> dict:
        """The filters as applied, for the response body and the cache key."""
        s = self.selection
        echo = {
            "metric": list(s.metrics),
            "from": s.date_from.isoformat() if s.date_from else None,
            "to": s.date_to.isoformat() if s.date_to else None,
            "dimension": s.dimension,
            "category": s.category,
            "tier": list(s.tiers),
            "source": s.source_url,
            "headline_only": s.headline_only,
            "include_unverified": s.include_unverified,
        }
        if self.limit is not None:
            echo.update(limit=self.limit, offset=self.offset)
        return echo


def parse_observations(
    args: MultiDict, known_metrics: set[str], include_unverified: bool, paged: bool = True
) -> ObservationRequest:
    """Parse the observation filters (plus format, limit and offset when `paged`)."""
    allowed = FILTER_PARAMETERS + (
        ("format", "encoding", "limit", "offset") if paged else ("encoding",)
    )
    check_names(args, allowed)
    metrics = many(args, "metric", MAX_LENGTH["metric"])
    for metric in metrics:
        if metric not in known_metrics:
            raise ParameterError(
                "metric", f"unknown metric {quote(metric)}; GET /api/v1/metrics lists them"
            )
    tiers = many(args, "tier", 20)
    for tier in tiers:
        if tier not in TIERS:
            raise ParameterError("tier", f"{quote(tier)} is not one of {', '.join(TIERS)}")
    from_text, to_text = single(args, "from", 10), single(args, "to", 10)
    date_from = parse_date("from", from_text, end=False)
    date_to = parse_date("to", to_text, end=True)
    if date_from and date_to and date_from > date_to:
        raise ParameterError("from", f"{date_from.isoformat()} is after to={date_to.isoformat()}")
    selection = ObservationFilter(
        metrics=metrics,
        headline_only=parse_bool("headline_only", single(args, "headline_only", 10), True),
        include_unverified=include_unverified,
        dimension=single(args, "dimension", MAX_LENGTH["dimension"]),
        category=single(args, "category", MAX_LENGTH["category"]),
        tiers=tiers,
        date_from=date_from,
        date_to=date_to,
        source_url=single(args, "source", 1000),
    )
    return ObservationRequest(
        selection=selection,
        date_labels=(from_text, to_text),
        format=parse_format(args) if paged else "csv",
        encoding=parse_encoding(args),
        limit=parse_count("limit", single(args, "limit", 12), DEFAULT_LIMIT, 1, MAX_LIMIT)
        if paged
        else None,
        offset=parse_count("offset", single(args, "offset", 12), 0, 0, MAX_OFFSET) if paged else 0,
    )
