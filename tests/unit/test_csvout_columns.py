"""CSV written from rows given by column: byte for byte what `stream_csv` writes for the same
rows, whatever the cells hold and however the rows are chunked."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from web.csvout import CHUNKS_BY_PASSES, stream_csv, stream_csv_columns, to_csv_bytes

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


def by_column(rows: list[tuple], chunk_size: int) -> list[list[list]]:
    chunks = []
    for start in range(0, len(rows), chunk_size):
        part = rows[start : start + chunk_size]
        chunks.append([list(column) for column in zip(*part, strict=True)])
    return chunks


def as_dicts(columns: list[str], rows: list[tuple]) -> list[dict]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


def written(columns: list[str], rows: list[tuple], chunk_size: int, encoding: str) -> bytes:
    return b"".join(stream_csv_columns(columns, by_column(rows, chunk_size), encoding))


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
    expected = to_csv_bytes(columns, as_dicts(columns, rows), encoding)
    assert written(columns, rows, chunk_size, encoding) == expected
    assert "'=HYPERLINK(" in expected.decode("utf-8-sig")  # the reference does neutralise


def test_values_that_compare_equal_but_print_apart_stay_apart():
    columns = ["a", "b"]
    rows = [(True, 1), (1, True), (1.0, Decimal("1.0")), (False, 0), (0.0, -0.0), (None, "")]
    seoul = dt.timezone(dt.timedelta(hours=9))
    rows += [(Decimal("1.00"), dt.datetime(2024, 1, 1, 9, tzinfo=seoul))]
    rows += [(Decimal("1.0"), dt.datetime(2024, 1, 1, 0, tzinfo=dt.UTC))]
    expected = to_csv_bytes(columns, as_dicts(columns, rows))
    assert b"true,1\r\n1,true\r\n1,1.0\r\nfalse,0\r\n0,0\r\n,\r\n1.00," in expected
    for chunk_size in (1, 2, 100):
        assert written(columns, rows, chunk_size, "utf-8-sig") == expected


def test_mostly_distinct_text_then_formulas_quotes_and_gaps():
    """A column of distinct text is written by passes over whole chunks; formulas, quotes and
    missing values arriving later in it are still written as the csv module writes them."""
    columns = ["id", "note", "value"]
    rows = [(f"copy-{n:07d}", "same note", n / 4) for n in range(200)]
    rows += [(text, text, 1.0) for text in HOSTILE_TEXT]
    rows += [(f"copy-{n:07d}", "후속, 메모", None) for n in range(200, 260)]
    rows += [(None, None, 2.5), ("=late", '"late"', 3.0)]
    rows += [(f"x{n}", f"{n % 3}", n) for n in range(50 * CHUNKS_BY_PASSES)]
    expected = to_csv_bytes(columns, as_dicts(columns, rows))
    for chunk_size in (10, 25, 50):
        assert written(columns, rows, chunk_size, "utf-8-sig") == expected


def test_random_rows_in_random_chunks_match_the_csv_module():
    generator = random.Random(20241231)
    alphabet = list("ab,\"'\r\n\t=+-@ 가나0.") + ["\x00", "경찰청"]
    kinds = [
        lambda: "".join(generator.choices(alphabet, k=generator.randint(0, 6))),
        lambda: generator.choice([None, True, False]),
        lambda: generator.choice([None, 0.5, 3.0, -7.0, 1e300, float("nan"), 12]),
        lambda: generator.choice([None, dt.date(2024, 1, 1), dt.date(1999, 12, 31)]),
        lambda: generator.choice(HOSTILE_TEXT + [None]),
    ]
    columns = [f"c{n}" for n in range(len(kinds))]
    for _ in range(30):
        rows = [tuple(kind() for kind in kinds) for _ in range(generator.randint(0, 120))]
        expected = to_csv_bytes(columns, as_dicts(columns, rows), "utf-8")
        chunk_size = generator.randint(1, 40)
        assert written(columns, rows, chunk_size, "utf-8") == expected


def test_a_single_column_keeps_the_csv_module_quoting_of_an_empty_cell():
    rows = [("",), (None,), ("=1",), ("a",)]
    assert written(["only"], rows, 2, "utf-8") == b'only\r\n""\r\n""\r\n\'=1\r\na\r\n'
    assert written(["only"], rows, 2, "utf-8") == to_csv_bytes(
        ["only"], as_dicts(["only"], rows), "utf-8"
    )


def test_blocks_come_one_per_chunk_and_empty_chunks_are_skipped():
    chunks = [[["a", "b"], [1, 2]], [], [[], []], [["c"], [3.5]]]
    blocks = list(stream_csv_columns(["x", "y"], iter(chunks), encoding="utf-8"))
    assert blocks == [b"x,y\r\n", b"a,1\r\nb,2\r\n", b"c,3.5\r\n"]
    reference = [[{"x": "a", "y": 1}, {"x": "b", "y": 2}], [], [{"x": "c", "y": 3.5}]]
    assert b"".join(blocks) == b"".join(stream_csv(["x", "y"], reference, encoding="utf-8"))


@pytest.mark.parametrize("chunk", [[["a", "b"]], [["a", "b"], [1]], [["a"], [1], [2]]])
def test_a_chunk_of_the_wrong_shape_is_refused(chunk):
    with pytest.raises(ValueError, match="2 columns of one length"):
        list(stream_csv_columns(["x", "y"], [chunk]))
