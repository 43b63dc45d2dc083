"""Validation of request-log chunks: every rule, vectorised, every failure as FILE:ROW: column:
reason; the rows that pass come out typed and normalised for loading.

Times must carry their offset (`2024-09-03T14:05:00+09:00`, or `Z`); they are stored in Korea
time. Codes are compared after trimming and lower-casing. `actioned_at` is empty exactly when
the outcome is `pending`, and never before `received_at`.

The rules run on Arrow columns (`check_batch`): codes on their few distinct values, the common
time shapes (`YYYY-MM-DDTHH:MM:SS+HH:MM` and `...Z`) by fixed-position arithmetic, every other
time text through pandas' ISO 8601 parser, as `parse_times` reads it. `check_chunk` is the same
on a pandas frame of text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
    file_name: str,
    rows: np.ndarray,
    bad: np.ndarray,
    column: str,
    reason: str,
    values: pa.Array | None = None,
) -> list[Problem]:
    """One problem per row where `bad` is true; the row's value is quoted when given."""
    if not bad.any():
        return []
    where = np.flatnonzero(bad)
    numbers = rows[where].tolist()
    if values is None:
        return [Problem(file_name, int(r), column, reason) for r in numbers]
    shown = values.take(pa.array(where)).to_pylist()
    return [
        Problem(file_name, int(r), column, f"{reason} (got {_shorten(v)!r})")
        for r, v in zip(numbers, shown)
    ]


