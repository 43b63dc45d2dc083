"""Crash safety of request-log loads: `python -m etl load` is killed (SIGKILL) while it stages,
merges and refreshes the rollups, on SQLite and on PostgreSQL, and the database must be exactly
as it was before the load (every table's rows), with SQLite's integrity check passing.

The kill points follow what the loader prints on stderr: per-file progress lines (`NAME [###]
...` while a file is read, `NAME: ...` when it is merged) and the rollup stages (`rollups: ...`).
After each kill, whatever the loader had printed before it died is read back: a line from a
later stage means the kill came too late to test the stage it aimed at, and the test says so
(make the logs larger so each stage lasts longer).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from tests.conftest import DATA, REGISTRIES, ROOT, needs_postgres, sqlite_url
from tests.databases import table_checksum

# Logs of synthetic requests received in 2024: the baseline log
# is committed before every kill; the load that is killed holds two new logs (the second one
# larger); the revision changes some of the baseline's requests. Sized so that each stage lasts
# long enough to be hit, and no longer.
RECEIVED_FROM, RECEIVED_BEFORE = "2024-01-01", "2025-01-01"
LOGS = {  # name: (requests generated over the whole synthetic period, seed, id prefix)
    "baseline.csv": (10_000, 11, "SYN-A"),
    "first.csv": (6_000, 12, "SYN-B"),
    "second.csv": (60_000, 13, "SYN-C"),
}
REVISED_SHARE = 5  # the revision changes every 5th request of the baseline log
KILL_TIMEOUT_SECONDS = 120


def _log_table(rows: int, seed: int, prefix: str) -> pa.Table:
    from etl.requests import synth

    table = synth.generate_table(rows, seed)
    received = table["received_at"]
    table = table.filter(
        pc.and_(pc.greater_equal(received, RECEIVED_FROM), pc.less(received, RECEIVED_BEFORE))
    )
    ids = pc.replace_substring(table["request_id"], "SYN-", prefix)
    return table.set_column(table.schema.get_field_index("request_id"), "request_id", ids)


def _revised(table: pa.Table) -> pa.Table:
    """The same requests with every REVISED_SHARE-th one's region and channel changed (a
    corrected record: the load keeps its earlier version in request_history)."""
    chosen = pa.array([i % REVISED_SHARE == 0 for i in range(table.num_rows)])
    for column, new_value in (("region", "jeju"), ("channel", "school")):
        index = table.schema.get_field_index(column)
        table = table.set_column(
            index, column, pc.if_else(chosen, pa.scalar(new_value), table[column])
        )
    return table


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from etl.requests import synth

    folder = tmp_path_factory.mktemp("crash_logs")
    paths = {}
    for name, (rows, seed, prefix) in LOGS.items():
        table = _log_table(rows, seed, prefix)
        paths[name] = folder / name
        synth.write(table, paths[name])
        if name == "baseline.csv":
            paths["revised.csv"] = folder / "revised.csv"
            synth.write(_revised(table), paths["revised.csv"])
    return paths


# ---------------------------------------------------------------------------------------------
# The two databases, seen from outside the loader


class SqliteDatabase:
    def __init__(self, folder: Path):
        self.path = folder / "crash.db"
        self.url = sqlite_url(self.path)
        self.loader_url = self.url

    def wait_for_merge_write(self, process: subprocess.Popen) -> bool:
        """Nothing to wait for: the loader keeps its uncommitted pages in a page cache large
        enough for the whole load, so the merge shows nothing on disk; the kill follows the
        last progress line at once, and the merge lasts long enough to be hit."""
        return process.poll() is None

    def after_kill(self) -> None:
        """Open the database as the next ETL run would (which rolls back a hot journal) and
        check every page and index."""
        connection = sqlite3.connect(self.path)
        try:
            assert connection.execute("pragma integrity_check").fetchall() == [("ok",)]
        finally:
            connection.close()

    def checksum(self) -> str:
        return table_checksum(self.url)


class PostgresDatabase:
    def __init__(self, url: str):
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.url = url
        self.application = "crash_" + uuid.uuid4().hex[:12]
        self.loader_url = (
            make_url(url)
            .update_query_dict({"application_name": self.application})
            .render_as_string(hide_password=False)
        )
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT")

    def _loader_statements(self) -> list[tuple[str, str]]:
        from sqlalchemy import text

        with self.engine.connect() as connection:
            return [
                (state or "", query or "")
                for state, query in connection.execute(
                    text(
                        "select state, query from pg_stat_activity where application_name = :name"
                    ),
                    {"name": self.application},
                )
            ]

    def wait_for_merge_write(self, process: subprocess.Popen) -> bool:
        """Wait until the loader's session runs a statement that writes (the merge's updates,
        inserts and deletes); False if the loader ended first."""
        while process.poll() is None:
            for state, query in self._loader_statements():
                if state == "active" and not query.lstrip().lower().startswith("select"):
                    return True
            time.sleep(0.005)
        return False

    def after_kill(self) -> None:
        """The server ends the killed client's session (and rolls its transaction back) when it
        notices the closed connection; wait for that."""
        deadline = time.monotonic() + KILL_TIMEOUT_SECONDS
        while self._loader_statements():
            assert time.monotonic() < deadline, "the killed loader's session is still open"
            time.sleep(0.05)

    def checksum(self) -> str:
        return table_checksum(self.url)


@pytest.fixture(
    params=[
        pytest.param("sqlite", marks=pytest.mark.sqlite_only),
        pytest.param("postgresql", marks=needs_postgres),
    ]
)
def database(request, tmp_path: Path, logs: dict[str, Path]):
    """Registries and the baseline log, committed by an ordinary load."""
    from db.engine import create_schema, make_engine
    from etl import load

    if request.param == "sqlite":
        database = SqliteDatabase(tmp_path)
    else:
        database = PostgresDatabase(request.getfixturevalue("pg_url"))
    engine = make_engine(database.url)
    create_schema(engine)
    files = [str(DATA / name) for name in REGISTRIES] + [str(logs["baseline.csv"])]
    report = load.run(files, engine, write=True)
    assert not report.problems, [str(p) for p in report.problems[:5]]
    engine.dispose()
    yield database
    if isinstance(database, PostgresDatabase):
        database.engine.dispose()


# ---------------------------------------------------------------------------------------------
# Kill points


def _about(name: str) -> Callable[[str], bool]:
    """A progress line of the file `name` (`NAME [###...] ...` or `NAME: ...`)."""
    return lambda line: line.startswith((f"{name} ", f"{name}:"))


def _rollup_stage(stage: str) -> Callable[[str], bool]:
    return lambda line: line.startswith(f"rollups: {stage}")


def _any_rollup_stage(line: str) -> bool:
    return line.startswith("rollups:")


@dataclass(frozen=True)
class KillPoint:
    name: str
    trigger: Callable[[str], bool]  # the stderr line that starts the stage
    too_late: Callable[[str], bool]  # a line the loader prints only after the stage
    waits_for_write: bool = False  # then wait until the database shows the merge writing


STAGING = KillPoint(  # the first log merged, the second one's rows being read and checked
    "staging the second log",
    trigger=lambda line: line.startswith("first.csv:"),
    too_late=_about("second.csv"),
)
MERGING = KillPoint(  # the second log staged, its rows going into `requests`
    "merging the second log",
    trigger=lambda line: line.startswith("second.csv ") and "100%" in line,
    too_late=lambda line: line.startswith("second.csv:") or _any_rollup_stage(line),
    waits_for_write=True,
)
ROLLUP_STAGES = ("day counts", "week counts", "month counts", "hours to action")


def _after_stage(stage: str) -> Callable[[str], bool]:
    later = ROLLUP_STAGES[ROLLUP_STAGES.index(stage) + 1 :] + ("done",)
    return lambda line: any(line.startswith(f"rollups: {s}") for s in later)


ROLLUPS = [
    KillPoint(f"rollups: {stage}", _rollup_stage(stage), _after_stage(stage))
    for stage in ROLLUP_STAGES
]


def kill_load_at(database, files: list[Path], point: KillPoint) -> None:
    """Run `python -m etl load FILES` and SIGKILL it at `point`; fail if it was not there."""
    env = {"DATABASE_URL": database.loader_url, "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    env["PYTHONPATH"] = str(ROOT)
    process = subprocess.Popen(
        [sys.executable, "-m", "etl", "load", *map(str, files)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    printed = []
    try:
        for line in process.stderr:
            printed.append(line.rstrip("\n"))
            if point.trigger(line):
                if point.waits_for_write and not database.wait_for_merge_write(process):
                    break
                process.kill()
                break
        after = process.stderr.read().splitlines()  # what it printed before it died
        process.wait(KILL_TIMEOUT_SECONDS)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL, (
        f"the load ended (exit {process.returncode}) before it could be killed while"
        f" {point.name}; it printed: {printed + after}"
    )
    late = [line for line in after if point.too_late(line)]
    assert not late, (
        f"killed after '{point.name}' had ended (it printed '{late[0]}'):"
        " make the logs in LOGS larger so that the stage lasts longer"
    )


def _assert_as_before(database, before: str, point: KillPoint) -> None:
    database.after_kill()
    assert database.checksum() == before, f"the database changed when killed while {point.name}"


def test_a_load_killed_at_any_stage_leaves_the_database_as_it_was(database, logs):
    """Two new logs loaded together, killed while the second is staged, while it is merged,
    and in each stage of the rollup refresh."""
    before = database.checksum()
    files = [logs["first.csv"], logs["second.csv"]]
    for point in [STAGING, MERGING, *ROLLUPS]:
        kill_load_at(database, files, point)
        _assert_as_before(database, before, point)


def test_a_revision_killed_while_rollups_refresh_leaves_the_database_as_it_was(database, logs):
    """A changed copy of a loaded log (earlier versions go to request_history), killed in the
    first and the last stage of the rollup refresh (which runs only when a load wrote rows)."""
    before = database.checksum()
    for point in (ROLLUPS[0], ROLLUPS[-1]):
        kill_load_at(database, [logs["revised.csv"]], point)
        _assert_as_before(database, before, point)
