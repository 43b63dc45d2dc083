"""Datasette beside our API and downloads, on the same SQLite database file in the same run:
filtered observations as JSON and as CSV (requests/s and p99 each), and a whole-table CSV
export of 1,000,000 rows (rows/s; a side that delivers fewer rows than it should is "cut").

    python bench/datasette.py [--seconds 10] [--connections 20] [--workers 2] [--repeats 3]
                              [--rows 1000000] [--quick]

Datasette (pinned below) runs from its own virtualenv in the benchmark cache, created on the
first run. Targets: ours at least 10x Datasette's JSON requests/s, 5x its CSV requests/s and
10x its export rows/s, and our export delivers every row.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import _load, _serve  # noqa: E402
from bench._report import Figure, median, report  # noqa: E402

DATASETTE = "datasette==0.65.5"
# Datasette's own filters for what our API answers by default: current, verified headlines
CURRENT_HEADLINES = "is_headline=1&is_unverified=0&superseded_by_run__isnull=1"
TARGETS = {"json": 10, "csv": 5, "export": 10}
EXPORT_TABLE_ROWS = 1_000_000
QUICK_EXPORT_TABLE_ROWS = 20_000
COPIED_COLUMNS = (
    "metric, dimension, category, period_start, period_end, is_complete, value, unit, "
    "is_approximate, is_lower_bound, source_id, source_org, source_title, published_date, "
    "notes, file_name, row_number, run_id, superseded_by_run, is_headline, is_unverified"
)


def datasette_executable() -> tuple[Path, str]:
    """Datasette's command in its own virtualenv (created the first time) and what happened."""
    venv = _serve.CACHE / ("venv-" + DATASETTE.replace("==", "-"))
    executable, complete = venv / "bin" / "datasette", venv / ".complete"
    if complete.exists():
        return executable, f"{DATASETTE} from the cached virtualenv {venv}"
    started = time.monotonic()
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", DATASETTE],
        check=True, capture_output=True,
    )  # fmt: skip
    complete.touch()
    seconds = time.monotonic() - started
    return executable, f"{DATASETTE}: virtualenv created now in {seconds:.0f} s ({venv}), kept"


def grow_observations(path: Path, table_rows: int) -> None:
    """Fill the observations table of the database at `path` up to `table_rows` rows with
    copies of its current verified figures, each under its own category (so every copy is a
    headline of its own key)."""
    with sqlite3.connect(path) as connection:
        present = connection.execute("select count(*) from observations").fetchone()[0]
        connection.execute(
            f"""
            with recursive copies(n) as (
                select 0 union all select n + 1 from copies where n + 1 < :extra
            ),
            originals as (
                select *, row_number() over (order by observation_id) - 1 as k,
                       count(*) over () as originals
                from observations where superseded_by_run is null and is_unverified = 0
            )
            insert into observations ({COPIED_COLUMNS})
            select o.metric, 'bench_copy', printf('copy-%07d', c.n), o.period_start,
                   o.period_end, o.is_complete, o.value, o.unit, o.is_approximate,
                   o.is_lower_bound, o.source_id, o.source_org, o.source_title,
                   o.published_date, o.notes, o.file_name, o.row_number, o.run_id, null, 1, 0
            from copies c join originals o on o.k = c.n % o.originals
            """,
            {"extra": max(0, table_rows - present)},
        )


def export_database(folder: Path, table_rows: int) -> str:
    """A copy in `folder` of the ETL-built database whose observations table holds
    `table_rows` rows (kept in the benchmark cache)."""

    def make(path: Path) -> None:
        source = _serve.cached_database(path.parent, name=path.name + ".base")
        Path(source.removeprefix("sqlite:///")).rename(path)
        grow_observations(path, table_rows)

    cached, _ = _serve.cached_file(
        "export.db", _serve.fingerprint("data/", f"observations={table_rows}"), make
    )
    shutil.copyfile(cached, folder / "export.db")
    return f"sqlite:///{folder / 'export.db'}"


