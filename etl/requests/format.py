"""The request log on disk: how to recognise one, and how to read it in chunks of text rows.

CSV is read in the encodings the ETL reads everywhere (UTF-8, UTF-8 with BOM, CP949/EUC-KR),
decided from the bytes as `etl.readers.decode_text` decides, but in one streaming pass that also
computes the file's SHA-256, so a file of millions of rows is never held in memory. Parquet is
read in record batches. Every chunk is a frame of text columns plus the row each record came
from: the CSV line (the header is line 1), or the Parquet record's position counted from 1.

`read_batches` gives the same records as Arrow tables for the ingest. A UTF-8 CSV whose rows
hold no quote character and no lone carriage return has one record a line, so its blocks of
lines are parsed by pyarrow (in parallel) and each record's line follows from its position; a
block where that does not hold (a blank line, a record of another width, a huge field) and every
other file are read by the `csv` module as `read_chunks` reads them.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl import kinds
from etl.readers import ROW_NUMBER, UTF8_BOM, XLSX_MAGIC, ReadError, read_table

PARQUET_MAGIC = b"PAR1"
CHUNK_ROWS = 100_000
BLOCK_BYTES = 1 << 20
KIND = kinds.REQUESTS


@dataclass(frozen=True)
class LogFile:
    """A request log found among the files to load: where it is, its format and checksum."""

    path: Path
    format: str  # csv | parquet | xlsx
    encoding: str  # utf-8, utf-8-sig, cp949, parquet or xlsx
    sha256: str
    size_bytes: int
    one_record_a_line: bool = False  # UTF-8 CSV, no quote or lone CR after the header line

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Chunk:
    """Up to CHUNK_ROWS records as text, plus problems that concern whole records (a record
    with more fields than the header), and how far through the file the reader is."""

    frame: pd.DataFrame
    row_problems: list[tuple[int, str, str]]
    bytes_read: int


def _decodes(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes as `encoding` (the line of a bad byte, when one is
    named, comes from `_line_at`)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as handle:
        while block := handle.read(BLOCK_BYTES):
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


@dataclass
class _Layout:
    """What one pass over a CSV's bytes tells about it besides its checksum."""

    utf8: bool = True
    bad_line: int = 0  # the line of the first byte that is not UTF-8
    quotes: bool = False  # a quote character after the header line
    carriage_returns: int = 0
    crlf: int = 0


