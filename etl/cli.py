"""The ETL command line: load, validate, status, show, history and users."""

from __future__ import annotations

import argparse
import json
import sys

import pandas as pd
from sqlalchemy import inspect

import config
from db.engine import create_schema, make_engine
from db.queries.observations import find_observations, revision_history
from db.queries.status import counts, recent_runs
from etl import load
from etl import users as users_cli
from etl.requests import cli as requests_cli

SHOW_KEYS = [
    "metric",
    "dimension",
    "category",
    "period_start",
    "period_end",
    "is_complete",
    "value",
    "unit",
    "source_url",
]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl",
        description="Load published figures, events and registries into the database "
        f"(DATABASE_URL, now {config.database_url()}).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("load", "validate, then load files or folders in one transaction"),
        ("validate", "run every check without writing anything"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("paths", nargs="+", help="CSV/XLSX/Parquet files or folders")
        if name == "load":
            p.add_argument(
                "--skip-invalid",
                action="store_true",
                help="load the valid rows and keep each rejected row with its reason",
            )
    p = sub.add_parser("status", help="row counts, last load and recent runs")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p = sub.add_parser("show", help="headline rows of one metric")
    p.add_argument("metric")
    p.add_argument("--json", action="store_true", help="print the rows as a JSON list")
    p.add_argument("--all", action="store_true", help="include alternates, not only headlines")
    p = sub.add_parser("history", help="every version of a metric's rows, with their runs")
    p.add_argument("metric")
    users_cli.add_parser(sub)
    requests_cli.add_parser(sub)
    return parser


def _ready_engine(create: bool):
    engine = make_engine()
    if create or not inspect(engine).has_table("observations"):
        create_schema(engine)
    return engine


def _print_problems(problems) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    rows = len({(p.file_name, p.row) for p in problems})
    print(f"{len(problems)} problem(s) in {rows} row(s); nothing was written.", file=sys.stderr)


def _load_or_validate(args) -> int:
    write = args.command == "load"
    engine = _ready_engine(create=write)
    report = load.run(
        args.paths, engine, write=write, skip_invalid=getattr(args, "skip_invalid", False)
    )
    if report.problems and not report.written:
        _print_problems(report.problems)
        return 1
    for line in report.lines:
        print(line)
    if report.problems:
        print(
            f"{len(report.problems)} problem(s); the rows concerned were kept as rejected rows",
            file=sys.stderr,
        )
        for problem in report.problems:
            print(problem, file=sys.stderr)
    if not write:
        print("valid: no problems found")
    return 0


def _records(frame: pd.DataFrame, keys: list[str]) -> list[dict]:
    out = []
    for row in frame[keys].to_dict("records"):
        for k in ("period_start", "period_end"):
            row[k] = row[k].isoformat() if row[k] is not None and not pd.isna(row[k]) else None
        row["is_complete"] = bool(row["is_complete"])
        row["value"] = float(row["value"])
        out.append(row)
    return out


def _show(args) -> int:
    engine = _ready_engine(create=False)
    frame = find_observations(engine, metrics=[args.metric], headline_only=not args.all)
    if frame.empty:
        print(f"no rows for metric '{args.metric}'", file=sys.stderr)
        if args.json:
            print("[]")
        return 1
    keys = SHOW_KEYS + ([] if not args.all else ["is_headline"])
    if args.json:
        print(
            json.dumps(
                _records(frame, keys + ["source_title", "published_date", "tier", "is_unverified"]),
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        view = frame[keys + ["tier", "published_date"]].copy()
        view["is_complete"] = view["is_complete"].map({True: "complete", False: "PARTIAL"})
        print(view.to_string(index=False))
    return 0


def _status(args) -> int:
    engine = _ready_engine(create=False)
    summary = counts(engine)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    for key, value in summary.items():
        print(f"{key:>25}: {value}")
    runs = recent_runs(engine, 10)
    if not runs.empty:
        print("\nrecent runs:")
        print(runs.drop(columns=["sha256", "started_at"]).to_string(index=False))
    return 0


def _history(args) -> int:
    frame = revision_history(_ready_engine(create=False), args.metric)
    if frame.empty:
        print(f"no rows for metric '{args.metric}'", file=sys.stderr)
        return 1
    frame["superseded_by_run"] = [
        "current" if pd.isna(v) else str(int(v)) for v in frame["superseded_by_run"]
    ]
    print(
        frame[
            [
                "dimension",
                "category",
                "period_start",
                "period_end",
                "value",
                "unit",
                "source_url",
                "run_id",
                "superseded_by_run",
                "file_name",
            ]
        ].to_string(index=False)
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {
        "load": _load_or_validate,
        "validate": _load_or_validate,
        "status": _status,
        "show": _show,
        "history": _history,
        "users": users_cli.main,
        "synth-requests": requests_cli.main,
    }
    return handlers[args.command](args)