def busiest_metric(database_path: Path) -> tuple[str, int]:
    with sqlite3.connect(database_path) as connection:
        return connection.execute(
            "select metric, count(*) from observations where superseded_by_run is null "
            "and is_headline = 1 and is_unverified = 0 group by metric order by 2 desc limit 1"
        ).fetchone()


def start_datasette(executable: Path, databases: list[Path]) -> _serve.Server:
    port = _serve.free_port()
    command = [str(executable), "serve", "--host", _serve.HOST, "--port", str(port)]
    for database in databases:
        command += ["-i", str(database)]  # immutable: read-only, as published databases are
    return _serve.start("datasette", command, {"PATH": "/usr/bin:/bin"}, port, "/-/versions.json")


def throughput(base_url: str, request: _load.Request, args) -> _load.LoadResult:
    return _load.run(base_url, [_load.Step(request)], args.connections, args.seconds, stagger=False)


def stream_rows(url: str) -> tuple[int, float, dict]:
    """Rows of a CSV download (header excluded), seconds until its last byte, and headers."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=900) as response:
        counter = CsvRowCounter()
        while block := response.read(1 << 20):
            counter.feed(block)
        headers = dict(response.headers)
    return max(counter.rows() - 1, 0), time.perf_counter() - started, headers


class CsvRowCounter:
    """The records of a CSV file fed in blocks of bytes, as the csv module reads them: line
    ends outside quoted cells (a quote inside a quoted cell is doubled, so quotes alternate in
    and out of cells), counted by bytes methods. The csv module itself would cost the client
    about 6 s of CPU for a 1 M-row export, taken from the two cores the servers run on."""

    def __init__(self):
        self.ends, self.quoted, self.last = 0, False, b""

    def feed(self, block: bytes) -> None:
        parts = block.split(b'"')
        self.ends += sum(part.count(b"\n") for part in parts[1 if self.quoted else 0 :: 2])
        self.quoted ^= len(parts) % 2 == 0
        self.last = block[-1:]

    def rows(self) -> int:
        return self.ends + (1 if self.last not in (b"", b"\n") else 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each; medians shown")
    parser.add_argument("--rows", type=int, default=EXPORT_TABLE_ROWS, help="export table rows")
    parser.add_argument("--quick", action="store_true", help="2 s runs, a 20,000-row export")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.repeats = min(args.seconds, 2), 1
        args.rows = min(args.rows, QUICK_EXPORT_TABLE_ROWS)
    started = time.monotonic()
    executable, venv_note = datasette_executable()
    folder = Path(tempfile.mkdtemp(prefix="bench-datasette-"))
    database = _serve.cached_database(folder, name="bench.db")
    export = export_database(folder, args.rows)
    bench_path, export_path = folder / "bench.db", folder / "export.db"
    metric, metric_rows = busiest_metric(bench_path)
    # every load comes from 127.0.0.1: the per-address limit is set far above it (still checked)
    settings = {"PUBLIC_RATE_LIMIT_PER_MINUTE": "100000000"}
    wanted = {
        "json": (
            _load.Request("ours JSON", f"/api/v1/observations?metric={metric}"),
            _load.Request("Datasette JSON",
                          f"/bench/observations.json?metric={metric}&{CURRENT_HEADLINES}"),
        ),
        "csv": (
            _load.Request("ours CSV", f"/download/observations.csv?metric={metric}"),
            _load.Request("Datasette CSV",
                          f"/bench/observations.csv?metric={metric}&{CURRENT_HEADLINES}"),
        ),
    }  # fmt: skip
    figures, notes = [], {"Datasette": venv_note}
    with start_datasette(executable, [bench_path, export_path]) as theirs, \
            _serve.start_gunicorn(database, args.workers, settings=settings) as ours:  # fmt: skip
        for request in [r for pair in wanted.values() for r in pair]:  # warm both, once each
            base = theirs.base_url if request.route.startswith("Datasette") else ours.base_url
            throughput(base, request, argparse.Namespace(connections=2, seconds=0.5))
        results: dict[str, list[_load.LoadResult]] = {}
        for _ in range(args.repeats):
            for our_request, their_request in wanted.values():
                for base, request in ((ours.base_url, our_request),
                                      (theirs.base_url, their_request)):  # fmt: skip
                    results.setdefault(request.route, []).append(throughput(base, request, args))
        for kind in wanted:
            ours_runs = results[f"ours {kind.upper()}"]
            their_runs = results[f"Datasette {kind.upper()}"]
            figures += [
                Figure(f"filtered {kind.upper()}", "requests/s",
                       median([r.requests_per_second for r in ours_runs]),
                       median([r.requests_per_second for r in their_runs]),
                       target=TARGETS[kind], baseline_name="Datasette"),
                Figure(f"filtered {kind.upper()} p99", "ms", median([r.p99_ms for r in ours_runs]),
                       median([r.p99_ms for r in their_runs]), higher=False,
                       baseline_name="Datasette"),
            ]  # fmt: skip
        errors = [line for runs in results.values() for r in runs for line in r.error_lines()]
        notes["errors"] = errors or "none"
        notes["loader"] = next(iter(results.values()))[0].loader
        with _serve.start_gunicorn(export, args.workers, settings=settings) as ours_export:
            # every worker answers once first, as Datasette has: a worker's first request
            # sets the app up, which is no part of an export
            warm = _load.Request("warm-up", "/api/v1/metrics")
            throughput(ours_export.base_url, warm, argparse.Namespace(connections=4, seconds=1))
            our_rows, our_seconds, our_headers = stream_rows(
                ours_export.base_url + "/download/observations.csv?headline_only=false"
            )
        their_rows, their_seconds, _ = stream_rows(
            theirs.base_url + "/export/observations.csv?_stream=on"
        )
    with sqlite3.connect(export_path) as connection:
        table_rows = connection.execute("select count(*) from observations").fetchone()[0]
    our_expected = int(our_headers.get("X-Rows-Total", table_rows))
    our_cut = our_rows < our_expected or "X-Rows-Capped" in our_headers
    their_cut = their_rows < table_rows
    figures.append(
        Figure("whole-table CSV export", "rows/s", our_rows / our_seconds,
               their_rows / their_seconds, target=TARGETS["export"], baseline_name="Datasette")
    )  # fmt: skip
    notes["export"] = (
        f"observations table of {table_rows:,} rows; ours /download/observations.csv"
        f"?headline_only=false delivered {our_rows:,} of the {our_expected:,} rows the public "
        f"view publishes in {our_seconds:.1f} s{' (cut)' if our_cut else ''} (its server "
        "warmed first by 1 s of GET /api/v1/metrics, as Datasette's was by the runs above); "
        "Datasette "
        f"?_stream=on delivered {their_rows:,} of {table_rows:,} in {their_seconds:.1f} s"
        f"{' (cut: its max_csv_mb, 100 MB by default)' if their_cut else ''}"
    )
    notes["export rows complete"] = {"ours": not our_cut, "Datasette": not their_cut}
    notes["export rows counted"] = (
        "as the csv module reads them (line ends outside quoted cells), by bytes methods, so "
        "the client's parsing takes little of the two cores the servers share"
    )
    notes["export table"] = (
        "the ETL-built database with its observations copied (each copy a headline under its "
        "own category) up to the table size: the ETL loads figures at under 1,000 rows/s, and "
        "no route exports the request log"
    )
    notes["filter"] = (
        f"metric={metric} ({metric_rows} current verified headline rows); Datasette with "
        f"{CURRENT_HEADLINES}, the rows our API answers by default"
    )
    notes["servers"] = (
        f"ours: gunicorn, {args.workers} sync workers, public view, "
        f"{_serve.describe_settings(settings)}; Datasette: one process, -i (immutable), "
        "default settings"
    )
    notes["load"] = (
        f"{args.connections} connections, {args.seconds:g} s a run, ours and Datasette "
        f"alternating, {args.repeats} run(s) each, medians"
    )
    notes["total time"] = f"{time.monotonic() - started:.0f} s"
    report("datasette", args.quick, figures, notes)
    return 0 if not our_cut else 1


if __name__ == "__main__":
    sys.exit(main())