def _scan(path: Path) -> tuple[str, str, bool]:
    """(encoding, sha256, one record a line), in one streaming pass: UTF-8 (with or without
    BOM) first, then CP949 (a superset of EUC-KR), as `etl.readers.decode_text` decides for a
    whole file held in memory."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    layout = _Layout()
    offset = 0  # of the block in the file
    header_seen = False
    last = b""
    with path.open("rb") as handle:
        while block := handle.read(BLOCK_BYTES):
            digest.update(block)
            if b"\x00" in block:
                line = _line_at(path, offset + block.index(b"\x00"))
                raise ReadError(path.name, line, "-", "contains NUL bytes: not a text CSV file")
            if layout.utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as error:
                    layout.utf8 = False
                    layout.bad_line = _line_at(path, offset + max(error.start, 0))
            body = block
            if not header_seen and b"\n" in block:
                header_seen = True
                body = block[block.index(b"\n") + 1 :]
            if header_seen and not layout.quotes:
                layout.quotes = b'"' in body
            if b"\r" in block or last == b"\r":
                layout.carriage_returns += block.count(b"\r")
                layout.crlf += block.count(b"\r\n") + (last == b"\r" and block[:1] == b"\n")
            last = block[-1:]
            offset += len(block)
        handle.seek(0)
        bom = handle.read(len(UTF8_BOM)) == UTF8_BOM
    if layout.utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            layout.utf8, layout.bad_line = False, _line_at(path, offset)
    if layout.utf8:
        simple = not layout.quotes and layout.carriage_returns == layout.crlf
        return ("utf-8-sig" if bom else "utf-8"), digest.hexdigest(), simple
    if _decodes(path, "cp949"):
        return "cp949", digest.hexdigest(), False
    raise ReadError(
        path.name, layout.bad_line, "-", "the bytes are neither UTF-8 nor CP949/EUC-KR text"
    )


def _line_at(path: Path, offset: int) -> int:
    """The line (counted from 1) of the byte at `offset` of the file: read again only when a
    problem needs its line, so that a file without one is not counted line by line."""
    newlines = 0
    with path.open("rb") as handle:
        while offset > 0 and (block := handle.read(min(BLOCK_BYTES, offset))):
            newlines += block.count(b"\n")
            offset -= len(block)
    return newlines + 1


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(BLOCK_BYTES):
            digest.update(block)
    return digest.hexdigest()


def _csv_header(path: Path, encoding: str) -> list[str]:
    with path.open(encoding=encoding, newline="") as handle:
        try:
            return [h.strip() for h in next(csv.reader(handle), [])]
        except (csv.Error, UnicodeDecodeError):
            return []


def parquet_columns(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    return list(pq.ParquetFile(path).schema_arrow.names)


def sniff(path: Path) -> LogFile | None:
    """The file as a request log when its header has the log's signature column, else None.

    Raises ReadError for a request log that cannot be read (bad bytes, corrupt Parquet)."""
    with path.open("rb") as handle:
        head = handle.read(4)
    size = path.stat().st_size
    if head == PARQUET_MAGIC:
        try:
            columns = parquet_columns(path)
        except Exception as error:  # pyarrow raises several types for corrupt files
            raise ReadError(path.name, 1, "-", f"not a readable Parquet file ({error})") from None
        if KIND.signature not in columns:
            return None
        return LogFile(path, "parquet", "parquet", _sha256(path), size)
    if head == XLSX_MAGIC:
        return None  # XLSX request logs are read whole by `read_table`; see `xlsx_log`
    if not _looks_like_log_header(path):
        return None
    encoding, sha, simple = _scan(path)
    return LogFile(path, "csv", encoding, sha, size, simple)


def _looks_like_log_header(path: Path) -> bool:
    with path.open("rb") as handle:
        first = handle.read(64 * 1024).split(b"\n", 1)[0]
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = first.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            names = [h.strip().strip('"').strip() for h in next(csv.reader([text]), [])]
        except csv.Error:  # NUL bytes, a broken quote: not a log header
            return False
        return KIND.signature in names
    return False


def xlsx_log(path: Path) -> LogFile | None:
    """An XLSX workbook whose first sheet is a request log (at most about a million rows)."""
    with path.open("rb") as handle:
        if handle.read(4) != XLSX_MAGIC:
            return None
    table = read_table(path)
    if KIND.signature not in table.columns:
        return None
    return LogFile(path, "xlsx", "xlsx", table.sha256, path.stat().st_size)


def header_of(log: LogFile) -> list[str]:
    if log.format == "parquet":
        return parquet_columns(log.path)
    if log.format == "xlsx":
        return read_table(log.path).columns
    return _csv_header(log.path, log.encoding)


def read_chunks(log: LogFile, chunk_rows: int | None = None) -> Iterator[Chunk]:
    """The file's records as text frames of at most `chunk_rows` (default CHUNK_ROWS) rows, in
    file order."""
    chunk_rows = chunk_rows or CHUNK_ROWS
    if log.format == "parquet":
        yield from _parquet_chunks(log, chunk_rows)
    elif log.format == "xlsx":
        frame = read_table(log.path).frame
        for start in range(0, len(frame), chunk_rows):
            part = frame.iloc[start : start + chunk_rows].reset_index(drop=True)
            done = log.size_bytes * min(start + chunk_rows, len(frame)) // max(len(frame), 1)
            yield Chunk(part, [], done)
    else:
        yield from _csv_chunks(log, chunk_rows)


def _frame(header: list[str], rows: list[list[str]], numbers: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=header, dtype="str")
    for column in header:
        frame[column] = frame[column].str.strip()
    frame[ROW_NUMBER] = numbers
    return frame


def _records(
    reader, width: int, problems: list, file_name: str, line_offset: int = 0
) -> Iterator[tuple[int, list[str]]]:
    """(line, values) of every record the `csv` reader gives, padded or cut to `width`, where
    the reader's line 1 is the file's line `line_offset` + 1: blank lines are skipped; a record
    with more non-empty fields than the header goes to `problems`."""
    start = line_offset + reader.line_num + 1
    try:
        for values in reader:
            line, start = start, line_offset + reader.line_num + 1
            if len(values) != width:
                if not any(v.strip() for v in values):
                    continue  # a blank line
                if len(values) > width and any(v.strip() for v in values[width:]):
                    reason = f"has {len(values)} fields but the header has {width}"
                    problems.append((line, "-", reason))
                    continue
                values = (values + [""] * width)[:width]
            yield line, values
    except csv.Error as error:
        raise ReadError(file_name, start, "-", f"malformed CSV: {error}") from None


def _csv_chunks(log: LogFile, chunk_rows: int) -> Iterator[Chunk]:
    with log.path.open(encoding=log.encoding, newline="") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            message = "the file is empty: a header row is required"
            raise ReadError(log.name, 1, "-", message) from None
        except csv.Error as error:
            raise ReadError(log.name, 1, "-", f"malformed CSV: {error}") from None
        rows: list[list[str]] = []
        numbers: list[int] = []
        problems: list[tuple[int, str, str]] = []
        records = _records(reader, len(header), problems, log.name)
        for line, values in records:
            rows.append(values)
            numbers.append(line)
            if len(rows) >= chunk_rows:
                done = os.lseek(handle.fileno(), 0, os.SEEK_CUR)
                yield Chunk(_frame(header, rows, numbers), problems[:], done)
                rows, numbers = [], []
                problems.clear()
        if rows or problems:
            yield Chunk(_frame(header, rows, numbers), problems, log.size_bytes)


def _arrow_text(column, name: str) -> list[str]:
    """A Parquet column as the text a CSV would hold: ISO 8601 times with their offset,
    true/false, empty for nulls."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_timestamp(kind):
        series = column.to_pandas()
        if kind.tz is None:  # no offset: written as such, so validation names the problem
            return ["" if pd.isna(v) else v.isoformat(sep="T", timespec="seconds") for v in series]
        series = series.dt.tz_convert("Asia/Seoul")
        return ["" if pd.isna(v) else v.isoformat(timespec="seconds") for v in series]
    if pa.types.is_boolean(kind):
        return ["" if v is None else ("true" if v else "false") for v in column.to_pylist()]
    text = pc.cast(column, pa.string()) if not pa.types.is_string(kind) else column
    return ["" if v is None else v for v in text.to_pylist()]


