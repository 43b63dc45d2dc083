"""The registry datasets (metrics, sources, events) as rows, shared by the API and downloads."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy.engine import Engine

from db.queries.listings import list_events, list_series_breaks, list_sources
from db.queries.metrics import list_metrics
from web.csvout import format_number
from web.fields import DATASETS, names


def registry_rows(engine: Engine, dataset: str, include_unverified: bool) -> list[dict]:
    """Every row of a registry, reduced to its published columns in order."""
    if dataset == "metrics":
        frame = list_metrics(engine)
        rows = frame.to_dict("records") if not frame.empty else []
    elif dataset == "sources":
        rows = list_sources(engine, include_unverified=include_unverified)
    elif dataset == "events":
        rows = list_events(engine)
    else:
        raise KeyError(dataset)
    columns = names(DATASETS[dataset])
    return [{c: row.get(c) for c in columns} for row in rows]


def metrics_with_breaks(engine: Engine) -> list[dict]:
    """The metric registry, each metric with its dated series breaks (for JSON)."""
    breaks = defaultdict(list)
    for row in list_series_breaks(engine):
        breaks[row["metric"]].append({k: v for k, v in row.items() if k != "metric"})
    rows = registry_rows(engine, "metrics", include_unverified=True)
    return [{**row, "series_breaks": breaks.get(row["metric"], [])} for row in rows]


def json_value(value: object) -> object:
    """A value as JSON carries it: dates as ISO strings, numbers without a needless '.0'."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, list):
        return [json_record(v) if isinstance(v, dict) else json_value(v) for v in value]
    return str(value)


def json_record(row: dict) -> dict:
    return {key: json_value(value) for key, value in row.items()}
