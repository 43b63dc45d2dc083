"""CSV writing shared by the API and downloads: cell formatting, formula neutralisation, streaming.

Text cells that a spreadsheet would read as a formula (starting with =, +, -, @, tab or carriage
return) get a leading single quote; numbers, booleans and dates are written as they are.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
ENCODINGS = ("utf-8-sig", "utf-8")


def neutralise(text: str) -> str:
    """`text` made inert for spreadsheets: a leading formula character gets a quote before it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def format_number(value: float | int | None) -> int | float | None:
    """A number as JSON and CSV show it: integral values without '.0', NaN and infinity as None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def format_cell(value: object) -> str:
    """One CSV cell: numbers and dates as written, booleans as true/false, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        number = format_number(value)
        return "" if number is None else str(number)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))


def csv_line(cells: Iterable[object]) -> str:
    """One CSV record (with its line ending) from already formatted or raw cells."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(format_cell(c) for c in cells)
    return buffer.getvalue()


def stream_csv(
    columns: list[str], chunks: Iterable[list[dict]], encoding: str = "utf-8-sig"
) -> Iterator[bytes]:
    """Encoded CSV, one bytes block per chunk of rows: the header first (after a BOM when
    `encoding` is utf-8-sig), then the rows, each reduced to `columns` in that order."""
    header = (BOM if encoding == "utf-8-sig" else "") + csv_line(columns)
    yield header.encode("utf-8")
    for rows in chunks:
        if rows:
            yield "".join(csv_line(row.get(c) for c in columns) for row in rows).encode("utf-8")


def to_csv_bytes(columns: list[str], rows: list[dict], encoding: str = "utf-8-sig") -> bytes:
    """The whole CSV of `rows` at once (for small registries and cached API answers)."""
    return b"".join(stream_csv(columns, [rows], encoding))
