"""`python -m etl synth-requests`: write a synthetic request log (CSV or Parquet)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from etl.requests import synth

MAX_ROWS = 100_000_000


def add_parser(sub) -> None:
    p = sub.add_parser(
        "synth-requests",
        help="write a synthetic request log (every row marked synthetic)",
        description="Write a synthetic takedown and assistance request log for demos, tests and "
        "benchmarks. The same --rows and --seed always give the same bytes. Every row is "
        "marked synthetic (column synthetic=true, ids starting SYN-): the database keeps the "
        "mark, the internal view labels charts that use it, the public view never shows it.",
    )
    p.add_argument("--rows", type=int, required=True, help="how many requests to write")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output file, .csv or .parquet (default synthetic_requests_<rows>_<seed>.csv)",
    )


def main(args: argparse.Namespace) -> int:
    if not 1 <= args.rows <= MAX_ROWS:
        print(f"--rows: give a number from 1 to {MAX_ROWS:,}", file=sys.stderr)
        return 2
    out = args.out or Path(f"synthetic_requests_{args.rows}_{args.seed}.csv")
    if out.suffix.lower() not in (".csv", ".parquet"):
        print(f"--out: {out.name} must end in .csv or .parquet", file=sys.stderr)
        return 2
    started = time.perf_counter()
    table = synth.generate_table(args.rows, args.seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    synth.write(table, out)
    seconds = time.perf_counter() - started
    print(f"{out}: {args.rows:,} synthetic requests (seed {args.seed}) in {seconds:.1f} s")
    return 0
