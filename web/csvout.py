"""CSV writing shared by the API and downloads: cell formatting, formula neutralisation, streaming.

Text cells that a spreadsheet would read as a formula (starting with =, +, -, @, tab or carriage
return) get a leading single quote; numbers, booleans and dates are written as they are.

Rows as a database driver reads them (text possibly as its UTF-8 bytes) are written without
touching each cell: consecutive columns that repeat together (a metric and its breakdown, a
figure's source and notes) are written once per distinct combination and remembered, and a
column of mostly distinct text is checked for formula starts and for characters that need
quoting in a few passes over all its cells. Each line is joined in one call, and the bytes are
the ones the csv module writes for the same cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import repeat
from operator import itemgetter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
ENCODINGS = ("utf-8-sig", "utf-8")
QUOTED_CHARACTERS = (",", '"', "\r", "\n")  # a cell holding one of these is quoted
FORMULA_STARTS_UTF8 = tuple(start.encode("utf-8") for start in FORMULA_STARTS)
QUOTED_UTF8 = tuple(character.encode("utf-8") for character in QUOTED_CHARACTERS)
SEPARATOR = "\x00"  # joins a column's cells to check them all at once
REPEATS = 4  # a run of columns is remembered when its values recur this often in a chunk
REMEMBERED_CELLS = 65536  # distinct combinations remembered per run before starting afresh
REMEMBERED_TYPES = frozenset({type(None), bool, int, float, str, bytes, dt.date})
NUMBERS = frozenset({bool, int, float})  # kinds that equal values of other kinds


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


Reader = Callable[[object], object] | None


class _Columns(dict):
    """The columns of a chunk of rows, each taken out of the rows when first needed."""

    def __init__(self, rows: Sequence[Sequence]):
        super().__init__()
        self.rows = rows

    def __missing__(self, position: int) -> tuple:
        column = self[position] = tuple(map(itemgetter(position), self.rows))
        return column


class _Run(dict):
    """The written text of a run of consecutive columns, by their stored values: each distinct
    combination is written once and remembered while the run repeats itself. A value of a kind
    its column was not planned with is written but not remembered (it could equal a value of
    another kind that prints apart), and the run asks for a new plan."""

    def __init__(self, start: int, stop: int, readers: Sequence[Reader], kinds: list[set]):
        super().__init__()
        self.start, self.stop = start, stop
        self.readers, self.kinds = readers[start:stop], kinds[start:stop]
        self.misses = 0
        self.foreign = False

    def __missing__(self, key: object) -> bytes:
        self.misses += 1
        values = (key,) if self.stop - self.start == 1 else key
        cell = ",".join(map(_written_stored, values, self.readers)).encode("utf-8")
        if all(value.__class__ in kinds for value, kinds in zip(values, self.kinds)):
            self[key] = cell
        else:
            self.foreign = True
        return cell

    def cells(self, rows: Sequence[Sequence], columns: _Columns) -> list[bytes]:
        if self.stop - self.start == 1:
            return list(map(self.__getitem__, columns[self.start]))
        return list(map(self.__getitem__, map(itemgetter(slice(self.start, self.stop)), rows)))


class _Free:
    """A column of mostly distinct values (an id, a free note) or of mixed kinds: text is
    checked in a few passes over all its cells at once, other values are written one by one."""

    def __init__(self, position: int, readers: Sequence[Reader]):
        self.position, self.reader = position, readers[position]

    def cells(self, rows: Sequence[Sequence], columns: _Columns) -> list[bytes]:
        values = columns[self.position]
        cells = _passed_text(values) if self.reader is None else None
        if cells is None:
            cells = [_written_stored(v, self.reader).encode("utf-8") for v in values]
        return cells


def read_stored(stored: object, reader: Reader) -> object:
    """A stored value as written: None stays None, bytes are UTF-8 text, and what is not None
    goes through the column's reader (if any)."""
    if stored is None:
        return None
    if stored.__class__ is bytes:
        stored = stored.decode("utf-8")
    return stored if reader is None else reader(stored)


def _written_stored(stored: object, reader: Reader) -> str:
    return written_cell(read_stored(stored, reader))


def _passed_text(values: Sequence[object]) -> list[bytes] | None:
    """The written cells of a column of text only (all str, or all UTF-8 bytes) in which no
    cell needs a quote before it or around it, checked in a few passes over all its cells;
    None otherwise (the cells are then written one by one)."""
    kind = values[0].__class__
    try:
        if kind is bytes:
            joined = b"\x00".join(values)
            joined.decode("utf-8")  # refused as reading each cell would refuse it
            starts, quoted, cells = FORMULA_STARTS_UTF8, QUOTED_UTF8, list(values)
        elif kind is str:
            joined = SEPARATOR.join(values)
            starts, quoted = FORMULA_STARTS, QUOTED_CHARACTERS
            cells = joined.encode("utf-8").split(b"\x00")
            if len(cells) != len(values):  # a cell holds the separator
                return None
        else:
            return None
    except (TypeError, UnicodeDecodeError):  # other kinds of values, or not UTF-8
        return None
    if any(map(kind.startswith, values, repeat(starts))):
        return None
    if any(character in joined for character in quoted):
        return None
    return cells


