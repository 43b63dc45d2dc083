"""Ingest request logs inside the load's one transaction: stream each file in chunks, validate
each chunk, stage the valid rows, merge them into `requests` (a request seen before and changed
keeps its earlier version in `request_history`), then refresh the rollups for the days touched.

Memory stays bounded by the chunk size: rows go to a temporary staging table chunk by chunk, and
the merge is done by the database. A file whose bytes were loaded before is skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    create_engine,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    union,
    update,
)
from sqlalchemy.engine import Connection, Engine

from db.requests_schema import Request, RequestHistory
from db.schema import EtlRun, RejectedRow
from etl.readers import ROW_NUMBER, ReadError
from etl.requests import format as log_format
from etl.requests import rollups
from etl.requests.checks import LOADED_COLUMNS, check_chunk, header_problems
from etl.validate import Problem

MAX_PROBLEMS_LISTED = 1000  # per file; every rejected row is still kept with --skip-invalid
CONTENT_COLUMNS = [c for c in LOADED_COLUMNS if c not in ("request_id", "row_number")]
COMPARED = [c for c in CONTENT_COLUMNS if c not in ("received_date", "hours_to_action")]


class RollBack(Exception):
    """Raised inside the load's transaction to undo it (a log had problems)."""


@dataclass
class LogOutcome:
    problems: list[Problem] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    written: bool = False
    blocking: bool = False  # a log that could not be read at all: roll back even when skipping


@dataclass
class _FileResult:
    rows_read: int = 0
    rejected_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    unlisted: int = 0

    def add(self, problems: list[Problem]) -> None:
        room = MAX_PROBLEMS_LISTED - len(self.problems)
        self.problems += problems[: max(room, 0)]
        self.unlisted += max(len(problems) - max(room, 0), 0)

    def listed(self, file_name: str) -> list[Problem]:
        if not self.unlisted:
            return self.problems
        note = f"{self.unlisted} more problem(s) not listed (the first {MAX_PROBLEMS_LISTED} are)"
        return self.problems + [Problem(file_name, 0, "-", note)]


class Progress:
    """A progress bar on stderr: redrawn in place on a terminal, one line a chunk otherwise."""

    def __init__(self, name: str, size_bytes: int, stream=None):
        self.name, self.size = name, max(size_bytes, 1)
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def update(self, rows: int, bytes_read: int) -> None:
        share = min(bytes_read / self.size, 1.0)
        bar = "#" * int(share * 30)
        text = f"{self.name} [{bar:<30}] {share:4.0%} {rows:,} rows"
        if self.tty:
            print("\r" + text, end="", file=self.stream, flush=True)
        else:
            print(text, file=self.stream, flush=True)

    def done(self, message: str) -> None:
        if self.tty:
            print("\r" + " " * 79 + "\r", end="", file=self.stream)
        print(f"{self.name}: {message}", file=self.stream, flush=True)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def split_logs(files: Iterable[Path]) -> tuple[list[log_format.LogFile], list[Path], list[Problem]]:
    """(request logs, the other files, problems of logs that cannot be read)."""
    logs, others, problems = [], [], []
    for path in files:
        try:
            log = log_format.sniff(path)
            if log is None and path.suffix.lower() == ".xlsx":
                log = log_format.xlsx_log(path)
        except ReadError as error:
            problems.append(Problem(error.file_name, error.row, error.column, error.reason))
            continue
        except OSError:
            others.append(path)  # the figures' reader names the problem
            continue
        if log is None:
            others.append(path)
        else:
            logs.append(log)
    return logs, others, problems


def _staging(metadata: MetaData) -> Table:
    return Table(
        "request_staging",
        metadata,
        Column("request_id", String(64)),
        Column("received_at", DateTime),
        Column("received_date", Date),
        Column("channel", String(20)),
        Column("content_type", String(20)),
        Column("platform", String(20)),
        Column("victim_age_group", String(10)),
        Column("victim_gender", String(10)),
        Column("region", String(12)),
        Column("outcome", String(12)),
        Column("actioned_at", DateTime, nullable=True),
        Column("hours_to_action", Float, nullable=True),
        Column("is_synthetic", Boolean),
        Column("row_number", Integer),
        Column("status", String(8), server_default="new"),  # new | changed | same
        Column("prior_version", Integer, nullable=True),
        Index("ix_request_staging_id", "request_id"),
        prefixes=["TEMPORARY"],
    )


