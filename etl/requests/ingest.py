"""Ingest request logs inside the load's one transaction: stream each file in chunks, validate
each chunk, stage the valid rows, merge them into `requests` (a request seen before and changed
keeps its earlier version in `request_history`), then refresh the rollups for the days touched.

Memory stays bounded by the chunk size: rows go to a temporary staging table chunk by chunk, and
the merge is done by the database. A file whose bytes were loaded before is skipped.

A file loaded while `requests` is empty (the first load) needs no merge: its rows go straight
into `requests` (on PostgreSQL by one COPY streamed while the file is read, the primary key
added back once the rows are in), whose secondary indexes are built once at the end, and the
rollups of every grain are counted from the rows as they are written instead of read back.
Staged rows reach PostgreSQL by COPY, and a merge whose staged ids are all new skips the
comparisons.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
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
from sqlalchemy.exc import IntegrityError

from db.requests_schema import Request, RequestHistory
from db.schema import EtlRun, RejectedRow
from etl.readers import ReadError
from etl.requests import bulk, rollups
from etl.requests import format as log_format
from etl.requests.checks import LOADED_COLUMNS, TypedRows, check_batch, header_problems
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


def _raw_rows(batch: log_format.Batch, rows: set[int]) -> dict[int, str]:
    """The chosen records as they were read, as JSON objects keyed by their row."""
    chosen = np.flatnonzero(np.isin(batch.rows, list(rows)))
    records = batch.table.take(chosen).to_pylist()
    return {
        int(number): json.dumps(record, ensure_ascii=False)
        for number, record in zip(batch.rows[chosen], records)
    }


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


def _read_and_check(
    connection: Connection,
    log: log_format.LogFile,
    result: _FileResult,
    run_id: int | None,
    quiet: bool,
    write: Callable[[TypedRows], None],
    pause: Callable[[], None] | None = None,
) -> None:
    """Read and check every batch and hand its valid rows to `write`; rejected rows are kept
    when `run_id` is given (after `pause`, which ends a statement `write` left open)."""
    progress = Progress(log.name, log.size_bytes)
    for batch in log_format.read_batches(log):
        result.rows_read += len(batch.rows) + len(batch.row_problems)
        valid, problems = check_batch(batch.table, batch.rows, log.name)
        problems += [
            Problem(log.name, row, column, reason) for row, column, reason in batch.row_problems
        ]
        if problems:
            result.rejected_rows += len({p.row for p in problems})
            result.add(sorted(problems, key=lambda p: (p.row, p.column)))
            if run_id is not None:
                if pause is not None:
                    pause()
                _reject(connection, run_id, problems, _raw_rows(batch, {p.row for p in problems}))
        if len(valid):
            write(valid)
        if not quiet:
            progress.update(result.rows_read, batch.bytes_read)


def _staging_index(staging: Table) -> Index:
    return next(iter(staging.indexes))


def _stage(
    connection: Connection,
    staging: Table,
    log: log_format.LogFile,
    result: _FileResult,
    run_id: int | None,
    quiet: bool,
) -> None:
    """Read, check and stage every chunk; rejected rows are kept when `run_id` is given."""
    index = _staging_index(staging)
    index.drop(connection)  # built once the rows are in
    _read_and_check(
        connection,
        log,
        result,
        run_id,
        quiet,
        lambda rows: bulk.insert_rows(connection, staging, rows),
    )
    index.create(connection)
    _reject_repeated_ids(connection, staging, log, result, run_id)


def _repeat_rejections(
    connection: Connection,
    log: log_format.LogFile,
    result: _FileResult,
    run_id: int | None,
    rows: list,
    first: dict[str, int],
) -> list[Problem]:
    """Problems (and kept rejected rows) for the staged `rows` that are not the first row of
    their request in the file (`first`: the row of each request's first occurrence)."""
    problems, raw = [], {}
    for row in rows:
        number = int(row["row_number"])
        if first[row["request_id"]] == number:
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
    if run_id is not None:
        _reject(connection, run_id, problems, raw)
    return problems


def _staged_rows(connection: Connection, staging: Table, where=None) -> list:
    query = select(*(staging.c[c] for c in ("request_id", "row_number", *COMPARED)))
    if where is not None:
        query = query.where(where)
    return (
        connection.execute(query.order_by(staging.c.request_id, staging.c.row_number))
        .mappings()
        .all()
    )


def _reject_repeated_ids(
    connection: Connection,
    staging: Table,
    log: log_format.LogFile,
    result: _FileResult,
    run_id: int | None,
) -> None:
    """A request appears once in a file: later rows with the same id are problems."""
    repeated = select(staging.c.request_id).group_by(staging.c.request_id).having(func.count() > 1)
    rows = _staged_rows(connection, staging, staging.c.request_id.in_(repeated))
    if not rows:
        return
    first: dict[str, int] = {}
    for row in rows:
        first.setdefault(row["request_id"], int(row["row_number"]))
    problems = _repeat_rejections(connection, log, result, run_id, rows, first)
    connection.execute(delete(staging).where(staging.c.row_number.in_([p.row for p in problems])))


class _NewRequests:
    """Rows inserted straight into an empty `requests` (SQLite): a row whose request was
    already inserted from an earlier row of the file is left out and staged, to be rejected
    as a repeat once the file is read. The rows inserted are counted for the rollups."""

    def __init__(
        self,
        connection: Connection,
        staging: Table,
        run_id: int,
        file_name: str,
        tally: rollups.LoadTally,
    ):
        self.connection, self.staging, self.tally = connection, staging, tally
        self.constants = {"version": 1, "run_id": run_id, "file_name": file_name}
        self.inserted = 0
        self.days: set[int] = set()

    def write(self, rows: TypedRows) -> None:
        inserted = bulk.insert_rows(
            self.connection, Request.__table__, rows, self.constants, skip_taken_keys=True
        )
        self.inserted += inserted
        if inserted < len(rows):
            repeats = self._repeats(rows)
            bulk.insert_rows(self.connection, self.staging, rows.take(np.flatnonzero(repeats)))
            rows = rows.take(np.flatnonzero(~repeats))
        self.days.update(np.unique(rows.received_day).tolist())
        self.tally.add(rows)

    def _repeats(self, rows: TypedRows) -> np.ndarray:
        """Per row: whether `requests` holds its request from another row."""
        current = Request.__table__
        ids = rows.request_id.to_pylist()
        stored: dict[str, int] = {}
        for start in range(0, len(ids), 500):
            stored.update(
                self.connection.execute(
                    select(current.c.request_id, current.c.row_number).where(
                        current.c.request_id.in_(ids[start : start + 500])
                    )
                ).all()
            )
        numbers = rows.row_number.tolist()
        return np.array([stored[i] != n for i, n in zip(ids, numbers)], dtype=bool)

    def reject_repeats(
        self, log: log_format.LogFile, result: _FileResult, run_id: int | None
    ) -> None:
        rows = _staged_rows(self.connection, self.staging)
        if not rows:
            return
        current = Request.__table__
        first = dict(
            self.connection.execute(
                select(current.c.request_id, current.c.row_number).where(
                    current.c.request_id.in_(select(self.staging.c.request_id))
                )
            ).all()
        )
        _repeat_rejections(self.connection, log, result, run_id, rows, first)


class _CopiedRequests:
    """Rows copied straight into an empty `requests` (PostgreSQL) by one COPY streamed while
    the file is read, its primary key dropped meanwhile and added back once the rows are in.
    Where a request repeats, its rows after the first are taken out and rejected first."""

    def __init__(
        self, connection: Connection, run_id: int, file_name: str, tally: rollups.LoadTally
    ):
        self.connection, self.tally = connection, tally
        constants = {"version": 1, "run_id": run_id, "file_name": file_name}
        self.stream = bulk.CopyStream(connection, Request.__table__, constants)
        self.inserted = 0
        self.days: set[int] = set()
        self.repeated = False  # whether rows were taken out (then the tally overcounts)

    def write(self, rows: TypedRows) -> None:
        self.stream.write(rows)
        self.inserted += len(rows)
        self.days.update(np.unique(rows.received_day).tolist())
        self.tally.add(rows)

    def copy_file(
        self, log: log_format.LogFile, result: _FileResult, run_id: int | None, quiet: bool
    ) -> None:
        """Read, check and copy every row of the file; rejected rows are kept when `run_id`
        is given."""
        try:
            _read_and_check(
                self.connection, log, result, run_id, quiet, self.write, self.stream.pause
            )
        finally:
            self.stream.pause()

    def add_key(
        self, statement: str, log: log_format.LogFile, result: _FileResult, run_id: int | None
    ) -> None:
        """Add the primary key back (`statement`), after rejecting the rows that repeat a
        request when it cannot be added as the rows are."""
        try:
            with self.connection.begin_nested():
                self.connection.exec_driver_sql(statement)
            return
        except IntegrityError:
            pass  # a request repeats: its later rows go, then the key is added
        current = Request.__table__
        repeated = (
            select(current.c.request_id).group_by(current.c.request_id).having(func.count() > 1)
        )
        rows = _staged_rows(self.connection, current, current.c.request_id.in_(repeated))
        first: dict[str, int] = {}
        for row in rows:
            first.setdefault(row["request_id"], int(row["row_number"]))
        problems = _repeat_rejections(self.connection, log, result, run_id, rows, first)
        numbers = [p.row for p in problems]
        for start in range(0, len(numbers), 10_000):
            self.connection.execute(
                delete(current).where(current.c.row_number.in_(numbers[start : start + 10_000]))
            )
        self.inserted -= len(problems)
        self.repeated = True
        self.connection.exec_driver_sql(statement)


def _insert_new(
    connection: Connection,
    tables: tuple[Table, Table],
    log: log_format.LogFile,
    result: _FileResult,
    run_id: int,
    skip_invalid: bool,
    quiet: bool,
) -> tuple[int, rollups.LoadTally | None]:
    """Load a file into an empty `requests` without staging; returns the rows inserted and
    their tally for the rollups (None when it does not hold exactly the rows inserted)."""
    staging, days = tables
    tally = rollups.LoadTally()
    kept = run_id if skip_invalid else None
    current = Request.__table__
    if connection.dialect.name == "sqlite":
        new = _NewRequests(connection, staging, run_id, log.name, tally)
        with bulk.secondary_indexes_dropped(connection, current):
            _read_and_check(connection, log, result, kept, quiet, new.write)
        new.reject_repeats(log, result, kept)
    else:
        new = _CopiedRequests(connection, run_id, log.name, tally)
        with bulk.secondary_indexes_dropped(connection, current):
            add_key = bulk.drop_primary_key(connection, current)
            with bulk.foreign_keys_trusted(connection):  # every row carries this run
                new.copy_file(log, result, kept, quiet)
            new.add_key(add_key, log, result, kept)
        if new.repeated:
            tally = None
    known = set(connection.scalars(select(days.c.day)))
    epoch = dt.date(1970, 1, 1)
    touched = sorted(epoch + dt.timedelta(days=d) for d in new.days)
    fresh = [{"day": day} for day in touched if day not in known]
    if fresh:
        connection.execute(insert(days), fresh)
    return new.inserted, tally


def _merge(
    connection: Connection, staging: Table, days: Table, run_id: int, file_name: str
) -> tuple[int, int, int]:
    """Merge staged rows into `requests`; returns (new, changed, unchanged)."""
    current = Request.__table__
    known = current.c.request_id == staging.c.request_id
    if connection.scalar(select(exists().where(known))):
        _compare(connection, staging, run_id)
    changed = select(staging.c.request_id).where(staging.c.status == "changed")
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
    merged = insert(current).from_select(
        [*columns, "version", "run_id", "file_name"],
        select(
            *(staging.c[c] for c in columns),
            func.coalesce(staging.c.prior_version, 0) + 1,
            literal(run_id),
            literal(file_name),
        ).where(staging.c.status != "same"),
    )
    if _has_requests(connection):
        connection.execute(merged)
    else:
        with bulk.secondary_indexes_dropped(connection, current):
            connection.execute(merged)
    counts = dict(
        connection.execute(select(staging.c.status, func.count()).group_by(staging.c.status)).all()
    )
    return counts.get("new", 0), counts.get("changed", 0), counts.get("same", 0)


def _loads_without_staging(connection: Connection) -> bool:
    """Whether a file goes straight into `requests`: on SQLite and PostgreSQL, while it is
    empty."""
    return connection.dialect.name in ("sqlite", "postgresql") and not _has_requests(connection)


def _has_requests(connection: Connection) -> bool:
    current = Request.__table__
    return connection.execute(select(current.c.request_id).limit(1)).first() is not None


def _compare(connection: Connection, staging: Table, run_id: int) -> None:
    """Mark staged rows `same` (identical to the current version) or `changed` (keeping the
    current version in `request_history`); the rest stay `new`."""
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
) -> tuple[str, list, rollups.LoadTally | None]:
    """Load one log; returns its summary line (empty when it had problems and nothing may be
    written), its problems, and the tally of its rows for the rollups when it went straight
    into an empty `requests`."""
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
    tally = None
    if _loads_without_staging(connection):
        new, tally = _insert_new(connection, tables, log, result, run_id, skip_invalid, quiet)
        changed = same = 0
        if result.problems and not skip_invalid:
            return "", result.listed(log.name), None
    else:
        _stage(connection, staging, log, result, run_id if skip_invalid else None, quiet)
        if result.problems and not skip_invalid:
            return "", result.listed(log.name), None
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
    return line, result.listed(log.name), tally


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
    tallies = []  # of each log written: its rows' tally, or None when it was merged
    try:
        with bulk.large_cache(connection):
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
                    line, problems, tally = _load_one(
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
                    tallies.append(tally)
            if outcome.written and (skip_invalid or not outcome.problems):
                # a tally stands for the rollups when its log was the only one written
                counted = tallies[0] if len(tallies) == 1 else None
                rollups.refresh(connection, days, None if quiet else _say, counted)
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
