"""The bulk paths of the request-log ingest give exactly what the general paths give: Arrow
batches hold the records and lines the `csv` module reads, fixed-position times equal pandas'
reading, a first load straight into `requests` equals a staged merge (and so does a later load
with changes), and PostgreSQL's COPY path gives SQLite's rows and rollups."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from sqlalchemy import inspect, text

from db.engine import create_schema, make_engine
from etl import load
from etl.readers import ROW_NUMBER, ReadError
from etl.requests import bulk, ingest
from etl.requests import format as log_format
from etl.requests.checks import parse_times, read_times
from etl.requests.synth import COLUMNS
from tests.conftest import needs_postgres
from tests.integration.test_requests_ingest import BAD, SMALL, UPDATE, synthetic_log

HEADER = ",".join(COLUMNS)
ROW = "R-{n},2024-09-03T14:05:00+09:00,web,deepfake,telegram,14_19,female,seoul,removed,{done},"
DONE = "2024-09-04T02:05:00+09:00"
# every odd shape a line can take without quotes: padded values and codes in capitals, an offset
# other than Korea's, a blank line, a line of spaces, a short record, a record with blank extra
# fields, one with a filled extra field, CRLF endings, no newline at the end
AWKWARD_LINES = [
    ROW.format(n=1, done=DONE),
    "  R-2 , 2024-09-03T05:05:00Z ,WEB, Deepfake ,telegram,14_19,female,seoul,pending,,TRUE",
    "",
    ROW.format(n=3, done="2024-09-04T02:05:00.5+05:30"),
    "   ",
    "R-4,2024-09-03T14:05:00+09:00,web",
    ROW.format(n=5, done=DONE) + ",,",
    ROW.format(n=6, done=DONE) + ",extra",
    ROW.format(n=1, done="2024-09-05T02:05:00+09:00"),  # repeats row 2
    ROW.format(n=7, done="2024-02-30T02:05:00+09:00"),
]


def awkward_log(tmp_path, newline: str = "\n", body_extra: str = ""):
    path = tmp_path / f"awkward{len(newline)}{len(body_extra)}.csv"
    lines = [f'"{HEADER.replace(",", chr(34) + "," + chr(34))}"', *AWKWARD_LINES]
    path.write_bytes((newline.join(lines) + body_extra).encode())
    return path


def records_of(chunks) -> list[tuple[int, dict]]:
    return [
        (int(number), record)
        for frame in chunks
        for number, record in zip(
            frame[ROW_NUMBER], frame.drop(columns=ROW_NUMBER).to_dict("records")
        )
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("chunk_rows", [2, 1000])
def test_arrow_batches_hold_the_records_and_lines_the_csv_module_reads(
    tmp_path, newline, chunk_rows
):
    log = log_format.sniff(awkward_log(tmp_path, newline))
    assert log.one_record_a_line
    chunks = list(log_format.read_chunks(log, chunk_rows))
    batches = list(log_format.read_batches(log, chunk_rows))
    expected = records_of(c.frame for c in chunks)
    got = [
        (int(number), record)
        for batch in batches
        for number, record in zip(batch.rows, batch.table.to_pylist())
    ]
    assert got == expected
    assert [n for n, _ in got] == [2, 3, 5, 7, 8, 10, 11]
    assert got[1][1]["request_id"] == "R-2" and got[1][1]["channel"] == "WEB"
    assert got[3][1]["content_type"] == ""  # the short record, padded
    problems = [p for b in batches for p in b.row_problems]
    assert problems == [p for c in chunks for p in c.row_problems]
    assert problems == [(9, "-", "has 12 fields but the header has 11")]
    assert batches[-1].bytes_read == log.size_bytes


def test_a_log_with_quotes_in_its_rows_is_read_by_the_csv_module(tmp_path):
    path = awkward_log(tmp_path, body_extra='\nR-8,"2024-09-03T14:05:00+09:00",web,x,y,z,w,v,u,,')
    log = log_format.sniff(path)
    assert not log.one_record_a_line
    batches = list(log_format.read_batches(log))
    assert batches[-1].rows[-1] == 12
    assert batches[-1].table.column("received_at").to_pylist()[-1] == "2024-09-03T14:05:00+09:00"


def test_a_field_longer_than_the_csv_module_reads_is_refused_alike(tmp_path):
    path = tmp_path / "huge.csv"
    huge = "x" * 200_000
    path.write_text(
        f"{HEADER}\n{ROW.format(n=1, done=DONE)}\nR-2,{huge},{','.join('' for _ in COLUMNS[2:])}\n"
    )
    log = log_format.sniff(path)
    assert log.one_record_a_line
    errors = []
    previous = csv.field_size_limit(131_072)  # the csv module's own default, whatever ran before
    try:
        for reader in (log_format.read_chunks, log_format.read_batches):
            with pytest.raises(ReadError) as error:
                list(reader(log))
            errors.append(str(error.value))
    finally:
        csv.field_size_limit(previous)
    assert errors[0] == errors[1]
    assert errors[0].startswith("huge.csv:3: -: malformed CSV: field larger than field limit")


def test_times_read_by_position_equal_pandas_reading():
    texts = [
        "2024-09-03T14:05:00+09:00",
        "2024-09-03 14:05:00+09:00",
        "2024-08-31T15:30:00Z",
        "2024-09-03T14:05:00-05:30",
        "2024-09-03T14:05:00+14:00",
        "2024-09-03T14:05:00+15:00",
        "2024-09-03T14:05:00+23:59",
        "2024-02-29T00:00:00+09:00",
        "2023-02-29T00:00:00+09:00",
        "2100-02-29T00:00:00+09:00",
        "2000-02-29T23:59:59+09:00",
        "2024-04-31T10:00:00+09:00",
        "2024-13-03T10:00:00+09:00",
        "2024-00-03T10:00:00+09:00",
        "2024-09-00T10:00:00+09:00",
        "2024-09-03T24:00:00+09:00",
        "2024-09-03T23:60:00+09:00",
        "2024-09-03T23:59:60+09:00",
        "1899-12-31T23:59:59+09:00",
        "2201-01-01T00:00:00+09:00",
        "1970-01-01T00:00:00Z",
        "2024-09-03t14:05:00+09:00",
        "2024-09-03T14:05:00z",
        "2024-09-03T14:05:00.123456+09:00",
        "2024-09-03T14:05+09:00",
        "2024-09-03T14:05:00+0900",
        "2024/09/03T14:05:00+09:00",
        "2024-09-03T14:05:00+09-00",
        "２０２４-09-03T14:05:00+09:00",
        "abcd-ef-ghTij:kl:mn+op:qr",
        "",
    ]
    rng = np.random.default_rng(5)
    seconds = rng.integers(946_684_800, 1_893_456_000, 2000)
    stamps = pd.to_datetime(seconds, unit="s")
    offsets = rng.choice(["+09:00", "Z", "-03:00", "+05:45", "+12:30"], 2000)
    texts += [s.strftime("%Y-%m-%dT%H:%M:%S") + o for s, o in zip(stamps, offsets)]
    series = pd.Series(texts, dtype="str")
    parsed, shaped = parse_times(series)
    times = read_times(pa.array(texts, pa.string()))
    assert times.shaped.tolist() == shaped.tolist()
    assert times.parsed.tolist() == parsed.notna().tolist()
    known = parsed.notna().to_numpy()
    assert times.micros[known].tolist() == parsed[known].to_numpy().view(np.int64).tolist()


# ---------------------------------------------------------------------------------------------
# Whole loads compared


def dump_sqlite(path) -> dict:
    """Every request table's rows, without what differs between two equal runs (times of day
    the run started, surrogate ids)."""
    connection = sqlite3.connect(path)
    try:
        out = {}
        for table in (
            "requests",
            "request_history",
            "request_counts",
            "request_action_times",
            "rejected_rows",
            "etl_runs",
        ):
            names = [
                row[1]
                for row in connection.execute(f"pragma table_info({table})")
                if row[1] not in ("started_at", "finished_at", "id", "history_id")
            ]
            rows = connection.execute(f"select {', '.join(names)} from {table}").fetchall()
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        connection.close()


def load_all(url: str, batches: list[list], skip_invalid: bool = True) -> list[str]:
    engine = make_engine(url)
    create_schema(engine)
    lines = []
    for files in batches:
        report = load.run([str(f) for f in files], engine, write=True, skip_invalid=skip_invalid)
        lines += report.lines
    engine.dispose()
    return lines


def test_a_first_load_straight_into_requests_equals_a_staged_merge(tmp_path, monkeypatch):
    awkward = awkward_log(tmp_path)
    loads = [[awkward, synthetic_log(tmp_path, 3000, 21), SMALL], [UPDATE, BAD]]
    direct_path = tmp_path / "direct.db"
    direct = load_all(f"sqlite:///{direct_path}", loads)
    monkeypatch.setattr(ingest, "_loads_without_staging", lambda _connection: False)
    staged_path = tmp_path / "staged.db"
    staged = load_all(f"sqlite:///{staged_path}", loads)
    assert direct == staged
    assert direct[0] == (
        "awkward10.csv: request log, 8 rows read, 4 new, 0 updated (earlier versions kept),"
        " 0 unchanged, 4 rejected (run 1)"
    )
    assert dump_sqlite(direct_path) == dump_sqlite(staged_path)
    connection = sqlite3.connect(direct_path)
    rejected = connection.execute(
        "select row_number, reason from rejected_rows where column_name = 'request_id'"
    ).fetchall()
    indexes = {row[1] for row in connection.execute("pragma index_list(requests)")}
    connection.close()
    assert rejected[0] == (10, "repeats row 2: a request appears once in a file")
    assert {"ix_requests_received_date", "ix_requests_run"} <= indexes


def test_a_first_load_with_problems_writes_nothing_and_keeps_the_indexes(tmp_path):
    path = tmp_path / "refused.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    create_schema(engine)
    report = load.run([str(synthetic_log(tmp_path, 500, 3)), str(BAD)], engine, write=True)
    assert not report.written and len(report.problems) == 10
    with engine.connect() as connection:
        assert connection.execute(text("select count(*) from requests")).scalar() == 0
    assert {i["name"] for i in inspect(engine).get_indexes("requests")} == {
        "ix_requests_received_date",
        "ix_requests_run",
    }
    engine.dispose()


def _normalised(rows) -> list[tuple]:
    """Rows with times and days as text and booleans as 0 or 1, as SQLite returns them."""
    out = []
    for row in rows:
        values = []
        for value in row:
            if isinstance(value, dt.datetime):
                value = value.strftime("%Y-%m-%d %H:%M:%S.%f")
            elif isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, bool):
                value = int(value)
            values.append(value)
        out.append(tuple(values))
    return sorted(out, key=repr)


@needs_postgres
def test_copy_into_postgresql_gives_the_rows_and_rollups_of_sqlite(tmp_path, pg_url):
    loads = [[awkward_log(tmp_path), synthetic_log(tmp_path, 3000, 22), SMALL], [UPDATE, BAD]]
    sqlite_path = tmp_path / "lite.db"
    assert load_all(f"sqlite:///{sqlite_path}", loads) == load_all(pg_url, loads)
    lite = dump_sqlite(sqlite_path)
    engine = make_engine(pg_url)
    with engine.connect() as connection:
        for table, rows in lite.items():
            if table in ("etl_runs", "rejected_rows"):
                continue
            names = [
                c["name"]
                for c in inspect(connection).get_columns(table)
                if c["name"] not in ("history_id",)
            ]
            pg_rows = connection.execute(text(f"select {', '.join(names)} from {table}")).all()
            assert _normalised(pg_rows) == rows, table
        rejected = connection.execute(
            text(
                "select run_id, file_name, row_number, column_name, reason, raw_row"
                " from rejected_rows"
            )
        ).all()
        assert {i["name"] for i in inspect(connection).get_indexes("requests")} == {
            "ix_requests_received_date",
            "ix_requests_run",
        }
    engine.dispose()
    assert sorted(map(tuple, rejected), key=repr) == lite["rejected_rows"]


def test_sqlite_multi_row_inserts_store_what_sqlalchemy_stores(tmp_path):
    """The SQLite bulk path (many rows a statement, the day computed by SQLite, constants
    written into the statement) stores each value as SQLAlchemy's own insert does, for a count
    of rows that is no multiple of the rows a statement, and counts what it inserted."""
    log = log_format.sniff(synthetic_log(tmp_path, 150, 5))
    batch = next(log_format.read_batches(log))
    rows, problems = ingest.check_batch(batch.table, batch.rows, log.name)
    assert not problems and len(rows) == 150
    constants = {"version": 1, "run_id": 1, "file_name": "it's; \"odd\".csv"}
    dumps = []
    for name, fast in (("fast", True), ("general", False)):
        engine = make_engine(f"sqlite:///{tmp_path / name}.db")
        create_schema(engine)
        with engine.begin() as connection:
            connection.execute(
                ingest.insert(ingest.EtlRun).values(
                    run_id=1, file_name="f", file_kind="requests", sha256="s",
                    started_at=dt.datetime(2024, 1, 1), outcome="loaded",
                )
            )  # fmt: skip
            if fast:
                table = ingest.Request.__table__
                assert bulk.insert_rows(connection, table, rows, constants) == 150
                again = bulk.insert_rows(connection, table, rows.take(np.arange(140, 150)),
                                         constants, skip_taken_keys=True)  # fmt: skip
                assert again == 0
            else:
                records = [{**r, **constants} for r in rows.to_arrow().to_pylist()]
                connection.execute(ingest.insert(ingest.Request.__table__), records)
        engine.dispose()
        connection = sqlite3.connect(tmp_path / f"{name}.db")
        dumps.append(
            connection.execute(
                "select *, typeof(received_date), typeof(hours_to_action) from requests"
                " order by request_id"
            ).fetchall()
        )
        connection.close()
    assert len(dumps[0]) == 150 and dumps[0] == dumps[1]
