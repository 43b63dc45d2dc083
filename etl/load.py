"""Load: read and validate every file, then write them all in one transaction or not at all."""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.engine import Connection

from db.schema import (
    EtlRun,
    Event,
    Metric,
    Observation,
    RejectedRow,
    SeriesBreak,
    Source,
    Unit,
)
from etl import kinds
from etl.dates import parse_fuzzy
from etl.headline import refresh_headlines
from etl.readers import ROW_NUMBER, ReadError, Table, read_table
from etl.requests import ingest as request_ingest
from etl.validate import (
    Problem,
    Registry,
    header_problems,
    parse_value,
    split_unit,
    validate_table,
)

TABLE_SUFFIXES = (".csv", ".xlsx", ".parquet")  # Parquet: request logs
TIER_RANK = {"official": 0, "wire": 1, "press": 2, "aggregator": 3}
PROGRESS_EVERY = 20_000


@dataclass
class Prepared:
    table: Table
    kind: kinds.FileKind
    problems: list[Problem]

    @property
    def valid_frame(self) -> pd.DataFrame:
        bad_rows = {p.row for p in self.problems}
        frame = self.table.frame
        return frame[~frame[ROW_NUMBER].isin(bad_rows)]


@dataclass
class Report:
    """What a load or validate run found and did, for the command line to print."""

    problems: list[Problem] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    written: bool = False


def collect_files(paths: list[str]) -> tuple[list[Path], list[Problem]]:
    files, problems = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES
            )
            if not found:
                problems.append(Problem(str(path), 0, "-", "folder holds no .csv or .xlsx file"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), 0, "-", "no such file or folder"))
    return files, problems


def registry_from_database(connection: Connection | None) -> Registry:
    registry = Registry()
    if connection is None:
        return registry
    for unit, kind in connection.execute(select(Unit.unit, Unit.kind)):
        registry.units.add(unit)
        registry.unit_kinds[unit] = kind
    registry.metrics.update(connection.scalars(select(Metric.metric)))
    registry.source_urls.update(connection.scalars(select(Source.source_url)))
    return registry


def _extend_registry(registry: Registry, prepared: Prepared) -> None:
    frame = prepared.valid_frame
    if prepared.kind is kinds.UNITS:
        registry.units.update(frame["unit"])
        registry.unit_kinds.update(zip(frame["unit"], frame["kind"]))
    elif prepared.kind is kinds.METRICS:
        registry.metrics.update(frame["metric"])
    elif prepared.kind is kinds.SOURCES:
        registry.source_urls.update(frame["source_url"])


def prepare(files: list[Path], registry: Registry) -> tuple[list[Prepared], list[Problem]]:
    """Read and validate every file; registries in the batch count for the files after them.

    Returns the readable files with their row problems, and the problems that make a whole file
    unusable (unreadable, unknown layout, missing or unknown columns)."""
    tables, problems = [], []
    for path in files:
        try:
            table = read_table(path)
        except ReadError as error:
            problems.append(Problem(error.file_name, error.row, error.column, error.reason))
            continue
        except OSError as error:
            problems.append(Problem(path.name, 0, "-", f"cannot read the file ({error})"))
            continue
        tables.append((table, kinds.detect_kind(table.columns)))
    known = []
    for table, kind in tables:
        blocking = header_problems(table, kind)
        if blocking:
            problems += blocking
        else:
            known.append((table, kind))
    known.sort(key=lambda tk: tk[1].load_order)
    prepared = []
    for table, kind in known:
        if len(table.frame) >= PROGRESS_EVERY:
            print(f"validating {table.name}: {len(table.frame):,} rows", file=sys.stderr)
        item = Prepared(table, kind, validate_table(table, kind, registry))
        _extend_registry(registry, item)
        prepared.append(item)
    return prepared, problems


def _last_sha(connection: Connection, file_name: str) -> str | None:
    row = connection.execute(
        select(EtlRun.sha256)
        .where(EtlRun.file_name == file_name, EtlRun.outcome.in_(("loaded", "partial")))
        .order_by(EtlRun.run_id.desc())
        .limit(1)
    ).first()
    return row[0] if row else None


def _iso_or_none(text: str) -> dt.date | None:
    return None if text == "unknown" else dt.date.fromisoformat(text)


def _published(text: str) -> tuple[str, dt.date | None]:
    parsed = parse_fuzzy(text, allow_unknown=True)
    return parsed.precision, parsed.start


def _source_ids(connection: Connection) -> dict[str, int]:
    return dict(connection.execute(select(Source.source_url, Source.source_id)).all())


