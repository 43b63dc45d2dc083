"""Validation of request-log chunks: every rule, vectorised, every failure as FILE:ROW: column:
reason; the rows that pass come out typed and normalised for loading.

Times must carry their offset (`2024-09-03T14:05:00+09:00`, or `Z`); they are stored in Korea
time. Codes are compared after trimming and lower-casing. `actioned_at` is empty exactly when
the outcome is `pending`, and never before `received_at`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from db.requests_schema import (
    AGE_GROUPS,
    CHANNELS,
    CONTENT_TYPES,
    GENDERS,
    OUTCOMES,
    PLATFORMS,
    REGIONS,
)
from etl import kinds
from etl.readers import ROW_NUMBER
from etl.validate import Problem

KIND = kinds.REQUESTS
CODES: dict[str, tuple[str, ...]] = {
    "channel": CHANNELS,
    "content_type": CONTENT_TYPES,
    "platform": PLATFORMS,
    "victim_age_group": AGE_GROUPS,
    "victim_gender": GENDERS,
    "region": REGIONS,
    "outcome": OUTCOMES,
}
SYNTHETIC_VALUES = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
SYNTHETIC_ID_PREFIX = "SYN-"  # the generator's ids: marked synthetic whatever the column says
KOREA_OFFSET = pd.Timedelta(hours=9)
EARLIEST = pd.Timestamp("2000-01-01")
_ISO_WITH_OFFSET = (
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$"
)
_REQUEST_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$"
LOADED_COLUMNS = [
    "request_id",
    "received_at",
    "received_date",
    "channel",
    "content_type",
    "platform",
    "victim_age_group",
    "victim_gender",
    "region",
    "outcome",
    "actioned_at",
    "hours_to_action",
    "is_synthetic",
    "row_number",
]


def header_problems(file_name: str, columns: list[str]) -> list[Problem]:
    """Problems that make the whole file unusable: blank, repeated, missing or unknown names."""
    problems = []
    seen: set[str] = set()
    for position, name in enumerate(columns, start=1):
        if not name:
            problems.append(Problem(file_name, 1, f"column {position}", "header name is empty"))
        elif name in seen:
            problems.append(Problem(file_name, 1, name, "header name appears twice"))
        seen.add(name)
    problems += [
        Problem(file_name, 1, c, f"required column is missing from the {KIND.label}")
        for c in KIND.required
        if c not in columns
    ]
    problems += [
        Problem(
            file_name,
            1,
            c,
            f"unknown column for the {KIND.label} (expected: {', '.join(KIND.columns)})",
        )
        for c in columns
        if c and c not in KIND.columns
    ]
    return problems


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _problems(
    file_name: str, frame: pd.DataFrame, bad: pd.Series, column: str, reason: str, show=True
) -> list[Problem]:
    """One problem per row where `bad` is true; the value is quoted when `show`."""
    if not bad.any():
        return []
    rows = frame.loc[bad, ROW_NUMBER]
    values = frame.loc[bad, column] if show else None
    if values is None:
        return [Problem(file_name, int(r), column, reason) for r in rows]
    return [
        Problem(file_name, int(r), column, f"{reason} (got {_shorten(v)!r})")
        for r, v in zip(rows, values)
    ]


def parse_times(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(Korea time without offset, well-formed): ISO 8601 with an offset, converted to UTC+9."""
    shaped = text.str.match(_ISO_WITH_OFFSET, na=False)
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    if shaped.any():
        utc = pd.to_datetime(text[shaped], format="ISO8601", utc=True, errors="coerce")
        parsed.loc[shaped] = (utc.dt.tz_localize(None) + KOREA_OFFSET).astype("datetime64[us]")
    return parsed, shaped


