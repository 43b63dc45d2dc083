"""Readers: turn a CSV (UTF-8, UTF-8 with BOM, CP949/EUC-KR) or XLSX file into rows of text.

The format and encoding are detected from the bytes, never from the file name. Every row keeps
the line (CSV) or sheet row (XLSX) where it starts, so problems can be reported as FILE:ROW.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

XLSX_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"
ROW_NUMBER = "__row_number__"
MAX_COLUMNS = 1000  # the widest layout has 13; more is a broken or hostile file
# files that are often saved or sent by mistake in place of a CSV, by their first bytes
NOT_A_TABLE = (
    (b"\xff\xfe", "UTF-16 text (Excel's 'Unicode text'): save it as 'CSV UTF-8' instead"),
    (b"\xfe\xff", "UTF-16 text: save it as 'CSV UTF-8' instead"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image, not a table"),
    (b"GIF8", "a GIF image, not a table"),
    (b"\xff\xd8\xff", "a JPEG image, not a table"),
    (b"%PDF-", "a PDF document, not a table: copy its figures into a CSV or XLSX file"),
    (b"\x1f\x8b", "a gzip archive: unpack it first"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Hangul (.hwp) document: save it as .xlsx or CSV"),
)


class ReadError(Exception):
    """A file that cannot be read as a table at all; carries FILE:ROW: column: reason."""

    def __init__(self, file_name: str, row: int, column: str, reason: str):
        self.file_name, self.row, self.column, self.reason = file_name, row, column, reason
        super().__init__(f"{file_name}:{row}: {column}: {reason}")


@dataclass
class Table:
    """The rows of one file as text, with how it was read."""

    path: Path
    sha256: str
    encoding: str
    frame: pd.DataFrame  # all columns str; ROW_NUMBER holds the source row of each record
    columns: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode_text(data: bytes, file_name: str) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (with or without BOM) first, then CP949 (a superset of EUC-KR)."""
    for signature, what in NOT_A_TABLE:
        if data.startswith(signature):
            raise ReadError(file_name, 1, "-", f"the file is {what}")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ReadError(file_name, line, "-", "contains NUL bytes: not a text CSV file")
    if data.startswith(UTF8_BOM):
        body, encoding = data[len(UTF8_BOM) :], "utf-8-sig"
    else:
        body, encoding = data, "utf-8"
    try:
        return body.decode("utf-8"), encoding
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp949"), "cp949"
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
            raise ReadError(
                file_name,
                line,
                "-",
                f"byte {utf8_error.start} is neither UTF-8 nor CP949/EUC-KR text",
            ) from None


def _frame_from_records(records: list[tuple[int, list[str]]], file_name: str) -> pd.DataFrame:
    if not records:
        raise ReadError(file_name, 1, "-", "the file is empty: a header row is required")
    header_line, header = records[0]
    header = [h.strip() for h in header]
    width = len(header)  # rows may be as wide, if what is past the named columns is empty
    while len(header) > 1 and not header[-1]:
        header.pop()  # trailing empty columns, as spreadsheets export them
    if not any(header):
        raise ReadError(file_name, header_line, "-", "the header row is empty")
    if len(header) > MAX_COLUMNS:
        raise ReadError(
            file_name,
            header_line,
            "-",
            f"the header has {len(header):,} columns; a table may have at most {MAX_COLUMNS:,}",
        )
    for separator, name in ((";", "semicolons"), ("\t", "tabs")):
        if len(header) == 1 and separator in header[0]:
            raise ReadError(
                file_name,
                header_line,
                "-",
                f"the header is one column holding {name}: the file is separated by {name}; "
                "save it as comma-separated CSV",
            )
    blank = [i + 1 for i, h in enumerate(header) if not h]
    if blank:
        raise ReadError(file_name, header_line, f"column {blank[0]}", "header name is empty")
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise ReadError(file_name, header_line, name, "header name appears twice")
        seen.add(name)
    rows, numbers = [], []
    for line, values in records[1:]:
        if not any(v.strip() for v in values):
            continue  # blank line
        if len(values) > len(header):
            extra = values[len(header) :]
            if len(values) > width or any(v.strip() for v in extra):
                raise ReadError(
                    file_name,
                    line,
                    "-",
                    f"has {len(values)} fields but the header has {len(header)}: quote values "
                    'that hold commas ("6,434")',
                )
            values = values[: len(header)]
        values = values + [""] * (len(header) - len(values))
        rows.append(values)
        numbers.append(line)
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame[ROW_NUMBER] = numbers
    return frame


def read_csv_text(text: str, file_name: str) -> pd.DataFrame:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for values in reader:
            records.append((start, values))
            start = reader.line_num + 1
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            limit = csv.field_size_limit()
            reason = f"a field holds more than {limit:,} characters, the most a cell may hold"
        else:
            reason = f"malformed CSV: {error}"
        raise ReadError(file_name, start, "-", reason) from None
    return _frame_from_records(records, file_name)


def read_xlsx_bytes(data: bytes, file_name: str) -> pd.DataFrame:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            is_workbook = "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        is_workbook = True  # damaged: let the workbook reader say what it finds
    if not is_workbook:
        raise ReadError(file_name, 1, "-", "the file is a zip archive but not an XLSX workbook")
    try:
        raw = pd.read_excel(io.BytesIO(data), sheet_name=0, header=None, dtype=object)
    except Exception as error:  # openpyxl raises many types for corrupt workbooks
        raise ReadError(file_name, 1, "-", f"not a readable XLSX workbook ({error})") from None
    records = []
    for position, row in enumerate(raw.itertuples(index=False), start=1):
        records.append((position, [_cell_text(v) for v in row]))
    return _frame_from_records(records, file_name)


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if isinstance(value, str) else str(value)


def read_table(path: Path) -> Table:
    """Read one CSV or XLSX file into text columns, detecting format and encoding from bytes."""
    data = path.read_bytes()
    name = path.name
    if data.startswith(XLSX_MAGIC):
        frame, encoding = read_xlsx_bytes(data, name), "xlsx"
    else:
        text, encoding = decode_text(data, name)
        frame = read_csv_text(text, name)
    columns = [c for c in frame.columns if c != ROW_NUMBER]
    for column in columns:
        frame[column] = frame[column].map(lambda v: v.strip() if isinstance(v, str) else v)
    return Table(path=path, sha256=sha256_of(data), encoding=encoding, frame=frame, columns=columns)