def _affected_days(metadata: MetaData) -> Table:
    return Table(
        "request_affected_days",
        metadata,
        Column("day", Date, primary_key=True),
        prefixes=["TEMPORARY"],
    )


SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime in SQLite


def _insert_staged(connection: Connection, staging: Table, frame: pd.DataFrame) -> None:
    """Insert typed rows into the staging table. On SQLite the values are formatted as
    SQLAlchemy stores them and handed to the driver's executemany at once (ten times faster
    than binding row by row); other databases get SQLAlchemy's own executemany."""
    columns = {
        "request_id": frame["request_id"],
        "channel": frame["channel"],
        "content_type": frame["content_type"],
        "platform": frame["platform"],
        "victim_age_group": frame["victim_age_group"],
        "victim_gender": frame["victim_gender"],
        "region": frame["region"],
        "outcome": frame["outcome"],
        "hours_to_action": frame["hours_to_action"]
        .astype(object)
        .where(frame["hours_to_action"].notna(), None),
        "is_synthetic": frame["is_synthetic"].astype(bool),
        "row_number": frame["row_number"].astype(int),
    }
    if connection.dialect.name == "sqlite":
        columns["received_at"] = frame["received_at"].dt.strftime(SQLITE_TIME)
        columns["received_date"] = frame["received_date"].dt.strftime("%Y-%m-%d")
        actioned = frame["actioned_at"].dt.strftime(SQLITE_TIME)
        columns["actioned_at"] = actioned.astype(object).where(frame["actioned_at"].notna(), None)
        columns["is_synthetic"] = columns["is_synthetic"].astype(int)
        names = list(columns)
        values = list(zip(*(columns[n].tolist() for n in names)))
        placeholders = ", ".join("?" for _ in names)
        connection.exec_driver_sql(
            f"INSERT INTO {staging.name} ({', '.join(names)}) VALUES ({placeholders})", values
        )
        return
    columns["received_at"] = pd.Series(frame["received_at"].dt.to_pydatetime(), dtype=object)
    columns["received_date"] = pd.Series(
        [d.date() for d in frame["received_date"].dt.to_pydatetime()], dtype=object
    )
    columns["actioned_at"] = pd.Series(
        [None if pd.isna(v) else v for v in frame["actioned_at"].dt.to_pydatetime()],
        dtype=object,
    )
    names = list(columns)
    rows = zip(*(list(columns[n]) for n in names))
    connection.execute(insert(staging), [dict(zip(names, row)) for row in rows])


def _raw_rows(frame: pd.DataFrame, rows: set[int]) -> dict[int, str]:
    chosen = frame[frame[ROW_NUMBER].isin(rows)]
    out = {}
    for record in chosen.to_dict("records"):
        number = int(record.pop(ROW_NUMBER))
        out[number] = json.dumps(record, ensure_ascii=False)
    return out


def _reject(connection: Connection, run_id: int, problems: list[Problem], raw: dict[int, str]):
    if problems:
        connection.execute(
            insert(RejectedRow),
            [
                {
                    "run_id": run_id,
                    "file_name": p.file_name,
                    "row_number": p.row,
                    "column_name": p.column,
                    "reason": p.reason,
                    "raw_row": raw.get(p.row, "{}"),
                }
                for p in problems
            ],
        )


def _stage(
    connection: Connection,
    staging: Table,
    log: log_format.LogFile,
    result: _FileResult,
    run_id: int | None,
    quiet: bool,
) -> None:
    """Read, check and stage every chunk; rejected rows are kept when `run_id` is given."""
    progress = Progress(log.name, log.size_bytes)
    for chunk in log_format.read_chunks(log):
        result.rows_read += len(chunk.frame) + len(chunk.row_problems)
        valid, problems = check_chunk(chunk.frame, log.name)
        problems += [
            Problem(log.name, row, column, reason) for row, column, reason in chunk.row_problems
        ]
        if problems:
            result.rejected_rows += len({p.row for p in problems})
            result.add(sorted(problems, key=lambda p: (p.row, p.column)))
            if run_id is not None:
                _reject(
                    connection, run_id, problems, _raw_rows(chunk.frame, {p.row for p in problems})
                )
        if not valid.empty:
            _insert_staged(connection, staging, valid)
        if not quiet:
            progress.update(result.rows_read, chunk.bytes_read)
    _reject_repeated_ids(connection, staging, log, result, run_id)