def check_chunk(
    frame: pd.DataFrame, file_name: str, now: dt.datetime | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """(valid rows typed for loading, problems) for one chunk whose header passed."""
    problems: list[Problem] = []
    frame = frame.reset_index(drop=True)
    for column in KIND.columns:
        frame[column] = frame[column].fillna("") if column in frame.columns else ""
    request_id = frame["request_id"]
    problems += _problems(
        file_name, frame, request_id == "", "request_id", "request_id is empty", show=False
    )
    problems += _problems(
        file_name,
        frame,
        (request_id != "") & ~request_id.str.match(_REQUEST_ID, na=False),
        "request_id",
        "must be 1 to 64 letters, digits or _ . : / - (starting with a letter or digit)",
    )
    for column, codes in CODES.items():
        frame[column] = frame[column].str.lower()
        problems += _problems(
            file_name,
            frame,
            ~frame[column].isin(codes),
            column,
            f"must be one of: {', '.join(codes)}",
        )
    received, received_shaped = parse_times(frame["received_at"])
    actioned, actioned_shaped = parse_times(frame["actioned_at"])
    time_reason = "not an ISO 8601 date-time with its offset (e.g. 2024-09-03T14:05:00+09:00)"
    problems += _problems(file_name, frame, ~received_shaped, "received_at", time_reason)
    problems += _problems(
        file_name, frame, received_shaped & received.isna(), "received_at", "not a calendar date"
    )
    latest = pd.Timestamp(now or dt.datetime.now(dt.UTC).replace(tzinfo=None)) + KOREA_OFFSET
    problems += _problems(
        file_name,
        frame,
        received.notna() & ((received < EARLIEST) | (received > latest + pd.Timedelta(days=1))),
        "received_at",
        "outside 2000 to today",
    )
    pending = frame["outcome"] == "pending"
    given = frame["actioned_at"] != ""
    problems += _problems(
        file_name,
        frame,
        pending & given,
        "actioned_at",
        "must be empty while the outcome is pending",
    )
    known_outcome = frame["outcome"].isin(OUTCOMES)
    problems += _problems(
        file_name,
        frame,
        known_outcome & ~pending & ~given,
        "actioned_at",
        "required unless the outcome is pending",
        show=False,
    )
    problems += _problems(file_name, frame, given & ~actioned_shaped, "actioned_at", time_reason)
    problems += _problems(
        file_name,
        frame,
        given & actioned_shaped & actioned.isna(),
        "actioned_at",
        "not a calendar date",
    )
    problems += _problems(
        file_name,
        frame,
        actioned.notna() & received.notna() & (actioned < received),
        "actioned_at",
        "before received_at",
    )
    synthetic_text = frame["synthetic"].str.lower()
    problems += _problems(
        file_name,
        frame,
        (synthetic_text != "") & ~synthetic_text.isin(list(SYNTHETIC_VALUES)),
        "synthetic",
        "must be true or false (or empty for false)",
    )
    problems.sort(key=lambda p: (p.row, p.column))
    bad_rows = {p.row for p in problems}
    good = ~frame[ROW_NUMBER].isin(bad_rows)
    return _typed(frame[good], received[good], actioned[good]), problems


def _typed(frame: pd.DataFrame, received: pd.Series, actioned: pd.Series) -> pd.DataFrame:
    hours = (actioned - received).dt.total_seconds() / 3600.0
    marked = [text for text, value in SYNTHETIC_VALUES.items() if value]
    synthetic = frame["synthetic"].str.lower().isin(marked).astype(bool)
    synthetic |= frame["request_id"].str.startswith(SYNTHETIC_ID_PREFIX)
    out = pd.DataFrame(
        {
            "request_id": frame["request_id"],
            "received_at": received,
            "received_date": received.dt.normalize(),
            **{column: frame[column] for column in CODES},
            "actioned_at": actioned,
            "hours_to_action": hours.where(actioned.notna(), np.nan),
            "is_synthetic": synthetic,
            "row_number": frame[ROW_NUMBER].astype(int),
        }
    )
    return out[LOADED_COLUMNS].reset_index(drop=True)
