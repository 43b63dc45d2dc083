"""CSV writing shared by the API and downloads: cell formatting, formula neutralisation, streaming.

Text cells that a spreadsheet would read as a formula (starting with =, +, -, @, tab or carriage
return) get a leading single quote; numbers, booleans and dates are written as they are.

Rows given by column are written a column at a time: a column of plain text (most of a file) is
checked for formula starts and for characters that need quoting in a few passes over all its
cells, other columns format each distinct value once, and each row is joined in one call. The
bytes are the ones the csv module writes for the same cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Iterator, Sequence
from itertools import repeat

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
ENCODINGS = ("utf-8-sig", "utf-8")
QUOTED_CHARACTERS = (",", '"', "\r", "\n")  # a cell holding one of these is quoted
SEPARATOR = "\x00"  # joins a column's cells to check them all at once
REMEMBERED_CELLS = 4096  # distinct values remembered per column before starting afresh
CHUNKS_BY_PASSES = 8  # chunks of mostly distinct text written by passes before trying again
REMEMBERED_TYPES = frozenset({type(None), bool, int, float, str, dt.date})


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
    if value.__class__ is str:  # most cells: checked first
        return "'" + value if value.startswith(FORMULA_STARTS) else value
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
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\r\n").writerows(
                [format_cell(row.get(c)) for c in columns] for row in rows
            )
            yield buffer.getvalue().encode("utf-8")


def to_csv_bytes(columns: list[str], rows: list[dict], encoding: str = "utf-8-sig") -> bytes:
    """The whole CSV of `rows` at once (for small registries and cached API answers)."""
    return b"".join(stream_csv(columns, [rows], encoding))


def quote(cell: str) -> str:
    """A formatted cell as the csv module writes it: in double quotes, its quotes doubled, when
    it holds a comma, a quote or a line break."""
    for character in QUOTED_CHARACTERS:
        if character in cell:
            return '"' + cell.replace('"', '""') + '"'
    return cell


def written_cell(value: object) -> str:
    """One value as it appears between the commas of a CSV line."""
    return quote(format_cell(value))


class _ColumnCells(dict):
    """The written cells of one column, chunk after chunk. Each distinct value is written once
    and remembered while the column repeats itself; a column of mostly distinct text (an id, a
    free note) is checked instead in a few passes over all its cells at once."""

    def __init__(self):
        super().__init__()
        self.misses = 0
        self.chunks_by_passes = 0  # chunks still to write by passes before remembering again

    def __missing__(self, value: object) -> str:
        self.misses += 1
        cell = self[value] = written_cell(value)
        return cell

    def cells(self, values: Sequence[object]) -> Sequence[str]:
        if self.chunks_by_passes:
            self.chunks_by_passes -= 1
            cells = _passed_text(values)
            if cells is not None:
                return cells
        kinds = set(map(type, values))
        if not (kinds <= REMEMBERED_TYPES and len(kinds - {type(None)}) <= 1):
            return [written_cell(v) for v in values]  # values equal across kinds print apart
        self.misses = 0
        cells = list(map(self.__getitem__, values))
        if self.misses * 2 > len(values) or len(self) > REMEMBERED_CELLS:
            self.clear()
            if kinds == {str}:
                self.chunks_by_passes = CHUNKS_BY_PASSES
        return cells


def _passed_text(values: Sequence[object]) -> Sequence[str] | None:
    """The written cells of a column of text only, checked for formula starts and characters
    to quote in a few passes over all its cells; None when it holds other values."""
    try:
        joined = SEPARATOR.join(values)
    except TypeError:
        return None
    cells = values
    if any(map(str.startswith, values, repeat(FORMULA_STARTS))):
        cells = [format_cell(v) for v in values]
        joined = SEPARATOR.join(cells)
    if any(character in joined for character in QUOTED_CHARACTERS):
        return [quote(c) for c in cells]
    return cells


def stream_csv_columns(
    columns: list[str], chunks: Iterable[Sequence[Sequence]], encoding: str = "utf-8-sig"
) -> Iterator[bytes]:
    """The bytes `stream_csv` writes for the same rows, from chunks of rows given by column (one
    sequence of values per name in `columns`, in that order): the header first, then one bytes
    block per chunk."""
    if len(columns) < 2:  # the csv module writes a lone empty cell as ""
        dicts = ([dict(zip(columns, row)) for row in zip(*values)] for values in chunks)
        yield from stream_csv(columns, dicts, encoding)
        return
    header = (BOM if encoding == "utf-8-sig" else "") + csv_line(columns)
    yield header.encode("utf-8")
    writers = [_ColumnCells() for _ in columns]
    for values in chunks:
        if not values:
            continue
        if len(values) != len(columns) or len(set(map(len, values))) != 1:
            raise ValueError(f"each chunk must hold {len(columns)} columns of one length")
        if not values[0]:
            continue
        cells = [writer.cells(column) for writer, column in zip(writers, values)]
        yield ("\r\n".join(map(",".join, zip(*cells))) + "\r\n").encode("utf-8")