def _upsert(connection: Connection, model, key: str, records: list[dict]) -> int:
    """Insert new registry rows and update changed ones; returns how many changed."""
    column = getattr(model, key)
    existing = {row[key]: row for row in connection.execute(select(model.__table__)).mappings()}
    changed = 0
    for record in records:
        old = existing.get(record[key])
        if old is None:
            connection.execute(insert(model), [record])
            changed += 1
        elif any(old[k] != v for k, v in record.items()):
            connection.execute(update(model).where(column == record[key]).values(**record))
            changed += 1
    return changed


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    return (
        frame[column]
        if column in frame.columns
        else pd.Series([""] * len(frame), index=frame.index)
    )


def _registry_records(kind: kinds.FileKind, frame: pd.DataFrame) -> list[dict]:
    if kind is kinds.UNITS:
        return frame[list(kind.required)].to_dict("records")
    if kind is kinds.METRICS:
        out = frame[list(kind.required)].copy()
        for column in kind.optional:
            out[column] = _text(frame, column)
        return out.to_dict("records")
    records = []
    for row in frame.to_dict("records"):
        precision, sort_date = _published(row["published_date"])
        records.append(
            {
                "source_url": row["source_url"],
                "title": row["title"],
                "publisher": row["publisher"],
                "published_date": row["published_date"],
                "published_precision": precision,
                "published_sort_date": sort_date,
                "language": row["language"],
                "tier": row["tier"],
                "tier_rank": TIER_RANK[row["tier"]],
                **{c: row.get(c, "") for c in kind.optional},
            }
        )
    return records


def _figure_records(frame: pd.DataFrame, source_ids: dict[str, int]) -> list[dict]:
    records = []
    notes = _text(frame, "notes")
    for row, note in zip(frame.to_dict("records"), notes):
        unit, approximate, lower_bound = split_unit(row["unit"])
        records.append(
            {
                "metric": row["metric"],
                "dimension": row["dimension"],
                "category": row["category"],
                "period_start": _iso_or_none(row["period_start"]),
                "period_end": _iso_or_none(row["period_end"]),
                "is_complete": row["period_complete"] == "yes",
                "value": parse_value(row["value"]),
                "unit": unit,
                "is_approximate": approximate,
                "is_lower_bound": lower_bound,
                "source_id": source_ids[row["source_url"]],
                "source_org": row["source_org"],
                "source_title": row["source_title"],
                "published_date": row["published_date"],
                "notes": note,
                "row_number": int(row[ROW_NUMBER]),
            }
        )
    return records


def _event_records(frame: pd.DataFrame, source_ids: dict[str, int]) -> list[dict]:
    records = []
    for row in frame.to_dict("records"):
        parsed = parse_fuzzy(row["date"], allow_range=True)
        records.append(
            {
                "date_text": row["date"],
                "date_precision": parsed.precision,
                "date_start": parsed.start,
                "date_end": parsed.end,
                "description": row["event"],
                "source_id": source_ids[row["source_url"]],
                "row_number": int(row[ROW_NUMBER]),
            }
        )
    return records


def _break_records(frame: pd.DataFrame, source_ids: dict[str, int]) -> list[dict]:
    return [
        {
            "metric": row["metric"],
            "break_date": dt.date.fromisoformat(row["break_date"]),
            "kind": row["kind"],
            "label_en": row["label_en"],
            "label_ko": row["label_ko"],
            "source_id": source_ids[row["source_url"]],
        }
        for row in frame.to_dict("records")
    ]


IGNORED_IN_CONTENT = {
    "row_number",
    "observation_id",
    "event_id",
    "file_name",
    "run_id",
    "superseded_by_run",
    "is_headline",
    "is_unverified",
}


def _content(record: dict) -> tuple:
    return tuple(sorted((k, v) for k, v in record.items() if k not in IGNORED_IN_CONTENT))


def _replace_file_rows(
    connection: Connection, model, id_column: str, file_name: str, records: list[dict], run_id: int
) -> tuple[int, int]:
    """Keep unchanged rows, supersede rows the new version dropped or changed, insert the rest.

    Returns (inserted, superseded)."""
    current = (
        connection.execute(
            select(model.__table__).where(
                model.file_name == file_name, model.superseded_by_run.is_(None)
            )
        )
        .mappings()
        .all()
    )
    by_content: dict[tuple, list[int]] = {}
    for row in current:
        by_content.setdefault(_content(dict(row)), []).append(row[id_column])
    new_records = []
    for record in records:
        ids = by_content.get(_content(record))
        if ids:
            ids.pop()
        else:
            new_records.append({**record, "file_name": file_name, "run_id": run_id})
    dropped = [i for ids in by_content.values() for i in ids]
    if dropped:
        id_attr = getattr(model, id_column)
        for start in range(0, len(dropped), 500):
            connection.execute(
                update(model)
                .where(id_attr.in_(dropped[start : start + 500]))
                .values(superseded_by_run=run_id)
            )
    for start in range(0, len(new_records), PROGRESS_EVERY):
        connection.execute(insert(model), new_records[start : start + PROGRESS_EVERY])
        if len(new_records) > PROGRESS_EVERY:
            done = min(start + PROGRESS_EVERY, len(new_records))
            print(f"  {file_name}: {done:,}/{len(new_records):,} rows written", file=sys.stderr)
    return len(new_records), len(dropped)


