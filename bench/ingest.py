"""Benchmark: request-log ingest (`python -m etl load` on a synthetic CSV) against pandas
`read_csv` + `DataFrame.to_sql` of the same file, on SQLite and PostgreSQL, and our ingest of
the whole log with its peak memory. Each measured load runs in its own process, so its time,
CPU and peak RSS are its own. Prints its figures; never a timed test.

    python bench/ingest.py [--rows 10000000] [--baseline-rows 1000000] [--quick] [--pg URL]
                           [--keep DIR] [--repeat N]

PostgreSQL figures use --pg, else BENCH_DATABASE_URL or TEST_DATABASE_URL (each run in a fresh
schema, dropped after); without a reachable server they are skipped with a note.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._report import Figure, median, report  # noqa: E402

FULL_ROWS, FULL_BASELINE_ROWS, QUICK_ROWS = 10_000_000, 1_000_000, 50_000
SECONDS_FOR_FULL_ROWS, PEAK_RSS_LIMIT_MB = 60.0, 1024.0
SQLITE_TARGET, POSTGRES_TARGET = 2.5, 10.0
BASELINE = "pandas read_csv + to_sql"


# ---------------------------------------------------------------------------------------------
# One measured load (run in a child process)


def _child(method: str, log: Path, url: str, floor: bool) -> dict:
    """Load `log` into the database at `url` with `method` (ours | to_sql); times only the
    load, after imports and (for ours) after the schema is created. With `floor`, ours also
    reports the database's own time for the same rows (`_floor_seconds`), measured after the
    load's time and memory are taken."""
    from sqlalchemy import create_engine

    if method == "ours":
        from db.engine import create_schema, make_engine
        from etl import load

        engine = make_engine(url)
        create_schema(engine)
        started = time.perf_counter()
        outcome = load.run([str(log)], engine, write=True)
        seconds = time.perf_counter() - started
        if outcome.problems or not outcome.written:
            raise SystemExit(f"the load failed: {[str(p) for p in outcome.problems[:3]]}")
    else:
        import pandas as pd

        engine = create_engine(url)
        started = time.perf_counter()
        frame = pd.read_csv(log)
        frame.to_sql("request_log", engine, index=False)
        seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    figures = {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,  # the whole process, imports included
        "peak_rss_mb": usage.ru_maxrss / 1024,
    }
    if floor and method == "ours":
        figures["floor_seconds"] = _floor_seconds(engine)
    engine.dispose()
    return figures


def _floor_seconds(engine) -> float:
    """How long the database alone takes to store the rows just loaded in a table of the same
    shape (columns, key, foreign key, indexes), with no parsing, no checks and no values bound
    by Python: SQLite copies `requests` with INSERT ... SELECT; PostgreSQL takes the table's
    COPY text, read out beforehand, through COPY FROM STDIN; then each builds the indexes and
    commits. No loader can store those rows faster on the same machine, so the baseline's time
    over this one is the highest ratio any loader could reach here."""
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        if engine.dialect.name == "sqlite":
            table, *indexes = [
                sql.replace(" requests ", " floor_copy ").replace("ix_requests", "ix_floor")
                for (sql,) in driver.execute(
                    "select sql from sqlite_master where tbl_name = 'requests' "
                    "and sql is not null order by type = 'index'"
                )
            ]
            driver.execute(table)
            driver.commit()
            started = time.perf_counter()
            driver.execute("insert into floor_copy select * from requests")
            for index in indexes:
                driver.execute(index)
            driver.commit()
            return time.perf_counter() - started
        with driver.cursor() as cursor:
            with cursor.copy("copy requests to stdout") as copy:
                data = b"".join(bytes(block) for block in copy)
            cursor.execute(
                "select indexdef from pg_indexes"
                " where schemaname = current_schema() and tablename = 'requests'"
            )
            indexes = [
                sql.replace(".requests ", ".floor_copy ").replace("INDEX ", "INDEX floor_", 1)
                for (sql,) in cursor.fetchall()
            ]
            cursor.execute("create table floor_copy (like requests including constraints)")
            driver.commit()
            started = time.perf_counter()
            with cursor.copy("copy floor_copy from stdin") as copy:
                for start in range(0, len(data), 1 << 20):
                    copy.write(data[start : start + (1 << 20)])
            for index in indexes:
                cursor.execute(index)
            driver.commit()
            return time.perf_counter() - started