def _parquet_chunks(log: LogFile, chunk_rows: int) -> Iterator[Chunk]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(log.path)
    total = max(parquet.metadata.num_rows, 1)
    position = 0
    for batch in parquet.iter_batches(batch_size=chunk_rows):
        header = list(batch.schema.names)
        columns = {name: _arrow_text(batch.column(i), name) for i, name in enumerate(header)}
        frame = pd.DataFrame(columns, dtype="str")
        for name in header:
            frame[name] = frame[name].str.strip()
        frame[ROW_NUMBER] = range(position + 1, position + batch.num_rows + 1)
        position += batch.num_rows
        yield Chunk(frame, [], log.size_bytes * position // total)


# ---------------------------------------------------------------------------------------------
# Arrow batches for the ingest

TEXT_COLUMNS = ("request_id", "received_at", "actioned_at")  # nearly one value a row
CODE_TYPE = pa.dictionary(pa.int32(), pa.string())  # every other column holds a few codes


@dataclass
class Batch:
    """Records as an Arrow table of trimmed text (code columns dictionary-encoded where the
    reader could), the line (or Parquet position) of each, problems that concern whole records,
    and how far through the file the reader is."""

    table: pa.Table
    rows: np.ndarray  # int64, one a record
    row_problems: list[tuple[int, str, str]]
    bytes_read: int


def read_batches(log: LogFile, chunk_rows: int | None = None) -> Iterator[Batch]:
    """The file's records, in file order, as batches of about `chunk_rows` (default CHUNK_ROWS)
    records: the same records, values and lines as `read_chunks`."""
    chunk_rows = chunk_rows or CHUNK_ROWS
    if log.format == "csv" and log.one_record_a_line and log.encoding.startswith("utf-8"):
        yield from _line_batches(log, chunk_rows)
        return
    for chunk in read_chunks(log, chunk_rows):
        frame = chunk.frame
        table = pa.table(
            {
                name: pa.array(frame[name], type=pa.string(), from_pandas=True)
                for name in frame.columns
                if name != ROW_NUMBER
            }
        )
        rows = frame[ROW_NUMBER].to_numpy(dtype=np.int64)
        yield Batch(table, rows, chunk.row_problems, chunk.bytes_read)


def trim(column: pa.Array) -> pa.Array:
    """Values without surrounding whitespace, as `Series.str.strip` trims text columns."""
    if pa.types.is_dictionary(column.type):
        dictionary = pc.utf8_trim_whitespace(column.dictionary)
        return pa.DictionaryArray.from_arrays(column.indices, dictionary)
    return pc.utf8_trim_whitespace(column)


def _line_batches(log: LogFile, chunk_rows: int) -> Iterator[Batch]:
    header = _csv_header(log.path, log.encoding)
    if not header:
        raise ReadError(log.name, 1, "-", "the file is empty: a header row is required")
    with log.path.open("rb") as handle:
        done = len(handle.readline())
        sample = handle.read(BLOCK_BYTES)
        handle.seek(done)
        line_bytes = len(sample) / max(sample.count(b"\n"), 1)
        block_bytes = max(int(chunk_rows * line_bytes), 1 << 12)
        line, rest = 2, b""
        while True:
            data = handle.read(block_bytes)
            block = rest + data
            if data:
                cut = block.rfind(b"\n") + 1
                if cut == 0:
                    rest = block
                    continue
                block, rest = block[:cut], block[cut:]
            if block:
                done += len(block)
                lines = block.count(b"\n") + (not block.endswith(b"\n"))
                table, rows, problems = _parse_lines(block, lines, header, line, log.name)
                yield Batch(table, rows, problems, done)
                line += lines
            if not data:
                return


def _parse_lines(
    block: bytes, lines: int, header: list[str], first_line: int, file_name: str
) -> tuple[pa.Table, np.ndarray, list[tuple[int, str, str]]]:
    """Records of a block of `lines` whole lines of an unquoted UTF-8 CSV whose first line is
    the file's line `first_line`: parsed by pyarrow when every line is one record of the
    header's width, else by the `csv` module."""
    blank = block.startswith((b"\n", b"\r\n")) or b"\n\n" in block or b"\n\r\n" in block
    if not blank:
        import pyarrow.csv as pacsv

        invalid: list[int] = []

        def _invalid(_row) -> str:
            invalid.append(1)
            return "skip"

        table = pacsv.read_csv(
            pa.py_buffer(block),
            read_options=pacsv.ReadOptions(column_names=header, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(quote_char=False, invalid_row_handler=_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() if n in TEXT_COLUMNS else CODE_TYPE for n in header},
                strings_can_be_null=False,
            ),
        )
        if not invalid and table.num_rows == lines:
            columns = [c.combine_chunks() for c in table.unify_dictionaries().columns]
            if _fields_within_limit(columns):
                table = pa.table([trim(c) for c in columns], names=header)
                return table, np.arange(first_line, first_line + lines, dtype=np.int64), []
    problems: list[tuple[int, str, str]] = []
    reader = csv.reader(io.StringIO(block.decode("utf-8"), newline=""), strict=True)
    records = list(_records(reader, len(header), problems, file_name, first_line - 1))
    columns = list(zip(*(values for _, values in records))) or [()] * len(header)
    table = pa.table(
        {name: trim(pa.array(values, pa.string())) for name, values in zip(header, columns)}
    )
    return table, np.array([n for n, _ in records], dtype=np.int64), problems


def _fields_within_limit(columns: list[pa.Array]) -> bool:
    """Whether no value is longer than the `csv` module reads (it refuses such a record)."""
    limit = csv.field_size_limit()
    for values in columns:
        if pa.types.is_dictionary(values.type):
            values = values.dictionary
        longest = pc.max(pc.binary_length(values)).as_py()
        if longest is not None and longest > limit:
            return False
    return True