def _reject_repeated_ids(
    connection: Connection,
    staging: Table,
    log: log_format.LogFile,
    result: _FileResult,
    run_id: int | None,
) -> None:
    """A request appears once in a file: later rows with the same id are problems."""
    repeated = select(staging.c.request_id).group_by(staging.c.request_id).having(func.count() > 1)
    rows = (
        connection.execute(
            select(*(staging.c[c] for c in ("request_id", "row_number", *COMPARED)))
            .where(staging.c.request_id.in_(repeated))
            .order_by(staging.c.request_id, staging.c.row_number)
        )
        .mappings()
        .all()
    )
    if not rows:
        return
    first: dict[str, int] = {}
    problems, raw = [], {}
    for row in rows:
        number = int(row["row_number"])
        if row["request_id"] not in first:
            first[row["request_id"]] = number
            continue
        problems.append(
            Problem(
                log.name,
                number,
                "request_id",
                f"repeats row {first[row['request_id']]}: a request appears once in a file",
            )
        )
        raw[number] = json.dumps(
            {k: str(v) if v is not None else "" for k, v in row.items() if k != "row_number"},
            ensure_ascii=False,
        )
    problems.sort(key=lambda p: p.row)
    result.rejected_rows += len(problems)
    result.add(problems)
    connection.execute(delete(staging).where(staging.c.row_number.in_([p.row for p in problems])))
    if run_id is not None:
        _reject(connection, run_id, problems, raw)


def _merge(
    connection: Connection, staging: Table, days: Table, run_id: int, file_name: str
) -> tuple[int, int, int]:
    """Merge staged rows into `requests`; returns (new, changed, unchanged)."""
    current, history = Request.__table__, RequestHistory.__table__
    same = and_(
        current.c.request_id == staging.c.request_id,
        *(current.c[c].is_not_distinct_from(staging.c[c]) for c in COMPARED),
    )
    connection.execute(update(staging).where(exists().where(same)).values(status="same"))
    known = current.c.request_id == staging.c.request_id
    connection.execute(
        update(staging)
        .where(staging.c.status == "new", exists().where(known))
        .values(
            status="changed",
            prior_version=select(current.c.version).where(known).scalar_subquery(),
        )
    )
    changed = select(staging.c.request_id).where(staging.c.status == "changed")
    kept = [c.name for c in history.columns if c.name not in ("history_id", "superseded_by_run")]
    connection.execute(
        insert(history).from_select(
            [*kept, "superseded_by_run"],
            select(*(current.c[c] for c in kept), literal(run_id)).where(
                current.c.request_id.in_(changed)
            ),
        )
    )
    touched = union(
        select(staging.c.received_date.label("day")).where(staging.c.status != "same"),
        select(current.c.received_date.label("day")).where(current.c.request_id.in_(changed)),
    ).subquery()
    connection.execute(
        insert(days).from_select(
            ["day"], select(touched.c.day).where(touched.c.day.not_in(select(days.c.day)))
        )
    )
    connection.execute(delete(current).where(current.c.request_id.in_(changed)))
    columns = ["request_id", *CONTENT_COLUMNS, "row_number"]
    connection.execute(
        insert(current).from_select(
            [*columns, "version", "run_id", "file_name"],
            select(
                *(staging.c[c] for c in columns),
                func.coalesce(staging.c.prior_version, 0) + 1,
                literal(run_id),
                literal(file_name),
            ).where(staging.c.status != "same"),
        )
    )
    counts = dict(
        connection.execute(select(staging.c.status, func.count()).group_by(staging.c.status)).all()
    )
    return counts.get("new", 0), counts.get("changed", 0), counts.get("same", 0)


def _loaded_before(connection: Connection, sha256: str) -> bool:
    return (
        connection.scalar(
            select(func.count())
            .select_from(EtlRun)
            .where(
                EtlRun.file_kind == "requests",
                EtlRun.sha256 == sha256,
                EtlRun.outcome.in_(("loaded", "partial")),
            )
        )
        > 0
    )