class _RowWriter:
    """CSV lines for chunks of stored rows. From a chunk it plans each line as a sequence of
    runs: a column of mostly distinct values or of mixed kinds stands alone (`_Free`), the
    others are grouped into runs of consecutive columns that repeat together (`_Run`). It plans
    again when a run stops repeating itself or meets a kind of value its plan did not have.

    Values equal across kinds print apart (1 and True, 1 and Decimal("1.0")): a remembered
    column holds one kind of value. Text, bytes and dates equal no value of another kind, so a
    new kind there is always a miss, which `_Run` notices; a column of numbers or flags is
    checked chunk by chunk, as a new kind there could match what is remembered."""

    def __init__(self, readers: Sequence[Reader]):
        self.readers = readers
        self.runs: list[_Run | _Free] = []
        self.watched: list[tuple[int, set]] = []  # remembered columns of numbers or flags

    def lines(self, rows: Sequence[Sequence]) -> bytes:
        width = len(self.readers)
        if len(set(map(len, rows))) != 1 or len(rows[0]) != width:
            raise ValueError(f"each row must hold {width} values")
        columns = _Columns(rows)
        if any(not set(map(type, columns[i])) <= kinds for i, kinds in self.watched):
            self.runs = []
        if not self.runs:
            self._plan(rows, [columns[i] for i in range(width)])
        parts = [run.cells(rows, columns) for run in self.runs]
        for run in self.runs:
            if isinstance(run, _Run):
                if run.foreign or run.misses * 2 > len(rows):
                    self.runs = []  # plan again on the next chunk
                elif len(run) > REMEMBERED_CELLS:
                    run.clear()
                run.misses = 0
        return b"\r\n".join(map(b",".join, zip(*parts))) + b"\r\n"

    def _plan(self, rows: Sequence[Sequence], columns: list[tuple]) -> None:
        most = len(rows) // REPEATS  # distinct values (or combinations) a run may hold
        kinds = [set(map(type, column)) for column in columns]
        repeating = [
            k <= REMEMBERED_TYPES and len(k - {type(None)}) <= 1 and len(set(column)) <= most
            for k, column in zip(kinds, columns)
        ]
        self.runs, self.watched = [], []
        start = 0
        while start < len(columns):
            if not repeating[start]:
                self.runs.append(_Free(start, self.readers))
                start += 1
                continue
            stop = start + 1
            while stop < len(columns) and repeating[stop]:
                stop += 1
            for run_start, run_stop in _split(rows, start, stop, most):
                self.runs.append(_Run(run_start, run_stop, self.readers, kinds))
            self.watched += [(i, kinds[i]) for i in range(start, stop) if kinds[i] & NUMBERS]
            start = stop


def _split(rows: Sequence[Sequence], start: int, stop: int, most: int) -> list[tuple[int, int]]:
    """Consecutive columns that each repeat, as runs whose combinations repeat too: halved
    until each holds at most `most` distinct combinations (or one column)."""
    if stop - start == 1 or len(set(map(itemgetter(slice(start, stop)), rows))) <= most:
        return [(start, stop)]
    middle = (start + stop) // 2
    return _split(rows, start, middle, most) + _split(rows, middle, stop, most)


def stream_csv_rows(
    columns: list[str],
    chunks: Iterable[Sequence[Sequence]],
    encoding: str = "utf-8-sig",
    readers: Sequence[Reader] | None = None,
) -> Iterator[bytes]:
    """The bytes `stream_csv` writes for the same rows, from chunks of rows given as sequences
    of values in the order of `columns`, as a database driver reads them: bytes are UTF-8 text,
    and `readers` (one per column; None: as it is) turn any other stored value but None into
    the value to write (see `read_stored`). The header comes first, then one bytes block per
    chunk. Each column holds values of one kind, as a database column does."""
    readers = tuple(readers) if readers is not None else (None,) * len(columns)
    if len(readers) != len(columns):
        raise ValueError(f"{len(columns)} columns but {len(readers)} readers")
    if len(columns) < 2:  # the csv module writes a lone empty cell as ""
        dicts = (
            [dict(zip(columns, map(read_stored, row, readers))) for row in rows] for rows in chunks
        )
        yield from stream_csv(columns, dicts, encoding)
        return
    header = (BOM if encoding == "utf-8-sig" else "") + csv_line(columns)
    yield header.encode("utf-8")
    writer = _RowWriter(readers)
    for rows in chunks:
        if len(rows):
            yield writer.lines(rows)
