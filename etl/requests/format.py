"""The request log on disk: how to recognise one, and how to read it in chunks of text rows.

CSV is read in the encodings the ETL reads everywhere (UTF-8, UTF-8 with BOM, CP949/EUC-KR),
decided from the bytes as `etl.readers.decode_text` decides, but in one streaming pass that also
computes the file's SHA-256, so a file of millions of rows is never held in memory. Parquet is
read in record batches. Every chunk is a frame of text columns plus the row each record came
from: the CSV line (the header is line 1), or the Parquet record's position counted from 1.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

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


def _decodes(path: Path, encoding: str) -> tuple[bool, int]:
    """Whether the whole file decodes as `encoding`; else the line of the first bad byte."""
    decoder = codecs.getincrementaldecoder(encoding)()
    newlines = 0
    with path.open("rb") as handle:
        while block := handle.read(BLOCK_BYTES):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                return False, newlines + block[: max(error.start, 0)].count(b"\n") + 1
            newlines += block.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False, newlines + 1
    return True, 0


def _scan(path: Path) -> tuple[str, str]:
    """(encoding, sha256), streaming: UTF-8 (with or without BOM) first, then CP949 (a superset
    of EUC-KR), as `etl.readers.decode_text` decides for a whole file held in memory."""
    digest = hashlib.sha256()
    newlines = 0
    with path.open("rb") as handle:
        while block := handle.read(BLOCK_BYTES):
            digest.update(block)
            if b"\x00" in block:
                line = newlines + block[: block.index(b"\x00")].count(b"\n") + 1
                raise ReadError(path.name, line, "-", "contains NUL bytes: not a text CSV file")
            newlines += block.count(b"\n")
        handle.seek(0)
        bom = handle.read(len(UTF8_BOM)) == UTF8_BOM
    utf8_ok, bad_line = _decodes(path, "utf-8")
    if utf8_ok:
        return ("utf-8-sig" if bom else "utf-8"), digest.hexdigest()
    if _decodes(path, "cp949")[0]:
        return "cp949", digest.hexdigest()
    raise ReadError(path.name, bad_line, "-", "the bytes are neither UTF-8 nor CP949/EUC-KR text")


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
    encoding, sha = _scan(path)
    return LogFile(path, "csv", encoding, sha, size)


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
        width = len(header)
        rows: list[list[str]] = []
        numbers: list[int] = []
        problems: list[tuple[int, str, str]] = []
        start = reader.line_num + 1
        try:
            for values in reader:
                line, start = start, reader.line_num + 1
                if len(values) != width:
                    if not any(v.strip() for v in values):
                        continue  # a blank line
                    if len(values) > width and any(v.strip() for v in values[width:]):
                        problems.append(
                            (line, "-", f"has {len(values)} fields but the header has {width}")
                        )
                        continue
                    values = (values + [""] * width)[:width]
                rows.append(values)
                numbers.append(line)
                if len(rows) >= chunk_rows:
                    done = os.lseek(handle.fileno(), 0, os.SEEK_CUR)
                    yield Chunk(_frame(header, rows, numbers), problems, done)
                    rows, numbers, problems = [], [], []
        except csv.Error as error:
            raise ReadError(log.name, start, "-", f"malformed CSV: {error}") from None
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