def _header_problems(log: log_format.LogFile) -> list[Problem]:
    try:
        return header_problems(log.name, log_format.header_of(log))
    except ReadError as error:
        return [Problem(error.file_name, error.row, error.column, error.reason)]


def _load_one(
    connection: Connection,
    log: log_format.LogFile,
    skip_invalid: bool,
    started: dt.datetime,
    tables: tuple[Table, Table],
    quiet: bool,
) -> tuple[str, list]:
    staging, days = tables
    connection.execute(delete(staging))
    run_id = connection.execute(
        insert(EtlRun).values(
            file_name=log.name,
            file_kind="requests",
            sha256=log.sha256,
            started_at=started,
            outcome="loaded",
            message=f"read as {log.encoding}",
        )
    ).inserted_primary_key[0]
    result = _FileResult()
    _stage(connection, staging, log, result, run_id if skip_invalid else None, quiet)
    if result.problems and not skip_invalid:
        return "", result.listed(log.name)
    new, changed, same = _merge(connection, staging, days, run_id, log.name)
    connection.execute(
        update(EtlRun)
        .where(EtlRun.run_id == run_id)
        .values(
            finished_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            rows_read=result.rows_read,
            rows_loaded=new + changed,
            rows_rejected=result.rejected_rows,
            rows_superseded=changed,
            outcome="partial" if result.rejected_rows else "loaded",
            message=f"read as {log.encoding}; {new} new, {changed} updated, {same} unchanged",
        )
    )
    line = (
        f"{log.name}: request log, {result.rows_read} rows read, {new} new, {changed} updated"
        f" (earlier versions kept), {same} unchanged, {result.rejected_rows} rejected"
        f" (run {run_id})"
    )
    if not quiet:
        Progress(log.name, log.size_bytes).done(f"{result.rows_read:,} rows read")
    return line, result.listed(log.name)


def load_logs(
    connection: Connection,
    logs: list[log_format.LogFile],
    skip_invalid: bool,
    started: dt.datetime,
    quiet: bool = False,
) -> LogOutcome:
    """Load every log in the caller's transaction. With problems and not `skip_invalid`, the
    outcome lists them and the caller must roll back."""
    outcome = LogOutcome()
    if not logs:
        return outcome
    metadata = MetaData()
    staging, days = _staging(metadata), _affected_days(metadata)
    metadata.create_all(connection)
    try:
        for log in logs:
            blocking = _header_problems(log)
            if blocking:
                outcome.problems += blocking
                outcome.blocking = True
                continue
            if _loaded_before(connection, log.sha256):
                outcome.lines.append(f"{log.name}: unchanged since its last load, skipped")
                continue
            try:
                line, problems = _load_one(
                    connection, log, skip_invalid, started, (staging, days), quiet
                )
            except ReadError as error:
                outcome.problems.append(
                    Problem(error.file_name, error.row, error.column, error.reason)
                )
                outcome.blocking = True
                continue
            outcome.problems += problems
            if line:
                outcome.lines.append(line)
                outcome.written = True
        if outcome.written and (skip_invalid or not outcome.problems):
            rollups.refresh(connection, days, None if quiet else _say)
    finally:
        metadata.drop_all(connection)
    return outcome


def validate_logs(
    engine: Engine | None, logs: list[log_format.LogFile], quiet: bool = False
) -> list[Problem]:
    """Every problem in the logs, writing nothing (staging is rolled back)."""
    if not logs:
        return []
    engine = engine or create_engine("sqlite://")
    problems: list[Problem] = []
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            metadata = MetaData()
            staging = _staging(metadata)
            staging.create(connection)
            for log in logs:
                blocking = _header_problems(log)
                if blocking:
                    problems += blocking
                    continue
                connection.execute(delete(staging))
                result = _FileResult()
                try:
                    _stage(connection, staging, log, result, None, quiet)
                except ReadError as error:
                    problems.append(Problem(error.file_name, error.row, error.column, error.reason))
                    continue
                problems += result.listed(log.name)
        finally:
            transaction.rollback()
    return problems