def _write_one(connection: Connection, item: Prepared, started: dt.datetime) -> str:
    table, kind = item.table, item.kind
    frame = item.valid_frame
    run_id = connection.execute(
        insert(EtlRun).values(
            file_name=table.name,
            file_kind=kind.name,
            sha256=table.sha256,
            started_at=started,
            rows_read=len(table.frame),
            outcome="loaded",
            message=f"read as {table.encoding}",
        )
    ).inserted_primary_key[0]
    superseded = 0
    if kind in (kinds.UNITS, kinds.METRICS, kinds.SOURCES):
        key = {"units": "unit", "metrics": "metric", "sources": "source_url"}[kind.name]
        model = {"units": Unit, "metrics": Metric, "sources": Source}[kind.name]
        loaded = _upsert(connection, model, key, _registry_records(kind, frame))
    elif kind is kinds.SERIES_BREAKS:
        records = _break_records(frame, _source_ids(connection))
        connection.execute(SeriesBreak.__table__.delete())
        connection.execute(insert(SeriesBreak), records)
        loaded = len(records)
    elif kind is kinds.FIGURES:
        records = _figure_records(frame, _source_ids(connection))
        loaded, superseded = _replace_file_rows(
            connection, Observation, "observation_id", table.name, records, run_id
        )
    else:
        records = _event_records(frame, _source_ids(connection))
        loaded, superseded = _replace_file_rows(
            connection, Event, "event_id", table.name, records, run_id
        )
    rejected = _record_rejections(connection, item, run_id)
    connection.execute(
        update(EtlRun)
        .where(EtlRun.run_id == run_id)
        .values(
            finished_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            rows_loaded=loaded,
            rows_rejected=rejected,
            rows_superseded=superseded,
            outcome="partial" if rejected else "loaded",
        )
    )
    return (
        f"{table.name}: {kind.label}, {len(table.frame)} rows read, {loaded} new or changed,"
        f" {superseded} superseded, {rejected} rejected (run {run_id})"
    )


def _record_rejections(connection: Connection, item: Prepared, run_id: int) -> int:
    if not item.problems:
        return 0
    raw = {int(r[ROW_NUMBER]): r for r in item.table.frame.to_dict("records")}
    records = [
        {
            "run_id": run_id,
            "file_name": p.file_name,
            "row_number": p.row,
            "column_name": p.column,
            "reason": p.reason,
            "raw_row": json.dumps(
                {k: v for k, v in raw.get(p.row, {}).items() if k != ROW_NUMBER}, ensure_ascii=False
            ),
        }
        for p in item.problems
    ]
    connection.execute(insert(RejectedRow), records)
    return len({p.row for p in item.problems})


def run(paths: list[str], engine: Engine | None, write: bool, skip_invalid: bool = False) -> Report:
    """Validate (and, when `write`, load) files; all or nothing unless `skip_invalid`."""
    report = Report()
    files, report.problems = collect_files(paths)
    logs, files, unreadable_logs = request_ingest.split_logs(files)  # streamed, not prepared
    if engine is not None:
        with engine.connect() as connection:
            registry = registry_from_database(connection)
    else:
        registry = Registry()
    prepared, blocking = prepare(files, registry)
    blocking += unreadable_logs
    report.problems += blocking
    row_problems = [p for item in prepared for p in item.problems]
    report.problems += row_problems
    report.problems.sort(key=lambda p: (p.file_name, p.row, p.column))
    if not write or report.problems and (blocking or not skip_invalid):
        report.problems += request_ingest.validate_logs(engine, logs)
        report.problems.sort(key=lambda p: (p.file_name, p.row, p.column))
        return report
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    try:
        with engine.begin() as connection:
            for item in prepared:
                if _last_sha(connection, item.table.name) == item.table.sha256:
                    report.lines.append(
                        f"{item.table.name}: unchanged since its last load, skipped"
                    )
                    continue
                report.lines.append(_write_one(connection, item, started))
                report.written = True
            if report.written:
                refresh_headlines(connection)
            logged = request_ingest.load_logs(connection, logs, skip_invalid, started)
            report.problems += logged.problems
            report.lines += logged.lines
            report.written = report.written or logged.written
            if logged.blocking or (logged.problems and not skip_invalid):
                raise request_ingest.RollBack
    except request_ingest.RollBack:
        report.written, report.lines = False, []
        report.problems.sort(key=lambda p: (p.file_name, p.row, p.column))
        return report
    if not report.written:
        report.lines.append("nothing to load: every file is unchanged")
    return report


def observation_count(connection: Connection) -> int:
    return connection.scalar(
        select(func.count()).select_from(Observation).where(Observation.superseded_by_run.is_(None))
    )
