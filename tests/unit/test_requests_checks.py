"""Reading and checking request logs: encodings and layouts recognised from the bytes, chunks
with their source rows, and every rule with its FILE:ROW: column: reason."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from etl.readers import ROW_NUMBER, ReadError, decode_text
from etl.requests import format as log_format
from etl.requests.checks import check_chunk, header_problems, parse_times
from etl.requests.synth import COLUMNS

HEADER = ",".join(COLUMNS[:-1])
ROW = "R-1,2024-09-03T14:05:00+09:00,web,deepfake,telegram,14_19,female,seoul,removed,{done}"


def write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def frame(*rows: dict) -> pd.DataFrame:
    base = dict(zip(COLUMNS[:-1], ROW.format(done="2024-09-04T02:05:00+09:00").split(",")))
    out = pd.DataFrame([{**base, **row} for row in rows], dtype="str")
    out[ROW_NUMBER] = range(2, len(out) + 2)
    return out


def test_times_need_an_offset_and_are_stored_in_korea_time():
    parsed, shaped = parse_times(
        pd.Series(
            [
                "2024-08-31T15:30:00Z",
                "2024-09-01T00:30:00+09:00",
                "2024-09-01 00:30",
                "2024-09-01T02:30:00+11:00",
                "",
            ],
            dtype="str",
        )
    )
    assert shaped.tolist() == [True, True, False, True, False]
    assert parsed[0] == parsed[1] == pd.Timestamp("2024-09-01 00:30")
    assert parsed[3] == pd.Timestamp("2024-09-01 00:30")
    assert pd.isna(parsed[2]) and pd.isna(parsed[4])


def test_valid_rows_come_out_typed():
    valid, problems = check_chunk(frame({}, {"request_id": "SYN-000000001"}), "log.csv")
    assert problems == []
    first = valid.iloc[0]
    assert first["received_at"] == pd.Timestamp("2024-09-03 14:05")
    assert first["received_date"] == pd.Timestamp("2024-09-03")
    assert first["hours_to_action"] == 12.0
    assert first["row_number"] == 2
    # an id from the generator is synthetic even without the column
    assert valid["is_synthetic"].tolist() == [False, True]


def test_codes_are_trimmed_of_case():
    valid, problems = check_chunk(frame({"platform": "Telegram", "outcome": "REMOVED"}), "f.csv")
    assert problems == [] and valid.iloc[0]["platform"] == "telegram"


@pytest.mark.parametrize(
    "change, column, reason",
    [
        ({"request_id": ""}, "request_id", "request_id is empty"),
        ({"request_id": "R 1"}, "request_id", "must be 1 to 64 letters"),
        ({"channel": "fax"}, "channel", "must be one of: hotline, web, police, school"),
        ({"victim_age_group": "10s"}, "victim_age_group", "must be one of: under14, 14_19"),
        ({"region": "tokyo"}, "region", "must be one of: seoul, busan"),
        ({"received_at": "2024-09-03"}, "received_at", "not an ISO 8601 date-time"),
        ({"received_at": "2024-13-03T10:00:00+09:00"}, "received_at", "not a calendar date"),
        (
            {
                "received_at": "1999-12-31T10:00:00+09:00",
                "actioned_at": "2000-01-01T10:00:00+09:00",
            },
            "received_at",
            "outside 2000 to today",
        ),
        ({"outcome": "pending"}, "actioned_at", "must be empty while the outcome is pending"),
        ({"actioned_at": ""}, "actioned_at", "required unless the outcome is pending"),
        ({"actioned_at": "2024-09-03T14:00:00+09:00"}, "actioned_at", "before received_at"),
        ({"synthetic": "maybe"}, "synthetic", "must be true or false"),
    ],
)
def test_each_rule_names_row_column_and_reason(change, column, reason):
    rows = frame({}, {"synthetic": "", **change})
    valid, problems = check_chunk(rows, "log.csv")
    assert [(p.row, p.column) for p in problems] == [(3, column)]
    assert reason in problems[0].reason
    assert str(problems[0]).startswith(f"log.csv:3: {column}: ")
    assert valid["row_number"].tolist() == [2]


def test_a_future_request_is_refused():
    later = (dt.datetime.now() + dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S+09:00")
    _, problems = check_chunk(
        frame({"received_at": later, "outcome": "pending", "actioned_at": ""}), "f.csv"
    )
    assert [p.reason for p in problems] == ["outside 2000 to today (got '" + later + "')"]


def test_header_problems_name_missing_unknown_and_repeated_columns():
    problems = header_problems("log.csv", [*COLUMNS[:-2], "outcome", "notes"])
    assert [(p.column, p.reason.split(" (")[0]) for p in problems] == [
        ("outcome", "header name appears twice"),
        ("actioned_at", "required column is missing from the request log"),
        ("notes", "unknown column for the request log"),
    ]


@pytest.mark.parametrize(
    "encoding, expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp949", "cp949")]
)
def test_encodings_are_recognised_from_the_bytes_as_the_readers_do(tmp_path, encoding, expected):
    text = f"{HEADER}\n" + ROW.replace("R-1", "요청-1").format(done="2024-09-04T02:05:00+09:00")
    path = write(tmp_path, "log.txt", text + "\n", encoding)
    log = log_format.sniff(path)
    assert (log.format, log.encoding) == ("csv", expected)
    assert decode_text(path.read_bytes(), path.name)[1] == expected
    chunk = next(log_format.read_chunks(log))
    assert chunk.frame["request_id"].tolist() == ["요청-1"]
    _, problems = check_chunk(chunk.frame, log.name)
    assert "(got '요청-1')" in problems[0].reason


def test_other_layouts_are_left_to_the_figure_reader(tmp_path):
    assert log_format.sniff(write(tmp_path, "figures.csv", "metric,value\nx,1\n")) is None


def test_bytes_that_are_no_text_are_refused_with_their_line(tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes(f"{HEADER}\n".encode() + b"R-1,\xff\xfe\xff\n")
    with pytest.raises(ReadError) as error:
        log_format.sniff(path)
    assert str(error.value) == "log.csv:2: -: the bytes are neither UTF-8 nor CP949/EUC-KR text"


def test_chunks_keep_the_line_of_each_record(tmp_path):
    rows = [ROW.replace("R-1", f"R-{i}").format(done="") for i in range(7)]
    text = HEADER + "\n" + rows[0] + "\n\n" + "\n".join(rows[1:]) + ",x,y\n"
    log = log_format.sniff(write(tmp_path, "log.csv", text))
    chunks = list(log_format.read_chunks(log, chunk_rows=3))
    assert [len(c.frame) for c in chunks] == [3, 3, 0]  # the last holds only the bad record
    assert [n for c in chunks for n in c.frame[ROW_NUMBER]] == [2, 4, 5, 6, 7, 8]
    assert chunks[-1].row_problems == [(9, "-", "has 12 fields but the header has 10")]


def test_parquet_logs_are_read_in_batches(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    stamps = pd.to_datetime(["2024-09-03T05:05:00Z"] * 5, utc=True)
    table = pa.table(
        {
            "request_id": [f"R-{i}" for i in range(5)],
            "received_at": pa.array(stamps),
            **{
                c: ["web", "deepfake", "x", "20s", "female", "seoul", "pending"][k : k + 1] * 5
                for k, c in enumerate(COLUMNS[2:9])
            },
            "actioned_at": pa.array([None] * 5, pa.timestamp("us", tz="UTC")),
            "synthetic": [False] * 5,
        }
    )
    path = tmp_path / "log.parquet"
    pq.write_table(table, path, row_group_size=2)
    log = log_format.sniff(path)
    assert log.format == "parquet"
    chunks = list(log_format.read_chunks(log, chunk_rows=2))
    assert [n for c in chunks for n in c.frame[ROW_NUMBER]] == [1, 2, 3, 4, 5]
    first = chunks[0].frame.iloc[0]
    assert first["received_at"] == "2024-09-03T14:05:00+09:00"
    assert (first["actioned_at"], first["synthetic"]) == ("", "false")
    valid, problems = check_chunk(chunks[0].frame, log.name)
    assert problems == [] and len(valid) == 2