def measure(method: str, log: Path, url: str, floor: bool = False) -> dict:
    """Run one load in a fresh process and return what it reported."""
    process = subprocess.run(
        [sys.executable, __file__, "--child", method, "--log", str(log), "--url", url]
        + ["--floor"] * floor,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if process.returncode != 0:
        raise SystemExit(f"{method} load of {log.name} failed:\n{process.stderr[-2000:]}")
    return json.loads(process.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# Inputs and databases


def synthetic_log(folder: Path, rows: int, seed: int) -> Path:
    """The synthetic CSV of `rows` requests, generated once and kept in `folder`."""
    path = folder / f"synthetic_{rows}_{seed}.csv"
    if not path.exists():
        print(f"generating {rows:,} synthetic requests into {path} ...", flush=True)
        partial = path.with_suffix(".partial.csv")
        subprocess.run(
            [sys.executable, "-m", "etl", "synth-requests", "--rows", str(rows),
             "--seed", str(seed), "--out", str(partial)],
            check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        partial.rename(path)
    return path


def first_rows(log: Path, rows: int) -> Path:
    """A copy of the log's header and first `rows` records (one record a line)."""
    path = log.with_name(f"{log.stem}_first_{rows}.csv")
    if not path.exists():
        partial = path.with_suffix(".partial.csv")
        with log.open("rb") as source, partial.open("wb") as target:
            for number, line in enumerate(source):
                if number > rows:
                    break
                target.write(line)
        partial.rename(path)
    return path


def fresh_sqlite(folder: Path) -> str:
    path = folder / f"bench_{uuid.uuid4().hex[:8]}.db"
    return f"sqlite:///{path}"


def remove_sqlite(url: str) -> None:
    path = Path(url.removeprefix("sqlite:///"))
    for file in (path, Path(f"{path}-journal")):
        file.unlink(missing_ok=True)


def role_may_skip_foreign_key_checks(url: str) -> bool:
    """Whether the role may set session_replication_role, with which our first load into an
    empty `requests` skips the per-row foreign-key check (see etl.requests.bulk)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return bool(
                connection.execute(
                    text(
                        "select has_parameter_privilege("
                        "current_user, 'session_replication_role', 'SET')"
                    )
                ).scalar()
            )
    finally:
        engine.dispose()


def postgres_url(given: str | None) -> tuple[str | None, str]:
    """(a reachable PostgreSQL URL or None, why not)."""
    url = given or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not url or not url.startswith("postgresql"):
        return None, "no PostgreSQL URL given"
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(url, connect_args={"connect_timeout": 5})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as error:  # any failure to connect means: skip these figures
        return None, f"cannot connect to {url} ({type(error).__name__})"
    return url, ""


class PostgresSchema:
    """A fresh schema of the PostgreSQL database for one run, dropped afterwards."""

    def __init__(self, url: str):
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.name = "bench_" + uuid.uuid4().hex[:12]
        self.admin = create_engine(url, isolation_level="AUTOCOMMIT")
        options = f"-csearch_path={self.name}"
        self.url = (
            make_url(url)
            .update_query_dict({"options": options})
            .render_as_string(hide_password=False)
        )

    def __enter__(self) -> str:
        from sqlalchemy import text

        with self.admin.connect() as connection:
            connection.execute(text(f'create schema "{self.name}"'))
        return self.url

    def __exit__(self, *_exc) -> None:
        from sqlalchemy import text

        with self.admin.connect() as connection:
            connection.execute(text(f'drop schema "{self.name}" cascade'))
        self.admin.dispose()


def run_sqlite(method: str, log: Path, folder: Path, floor: bool = False) -> dict:
    url = fresh_sqlite(folder)
    try:
        return measure(method, log, url, floor)
    finally:
        remove_sqlite(url)


def run_postgres(method: str, log: Path, url: str, floor: bool = False) -> dict:
    with PostgresSchema(url) as schema_url:
        return measure(method, log, schema_url, floor)


def repeated(action, times: int) -> list[dict]:
    return [action() for _ in range(times)]


def summary(runs: list[dict], key: str) -> float:
    return median([run[key] for run in runs])


def ceiling(database: str, rows: int, ours: list[dict], base: dict, target: float) -> Figure:
    """The database's own time for the rows (see _floor_seconds) against the baseline: the
    highest ratio any loader could reach on this machine, and so whether the target can be."""
    return Figure(
        f"{database} alone storing the same rows (ceiling for any loader)", "rows/s",
        rows / summary(ours, "floor_seconds"), rows / base["seconds"], higher=True,
        target=target, baseline_name=BASELINE,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=FULL_ROWS, help="rows of the whole log")
    parser.add_argument(
        "--baseline-rows", type=int, default=FULL_BASELINE_ROWS, help="rows compared with pandas"
    )
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ROWS:,} rows, one run each")
    parser.add_argument("--pg", help="PostgreSQL URL (default BENCH_DATABASE_URL, TEST_...)")
    parser.add_argument("--keep", type=Path, help="keep the generated logs in this folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs of our ingest per figure")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", choices=("ours", "to_sql"), help=argparse.SUPPRESS)
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.log, args.url, args.floor)))
        return
    if args.quick:
        args.rows = args.baseline_rows = QUICK_ROWS
        args.repeat = 1
    started = time.perf_counter()
    folder = args.keep or Path(tempfile.gettempdir()) / "bench-ingest"
    folder.mkdir(parents=True, exist_ok=True)
    whole = synthetic_log(folder, args.rows, args.seed)
    compared_rows = min(args.rows, args.baseline_rows)
    compared = whole if compared_rows == args.rows else first_rows(whole, compared_rows)
    notes: dict = {"rows": args.rows, "baseline_rows": compared_rows, "log": str(whole)}
    figures = []

    print(f"(a) SQLite, {compared_rows:,} rows", flush=True)
    ours = repeated(lambda: run_sqlite("ours", compared, folder, floor=True), args.repeat)
    base = run_sqlite("to_sql", compared, folder)
    figures += [
        Figure(f"SQLite ingest, {compared_rows:,} rows", "rows/s",
               compared_rows / summary(ours, "seconds"), compared_rows / base["seconds"],
               higher=True, target=SQLITE_TARGET, baseline_name=BASELINE),
        ceiling("SQLite", compared_rows, ours, base, SQLITE_TARGET),
    ]  # fmt: skip
    notes["sqlite_ours_runs"] = ours
    notes["sqlite_baseline_run"] = base

    pg, why = postgres_url(args.pg)
    if pg:
        print(f"(b) PostgreSQL, {compared_rows:,} rows", flush=True)
        pg_ours = repeated(lambda: run_postgres("ours", compared, pg, floor=True), args.repeat)
        pg_base = run_postgres("to_sql", compared, pg)
        figures += [
            Figure(f"PostgreSQL ingest, {compared_rows:,} rows", "rows/s",
                   compared_rows / summary(pg_ours, "seconds"),
                   compared_rows / pg_base["seconds"], higher=True, target=POSTGRES_TARGET,
                   baseline_name=BASELINE + " (default method)"),
            ceiling("PostgreSQL", compared_rows, pg_ours, pg_base, POSTGRES_TARGET),
        ]  # fmt: skip
        notes["postgres_ours_runs"] = pg_ours
        notes["postgres_role_skips_foreign_key_checks"] = role_may_skip_foreign_key_checks(pg)
        notes["postgres_baseline_run"] = pg_base
    else:
        notes["postgres"] = f"skipped: {why}"

    print(f"(c) SQLite, all {args.rows:,} rows", flush=True)
    whole_runs = ours if compared is whole else [run_sqlite("ours", whole, folder)]
    seconds = summary(whole_runs, "seconds")
    scale = args.rows / compared_rows  # the baseline's rate, extrapolated to the whole log
    limit = SECONDS_FOR_FULL_ROWS * args.rows / FULL_ROWS
    figures += [
        Figure(f"SQLite ingest, all {args.rows:,} rows: time", "s", seconds,
               base["seconds"] * scale, higher=False, limit=limit,
               baseline_name=f"{BASELINE}, its rate in (a) extrapolated"),
        Figure(f"SQLite ingest, all {args.rows:,} rows: rate", "rows/s", args.rows / seconds,
               compared_rows / base["seconds"], higher=True,
               baseline_name=f"{BASELINE} in (a)"),
        Figure(f"SQLite ingest, all {args.rows:,} rows: peak RSS", "MB",
               max(run["peak_rss_mb"] for run in whole_runs), base["peak_rss_mb"],
               higher=False, limit=PEAK_RSS_LIMIT_MB,
               baseline_name=f"{BASELINE} on {compared_rows:,} rows"),
    ]  # fmt: skip
    notes["whole_runs"] = whole_runs
    notes["time_limit"] = f"{SECONDS_FOR_FULL_ROWS:g} s for {FULL_ROWS:,} rows, pro rata"
    notes["load_average"] = os.getloadavg()
    notes["benchmark_seconds"] = round(time.perf_counter() - started, 1)
    report("ingest", args.quick, figures, notes)
    if not pg:
        print(
            f"   PostgreSQL figures skipped ({why}): start a server and pass --pg "
            "postgresql+psycopg://USER@HOST:5432/DB or set BENCH_DATABASE_URL"
        )


if __name__ == "__main__":
    main()