def parse_times(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(Korea time without offset, well-formed): ISO 8601 with an offset, converted to UTC+9."""
    shaped = text.str.match(_ISO_WITH_OFFSET, na=False)
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    if shaped.any():
        utc = pd.to_datetime(text[shaped], format="ISO8601", utc=True, errors="coerce")
        parsed.loc[shaped] = (utc.dt.tz_localize(None) + KOREA_OFFSET).astype("datetime64[us]")
    return parsed, shaped


@dataclass
class Times:
    """A column of times: microseconds since 1970 in Korea time where `parsed`, and whether
    each text had the shape of an ISO 8601 date-time with its offset."""

    micros: np.ndarray
    parsed: np.ndarray
    shaped: np.ndarray


DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
US_PER_SECOND = 1_000_000
KOREA_SECONDS = 9 * 3600
# the fixed-position shapes: (width, positions of digits, the offset's sign position or None)
_WITH_OFFSET = (25, (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 23, 24), 19)
_IN_UTC = (20, (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18), None)


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (years from 1 on)."""
    year = year - (month <= 2)
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def _fixed_times(text: pa.Array, width: int, digits: tuple, sign_at: int | None):
    """(micros, well-formed) for texts all `width` bytes long, read by position; a text is
    well-formed here only when it is certainly a valid date-time (year 1900 to 2200, offset
    within 14 hours), so that pandas would read it the same."""
    offsets = np.frombuffer(text.buffers()[1], np.int32, len(text) + 1, text.offset * 4)
    data = np.frombuffer(text.buffers()[2], np.uint8)
    chars = data[offsets[0] : offsets[0] + width * len(text)].reshape(-1, width)
    number = chars.T.astype(np.int64, order="C") - 48  # a row per position: contiguous
    ok = ((chars[:, list(digits)] - 48) <= 9).all(axis=1)  # uint8: anything else wraps high
    ok &= (chars[:, 4] == 45) & (chars[:, 7] == 45) & (chars[:, 13] == 58) & (chars[:, 16] == 58)
    ok &= (chars[:, 10] == 84) | (chars[:, 10] == 32)  # T or a space

    def two(at: int) -> np.ndarray:
        return number[at] * 10 + number[at + 1]

    year = two(0) * 100 + two(2)
    month, day, hour, minute, second = two(5), two(8), two(11), two(14), two(17)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = DAYS_IN_MONTH[np.clip(month, 0, 12)] + ((month == 2) & leap)
    ok &= (year >= 1900) & (year <= 2200) & (month >= 1) & (month <= 12)
    ok &= (day >= 1) & (day <= month_days) & (hour <= 23) & (minute <= 59) & (second <= 59)
    if sign_at is None:
        ok &= chars[:, 19] == 90  # Z
        offset = 0
    else:
        sign = np.where(chars[:, sign_at] == 45, -1, 1)
        ok &= ((chars[:, sign_at] == 43) | (chars[:, sign_at] == 45)) & (chars[:, 22] == 58)
        ok &= (two(20) <= 14) & (two(23) <= 59)
        offset = sign * (two(20) * 3600 + two(23) * 60)
    days = _days_from_civil(year, month, day)
    seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset + KOREA_SECONDS
    return np.where(ok, seconds * US_PER_SECOND, 0), ok


def read_times(text: pa.Array) -> Times:
    """Every time of a text column (no nulls), as `parse_times` reads them."""
    size = len(text)
    times = Times(np.zeros(size, np.int64), np.zeros(size, bool), np.zeros(size, bool))
    lengths = pc.binary_length(text).to_numpy(zero_copy_only=False)
    pending = lengths > 0  # an empty text is never a time
    for width, digits, sign_at in (_WITH_OFFSET, _IN_UTC):
        where = np.flatnonzero(lengths == width)
        if not where.size:
            continue
        part = text if where.size == size else text.take(pa.array(where))
        micros, ok = _fixed_times(part, width, digits, sign_at)
        chosen = where[ok]
        times.micros[chosen] = micros[ok]
        times.parsed[chosen] = times.shaped[chosen] = True
        pending[chosen] = False
    rest = np.flatnonzero(pending)
    if rest.size:
        parsed, shaped = parse_times(text.take(pa.array(rest)).to_pandas())
        times.shaped[rest] = shaped.to_numpy(dtype=bool)
        known = parsed.notna().to_numpy()
        times.parsed[rest] = known
        times.micros[rest] = np.where(known, parsed.to_numpy().view(np.int64), 0)
    return times


def _text(table: pa.Table, name: str) -> pa.Array:
    """A column as text with empty strings for nulls; a missing column is all empty."""
    if name not in table.column_names:
        return pa.array(np.full(table.num_rows, "", dtype=object), pa.string())
    column = table.column(name).combine_chunks()
    if pa.types.is_dictionary(column.type):
        column = column.cast(pa.string())
    return pc.fill_null(column, "") if column.null_count else column


def _codes(table: pa.Table, name: str) -> pa.DictionaryArray:
    """A code column, dictionary-encoded, with nulls as empty strings."""
    if name not in table.column_names:
        return pa.DictionaryArray.from_arrays(
            pa.array(np.zeros(table.num_rows, np.int32)), pa.array([""])
        )
    column = table.column(name).combine_chunks()
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(pc.fill_null(column, "") if column.null_count else column)
    elif column.null_count or column.dictionary.null_count:
        column = pc.dictionary_encode(pc.fill_null(column.cast(pa.string()), ""))
    return column


def _lower(codes: pa.DictionaryArray) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(codes.indices, pc.utf8_lower(codes.dictionary))


def _is_in(codes: pa.DictionaryArray, allowed) -> np.ndarray:
    """Per row: whether the code is one of `allowed` (decided once per distinct value)."""
    known = pc.is_in(codes.dictionary, value_set=pa.array(list(allowed), pa.string()))
    return known.to_numpy(zero_copy_only=False)[codes.indices.to_numpy(zero_copy_only=False)]


@dataclass
class TypedRows:
    """The rows that passed, typed for loading: times are microseconds since 1970 in Korea
    time, codes lower-cased."""

    request_id: pa.Array
    received_at: np.ndarray
    codes: dict[str, pa.DictionaryArray]
    actioned_at: np.ndarray
    actioned: np.ndarray  # whether actioned_at is given
    hours_to_action: np.ndarray  # NaN where not actioned
    is_synthetic: np.ndarray
    row_number: np.ndarray

    def __len__(self) -> int:
        return len(self.row_number)

    def take(self, where: np.ndarray) -> TypedRows:
        """The rows at the positions `where`."""
        chosen = pa.array(where, pa.int64())
        return TypedRows(
            request_id=self.request_id.take(chosen),
            received_at=self.received_at[where],
            codes={name: codes.take(chosen) for name, codes in self.codes.items()},
            actioned_at=self.actioned_at[where],
            actioned=self.actioned[where],
            hours_to_action=self.hours_to_action[where],
            is_synthetic=self.is_synthetic[where],
            row_number=self.row_number[where],
        )

    @property
    def received_day(self) -> np.ndarray:
        """Days since 1970 of the Korea-time day each request was received."""
        return self.received_at // (86400 * US_PER_SECOND)

    def to_arrow(self) -> pa.Table:
        """The rows with the columns of LOADED_COLUMNS, in Arrow types."""
        received = pa.array(self.received_at, pa.timestamp("us"))
        missing = ~self.actioned
        return pa.table(
            {
                "request_id": self.request_id,
                "received_at": received,
                "received_date": pa.array(self.received_day.astype(np.int32), pa.date32()),
                **self.codes,
                "actioned_at": pa.array(self.actioned_at, pa.timestamp("us"), mask=missing),
                "hours_to_action": pa.array(self.hours_to_action, pa.float64(), mask=missing),
                "is_synthetic": pa.array(self.is_synthetic, pa.bool_()),
                "row_number": pa.array(self.row_number, pa.int64()),
            }
        )

    def to_frame(self) -> pd.DataFrame:
        """The rows as a pandas frame: datetime64[us] times, text codes, NaN hours."""
        received = pd.Series(self.received_at.view("datetime64[us]"))
        actioned = pd.Series(
            np.where(self.actioned, self.actioned_at, np.iinfo(np.int64).min).view("datetime64[us]")
        )
        return pd.DataFrame(
            {
                "request_id": self.request_id.to_pandas(),
                "received_at": received,
                "received_date": received.dt.normalize(),
                **{name: codes.cast(pa.string()).to_pandas() for name, codes in self.codes.items()},
                "actioned_at": actioned,
                "hours_to_action": self.hours_to_action,
                "is_synthetic": self.is_synthetic,
                "row_number": self.row_number,
            }
        )[LOADED_COLUMNS]


def _micros(moment: pd.Timestamp) -> int:
    """Microseconds since 1970 (sub-microsecond parts dropped)."""
    return int(moment.to_datetime64().astype("datetime64[us]").astype(np.int64))


def _matches(text: pa.Array, pattern: str) -> np.ndarray:
    """Per row: whether the text matches `pattern` as `Series.str.match` decides."""
    return text.to_pandas().str.match(pattern, na=False).to_numpy(dtype=bool)


def check_batch(
    table: pa.Table, rows: np.ndarray, file_name: str, now: dt.datetime | None = None
) -> tuple[TypedRows, list[Problem]]:
    """(valid rows typed for loading, problems) for a batch of text columns whose header
    passed; `rows` holds the file row of each record."""
    problems: list[Problem] = []
    request_id = _text(table, "request_id")
    empty_id = pc.equal(request_id, "").to_numpy(zero_copy_only=False)
    problems += _problems(file_name, rows, empty_id, "request_id", "request_id is empty")
    problems += _problems(
        file_name,
        rows,
        ~empty_id & ~_matches(request_id, _REQUEST_ID),
        "request_id",
        "must be 1 to 64 letters, digits or _ . : / - (starting with a letter or digit)",
        request_id,
    )
    codes = {}
    for column, allowed in CODES.items():
        codes[column] = _lower(_codes(table, column))
        problems += _problems(
            file_name,
            rows,
            ~_is_in(codes[column], allowed),
            column,
            f"must be one of: {', '.join(allowed)}",
            codes[column],
        )
    received_text, actioned_text = _text(table, "received_at"), _text(table, "actioned_at")
    received, actioned = read_times(received_text), read_times(actioned_text)
    time_reason = "not an ISO 8601 date-time with its offset (e.g. 2024-09-03T14:05:00+09:00)"
    problems += _problems(
        file_name, rows, ~received.shaped, "received_at", time_reason, received_text
    )
    problems += _problems(
        file_name,
        rows,
        received.shaped & ~received.parsed,
        "received_at",
        "not a calendar date",
        received_text,
    )
    latest = pd.Timestamp(now or dt.datetime.now(dt.UTC).replace(tzinfo=None)) + KOREA_OFFSET
    latest_micros = _micros(latest + pd.Timedelta(days=1))
    earliest_micros = _micros(EARLIEST)
    problems += _problems(
        file_name,
        rows,
        received.parsed & ((received.micros < earliest_micros) | (received.micros > latest_micros)),
        "received_at",
        "outside 2000 to today",
        received_text,
    )
    pending = _is_in(codes["outcome"], ("pending",))
    given = pc.not_equal(actioned_text, "").to_numpy(zero_copy_only=False)
    problems += _problems(
        file_name,
        rows,
        pending & given,
        "actioned_at",
        "must be empty while the outcome is pending",
        actioned_text,
    )
    problems += _problems(
        file_name,
        rows,
        _is_in(codes["outcome"], OUTCOMES) & ~pending & ~given,
        "actioned_at",
        "required unless the outcome is pending",
    )
    problems += _problems(
        file_name, rows, given & ~actioned.shaped, "actioned_at", time_reason, actioned_text
    )
    problems += _problems(
        file_name,
        rows,
        given & actioned.shaped & ~actioned.parsed,
        "actioned_at",
        "not a calendar date",
        actioned_text,
    )
    problems += _problems(
        file_name,
        rows,
        actioned.parsed & received.parsed & (actioned.micros < received.micros),
        "actioned_at",
        "before received_at",
        actioned_text,
    )
    synthetic = _codes(table, "synthetic")
    synthetic_text = _lower(synthetic)
    problems += _problems(
        file_name,
        rows,
        ~_is_in(synthetic_text, ("", *SYNTHETIC_VALUES)),
        "synthetic",
        "must be true or false (or empty for false)",
        synthetic,
    )
    problems.sort(key=lambda p: (p.row, p.column))
    good = ~np.isin(rows, [p.row for p in problems]) if problems else np.ones(len(rows), bool)
    marked = [text for text, value in SYNTHETIC_VALUES.items() if value]
    is_synthetic = _is_in(synthetic_text, marked)
    is_synthetic |= pc.starts_with(request_id, SYNTHETIC_ID_PREFIX).to_numpy(zero_copy_only=False)
    hours = ((actioned.micros - received.micros) / US_PER_SECOND) / 3600.0
    keep = pa.array(np.flatnonzero(good)) if problems else None

    def kept(values):
        if keep is None:
            return values
        return values.take(keep) if isinstance(values, pa.Array) else values[good]

    typed = TypedRows(
        request_id=kept(request_id),
        received_at=kept(received.micros),
        codes={name: kept(values) for name, values in codes.items()},
        actioned_at=kept(actioned.micros),
        actioned=kept(actioned.parsed),
        hours_to_action=kept(np.where(actioned.parsed, hours, np.nan)),
        is_synthetic=kept(is_synthetic),
        row_number=kept(np.asarray(rows, dtype=np.int64)),
    )
    return typed, problems


def check_chunk(
    frame: pd.DataFrame, file_name: str, now: dt.datetime | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """(valid rows typed for loading, problems) for one chunk of text whose header passed."""
    table = pa.table(
        {
            name: pa.array(frame[name], type=pa.string(), from_pandas=True)
            for name in frame.columns
            if name != ROW_NUMBER
        }
    )
    rows = frame[ROW_NUMBER].to_numpy(dtype=np.int64)
    typed, problems = check_batch(table, rows, file_name, now)
    return typed.to_frame(), problems
