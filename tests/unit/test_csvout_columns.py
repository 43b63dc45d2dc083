"""CSV written from rows as a database driver reads them (`stream_csv_rows`): byte for byte what
`stream_csv` writes for the same values, whatever the cells hold, however the rows are chunked
and whichever columns repeat together."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from web.csvout import REPEATS, read_stored, stream_csv, stream_csv_rows, to_csv_bytes

HOSTILE_TEXT = [
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "=",
    "a,b",
    'say "hi"',
    '"',
    "two\nlines",
    "carriage\rreturn",
    "crlf\r\n",
    "경찰청 (KNPA), 방송통신심의위원회",
    "'36시간 이내'",
    "10-19",
    "a=b",
    "",
    " leading space",
    "nul\x00inside",
    "\x00=after a nul",
    "tab\tinside",
]
ODD_VALUES = [
    None,
    float("nan"),
    float("inf"),
    float("-inf"),
    True,
    False,
    0,
    1,
    -5.0,
    -0.0,
    1202.0,
    24.2,
    0.1 + 0.2,
    1e20,
    2**53,
    2**53 + 1,
    10**20,
    Decimal("1.0"),
    Decimal("0.10"),
    dt.date(2024, 12, 31),
    dt.datetime(2024, 1, 2, 3, 4, 5),
    dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
]


def chunked(rows: list[tuple], chunk_size: int) -> list[list[tuple]]:
    return [rows[start : start + chunk_size] for start in range(0, len(rows), chunk_size)]


def as_dicts(columns: list[str], rows: list[tuple], readers=None) -> list[dict]:
    readers = readers or [None] * len(columns)
    return [dict(zip(columns, map(read_stored, row, readers), strict=True)) for row in rows]


def written(
    columns: list[str], rows: list[tuple], chunk_size: int, encoding: str, readers=None
) -> bytes:
    return b"".join(stream_csv_rows(columns, chunked(rows, chunk_size), encoding, readers))


def reference(columns: list[str], rows: list[tuple], encoding: str, readers=None) -> bytes:
    return to_csv_bytes(columns, as_dicts(columns, rows, readers), encoding)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8"])
@pytest.mark.parametrize("chunk_size", [1, 3, 1000])
def test_hostile_text_and_odd_values_match_the_csv_module(encoding, chunk_size):
    columns = ["text", "odd", "mixed", "date", "flag", "value"]
    rows = []
    for n in range(max(len(HOSTILE_TEXT), len(ODD_VALUES))):
        text = HOSTILE_TEXT[n % len(HOSTILE_TEXT)]
        odd = ODD_VALUES[n % len(ODD_VALUES)]
        rows.append(
            (
                text,
                odd,
                (text, odd)[n % 2],
                dt.date(2020 + n % 3, 1 + n % 12, 1) if n % 4 else None,
                bool(n % 3) if n % 5 else None,
                ODD_VALUES[(n * 7) % len(ODD_VALUES)],
            )
        )
    expected = reference(columns, rows, encoding)
    assert written(columns, rows, chunk_size, encoding) == expected
    assert "'=HYPERLINK(" in expected.decode("utf-8-sig")  # the reference does neutralise


def test_values_that_compare_equal_but_print_apart_stay_apart():
    columns = ["a", "b"]
    rows = [(True, 1), (1, True), (1.0, Decimal("1.0")), (False, 0), (0.0, -0.0), (None, "")]
    seoul = dt.timezone(dt.timedelta(hours=9))
    rows += [(Decimal("1.00"), dt.datetime(2024, 1, 1, 9, tzinfo=seoul))]
    rows += [(Decimal("1.0"), dt.datetime(2024, 1, 1, 0, tzinfo=dt.UTC))]
    expected = reference(columns, rows, "utf-8-sig")
    assert b"true,1\r\n1,true\r\n1,1.0\r\nfalse,0\r\n0,0\r\n,\r\n1.00," in expected
    for chunk_size in (1, 2, 100):
        assert written(columns, rows, chunk_size, "utf-8-sig") == expected


def test_a_remembered_column_that_changes_kind_is_written_anew():
    """1 and True are equal keys: a column remembered with flags that later holds numbers
    (in another chunk) must not reuse the flags' cells."""
    columns = ["flag", "note"]
    rows = [(n % 2 == 0, "same") for n in range(40)] + [(n % 2, "same") for n in range(40)]
    expected = reference(columns, rows, "utf-8")
    assert expected.count(b"true,same") == 20 and expected.count(b"\r\n1,same") == 20
    for chunk_size in (40, 20, 7):
        assert written(columns, rows, chunk_size, "utf-8") == expected


def test_a_new_kind_in_a_remembered_column_never_takes_an_equal_value_s_cell():
    """Text remembered, then flags and numbers equal to one another; numbers remembered, then
    flags and decimals equal to them: each is written as itself."""
    columns = ["a", "b"]
    rows = [(b"x", 5)] * 40 + [(True, 5), (1, 5), (1.0, 5), (Decimal("1.0"), 5)] * 3
    rows += [(1, 5)] * 20 + [(True, 1)] * 20 + [(1, 1.0)] * 20 + [(1, Decimal("1.0"))] * 20
    expected = reference(columns, rows, "utf-8")
    assert b"\r\ntrue,5\r\n1,5\r\n1,5\r\n1.0,5\r\n" in expected
    assert b"\r\n1,1\r\n1,1.0\r\n" in expected
    for chunk_size in (40, 20, 12, 7, 1000):
        assert written(columns, rows, chunk_size, "utf-8") == expected


