"""Benchmark: generate, load and re-load a synthetic request log, then time the dashboard's
queries on the rollups against the same answers computed from the raw log (the baseline the
rollups replace). Prints its figures; never a timed test.

    python bench/requests_load.py [--rows 1000000] [--format csv|parquet] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from db.engine import create_schema, make_engine  # noqa: E402
from db.queries import requests as queries  # noqa: E402
from etl import load  # noqa: E402
from etl.requests import synth  # noqa: E402

RAW_SCORECARD = """
select platform, substr(received_date, 1, 7) as month, count(*) as requests,
       sum(outcome in ('removed', 'blocked')) as actioned
from requests group by 1, 2
"""


def timed(label: str, action):
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    print(f"{label:<48} {seconds:8.2f} s")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=("csv", "parquet"), default="parquet")
    parser.add_argument("--keep", type=Path, help="keep the log and database in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-requests-"))
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"synthetic_{args.rows}.{args.format}"
    database = folder / "bench.db"
    database.unlink(missing_ok=True)
    print(f"{args.rows:,} synthetic requests, {args.format}, in {folder}")
    table, _ = timed("generate", lambda: synth.generate_table(args.rows, args.seed))
    timed(f"write {args.format}", lambda: synth.write(table, log))
    engine = make_engine(f"sqlite:///{database}")
    create_schema(engine)
    report, load_seconds = timed(
        "load (validate, stage, merge, roll up)", lambda: load.run([str(log)], engine, write=True)
    )
    assert not report.problems, report.problems[:3]
    print(f"{'':<48} {args.rows / load_seconds:10,.0f} rows/s")
    timed("re-load the unchanged file (a no-op)", lambda: load.run([str(log)], engine, write=True))
    _, rollup_seconds = timed(
        "page queries on the rollups",
        lambda: (
            queries.scorecard(engine),
            queries.counts(engine, "day", "platform"),
            queries.backlog(engine),
            queries.breakdown(engine, "region"),
        ),
    )
    _, public_seconds = timed(
        "public suppressed table (first build)", lambda: queries.public_monthly(engine, 10)
    )

    def raw_scorecard():
        with engine.connect() as connection:
            return connection.execute(text(RAW_SCORECARD)).all()

    _, raw_seconds = timed("baseline: one GROUP BY over the raw log", raw_scorecard)
    print(
        f"rollups answer the pages {raw_seconds / max(rollup_seconds, 1e-6):,.1f}x faster "
        f"than a single scan of the raw log (and the pages make several)"
    )
    print(
        f"database size: {database.stat().st_size / 1e6:,.0f} MB; public build "
        f"{public_seconds:.2f} s once per load"
    )


if __name__ == "__main__":
    main()
