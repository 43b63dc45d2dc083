"""Readers: encodings and formats detected from the bytes, rows numbered as in the file."""

from pathlib import Path

import pandas as pd
import pytest

from etl.readers import ROW_NUMBER, ReadError, read_table

HEADER = "date,event,source_url\n"
ROW = '2024-08-28,"경찰, 허위영상물 집중단속 착수",https://example.org/a\n'


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "encoding, prefix, expected",
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("cp949", b"", "cp949"),
        ("euc-kr", b"", "cp949"),
    ],
)
def test_encodings_are_detected_from_bytes(tmp_path, encoding, prefix, expected):
    # the name says UTF-8 whatever the bytes are: the reader must not trust it
    path = write(tmp_path, "events_utf8.csv", prefix + (HEADER + ROW).encode(encoding))
    table = read_table(path)
    assert table.encoding == expected
    assert table.columns == ["date", "event", "source_url"]
    assert table.frame.loc[0, "event"] == "경찰, 허위영상물 집중단속 착수"
    assert table.frame.loc[0, ROW_NUMBER] == 2


def test_xlsx_is_detected_from_bytes_even_when_named_csv(tmp_path):
    frame = pd.DataFrame(
        {"date": ["2024-10-16"], "event": ["개정법 시행"], "source_url": ["https://example.org/b"]}
    )
    path = tmp_path / "book.csv"
    frame.to_excel(path, index=False, engine="openpyxl")
    table = read_table(path)
    assert table.encoding == "xlsx"
    assert table.frame.loc[0, "event"] == "개정법 시행"
    assert table.frame.loc[0, ROW_NUMBER] == 2


def test_row_numbers_follow_lines_across_quoted_newlines(tmp_path):
    text = (
        HEADER + '2024-01,"two\nlines",https://example.org/a\n2024-02,next,https://example.org/b\n'
    )
    table = read_table(write(tmp_path, "e.csv", text.encode()))
    assert list(table.frame[ROW_NUMBER]) == [2, 4]


def test_nul_bytes_are_refused_with_their_line(tmp_path):
    with pytest.raises(ReadError) as error:
        read_table(write(tmp_path, "e.csv", (HEADER + "2024,a\x00b,https://x.org\n").encode()))
    assert str(error.value) == "e.csv:2: -: contains NUL bytes: not a text CSV file"


def test_bytes_that_are_neither_utf8_nor_cp949_are_refused(tmp_path):
    with pytest.raises(ReadError) as error:
        read_table(write(tmp_path, "e.csv", HEADER.encode() + b"2024,\xff\xfe\xff,x\n"))
    assert error.value.row == 2
    assert "neither UTF-8 nor CP949" in error.value.reason


def test_empty_file_and_extra_fields_are_refused(tmp_path):
    with pytest.raises(ReadError, match="e.csv:1: -: the file is empty"):
        read_table(write(tmp_path, "e.csv", b""))
    with pytest.raises(ReadError, match="e.csv:2: -: has 4 fields but the header has 3"):
        read_table(write(tmp_path, "e.csv", (HEADER + "2024,a,b,c\n").encode()))
