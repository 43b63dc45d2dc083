"""CSV writing: formula neutralisation, cell formats, BOM, and streaming in chunks."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from web.csvout import csv_line, format_cell, format_number, neutralise, stream_csv, to_csv_bytes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '=HYPERLINK("http://evil.example","click")',
            '\'=HYPERLINK("http://evil.example","click")',
        ),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("경찰청 (KNPA)", "경찰청 (KNPA)"),
        ("10-19", "10-19"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise_prefixes_only_formula_starts(text, expected):
    assert neutralise(text) == expected


def test_numbers_dates_and_booleans_are_not_neutralised():
    assert format_cell(-5.0) == "-5"
    assert format_cell(-0.5) == "-0.5"
    assert format_cell(1202.0) == "1202"
    assert format_cell(24.2) == "24.2"
    assert format_cell(7) == "7"
    assert format_cell(True) == "true"
    assert format_cell(False) == "false"
    assert format_cell(dt.date(2024, 12, 31)) == "2024-12-31"
    assert format_cell(None) == ""
    assert format_cell("-5") == "'-5"  # text that looks like a number is still text


def test_format_number_drops_needless_decimals_and_non_finite_values():
    assert format_number(1202.0) == 1202 and isinstance(format_number(1202.0), int)
    assert format_number(27.8) == 27.8
    assert format_number(float("nan")) is None
    assert format_number(float("inf")) is None
    assert format_number(None) is None


def test_csv_line_quotes_commas_quotes_and_newlines():
    line = csv_line(["a,b", 'say "hi"', "two\nlines", 3.0])
    assert line == '"a,b","say ""hi""","two\nlines",3\r\n'
    assert next(csv.reader(io.StringIO(line))) == ["a,b", 'say "hi"', "two\nlines", "3"]


def test_bom_by_default_and_plain_utf8_on_request():
    rows = [{"metric": "m", "value": 1.0, "notes": "=1+1"}]
    with_bom = to_csv_bytes(["metric", "value", "notes"], rows)
    plain = to_csv_bytes(["metric", "value", "notes"], rows, encoding="utf-8")
    assert with_bom == b"\xef\xbb\xbfmetric,value,notes\r\nm,1,'=1+1\r\n"
    assert plain == b"metric,value,notes\r\nm,1,'=1+1\r\n"


def test_stream_yields_the_header_then_one_block_per_chunk():
    chunks = [[{"a": 1}, {"a": 2}], [], [{"a": 3}]]
    blocks = list(stream_csv(["a"], iter(chunks), encoding="utf-8"))
    assert blocks == [b"a\r\n", b"1\r\n2\r\n", b"3\r\n"]


def test_stream_is_lazy():
    pulled = []

    def chunks():
        for n in range(3):
            pulled.append(n)
            yield [{"a": n}]

    stream = stream_csv(["a"], chunks(), encoding="utf-8")
    assert next(stream) == b"a\r\n" and pulled == []
    assert next(stream) == b"0\r\n" and pulled == [0]