def test_mostly_distinct_text_then_formulas_quotes_and_gaps():
    """A column of distinct text is written by passes over whole chunks; formulas, quotes and
    missing values arriving later in it are still written as the csv module writes them."""
    columns = ["id", "note", "value"]
    rows = [(f"copy-{n:07d}", "same note", n / 4) for n in range(200)]
    rows += [(text, text, 1.0) for text in HOSTILE_TEXT]
    rows += [(f"copy-{n:07d}", "후속, 메모", None) for n in range(200, 260)]
    rows += [(None, None, 2.5), ("=late", '"late"', 3.0)]
    rows += [(f"x{n}", f"{n % 3}", n) for n in range(400)]
    expected = reference(columns, rows, "utf-8-sig")
    for chunk_size in (10, 25, 50):
        assert written(columns, rows, chunk_size, "utf-8-sig") == expected


def test_rows_shaped_like_an_export_match_the_csv_module():
    """Columns that repeat together (a metric, a source and its notes), a distinct one between
    them, numbers that repeat and numbers that do not: every way of chunking writes the same
    bytes."""
    sources = [("KNPA", "경찰청 보도자료, 2024", "https://example.org/a"), ("=evil", 'a "b"', "")]
    rows = []
    for n in range(3000):
        source = sources[(n // 7) % 2]
        value = float(n % 11) if n < 1500 else n / 3
        rows.append((f"metric_{n // 500}", f"copy-{n:07d}", value, n % 3 == 0, *source))
    columns = ["metric", "category", "value", "flag", "org", "title", "url"]
    expected = reference(columns, rows, "utf-8-sig")
    for chunk_size in (1, 4 * REPEATS - 1, 500, 5000):
        assert written(columns, rows, chunk_size, "utf-8-sig") == expected


def test_stored_bytes_and_readers_write_what_the_read_values_write():
    """On SQLite text comes as its UTF-8 bytes and dates and flags as stored: each stored value
    is read (decoded, then the column's reader) before it is written."""
    readers = [None, dt.date.fromisoformat, bool, None]
    columns = ["text", "date", "flag", "value"]
    texts = [t.encode("utf-8") for t in HOSTILE_TEXT] + [b"plain", "str too"]
    rows = [
        (texts[n % len(texts)], [None, b"2024-01-31", b"2019-09-01"][n % 3], n % 2, n / 8)
        for n in range(300)
    ]
    rows += [(f"row-{n}".encode(), b"2020-02-29", 1, 7.0) for n in range(300)]
    expected = reference(columns, rows, "utf-8-sig", readers)
    assert b"2024-01-31,false," in expected and b"'=HYPERLINK(" in expected
    for chunk_size in (1, 9, 100, 1000):
        assert written(columns, rows, chunk_size, "utf-8-sig", readers) == expected


@pytest.mark.parametrize("chunk_size", [1, 50])
def test_stored_bytes_that_are_not_utf8_are_refused(chunk_size):
    rows = [(f"ok-{n}".encode(), 1) for n in range(40)] + [(b"\xff\xfe", 1)]
    with pytest.raises(UnicodeDecodeError):
        written(["text", "n"], rows, chunk_size, "utf-8")


def test_random_rows_in_random_chunks_match_the_csv_module():
    generator = random.Random(20241231)
    alphabet = list("ab,\"'\r\n\t=+-@ 가나0.") + ["\x00", "경찰청"]
    kinds = [
        lambda: "".join(generator.choices(alphabet, k=generator.randint(0, 6))),
        lambda: generator.choice([None, True, False]),
        lambda: generator.choice([None, 0.5, 3.0, -7.0, 1e300, float("nan"), 12]),
        lambda: generator.choice([None, dt.date(2024, 1, 1), dt.date(1999, 12, 31)]),
        lambda: generator.choice(HOSTILE_TEXT + [None]),
        lambda: generator.choice([b"stored", b"=x", "경찰청".encode(), b"a,b"]),
        lambda: generator.choice(["a", "b"]),
    ]
    columns = [f"c{n}" for n in range(len(kinds))]
    for _ in range(30):
        rows = [tuple(kind() for kind in kinds) for _ in range(generator.randint(0, 120))]
        expected = reference(columns, rows, "utf-8")
        chunk_size = generator.randint(1, 40)
        assert written(columns, rows, chunk_size, "utf-8") == expected


def test_a_single_column_keeps_the_csv_module_quoting_of_an_empty_cell():
    rows = [("",), (None,), ("=1",), ("a",), (b"",)]
    assert written(["only"], rows, 2, "utf-8") == b'only\r\n""\r\n""\r\n\'=1\r\na\r\n""\r\n'
    assert written(["only"], rows, 2, "utf-8") == reference(["only"], rows, "utf-8")


def test_blocks_come_one_per_chunk_and_empty_chunks_are_skipped():
    chunks = [[("a", 1), ("b", 2)], [], [("c", 3.5)]]
    blocks = list(stream_csv_rows(["x", "y"], iter(chunks), encoding="utf-8"))
    assert blocks == [b"x,y\r\n", b"a,1\r\nb,2\r\n", b"c,3.5\r\n"]
    dicts = [[{"x": "a", "y": 1}, {"x": "b", "y": 2}], [], [{"x": "c", "y": 3.5}]]
    assert b"".join(blocks) == b"".join(stream_csv(["x", "y"], dicts, encoding="utf-8"))


@pytest.mark.parametrize("chunk", [[("a",)], [("a", 1), ("b",)], [("a", 1, 2)]])
def test_a_row_of_the_wrong_width_is_refused(chunk):
    with pytest.raises(ValueError, match="each row must hold 2 values"):
        list(stream_csv_rows(["x", "y"], [chunk]))


def test_one_reader_per_column():
    with pytest.raises(ValueError, match="2 columns but 1 readers"):
        list(stream_csv_rows(["x", "y"], [[("a", 1)]], readers=[None]))
