"""The file layouts the ETL accepts, recognised by their header names (column order is free)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    name: str
    label: str
    signature: str  # a column only this layout has
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    load_order: int = 0

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


UNITS = FileKind(
    "units", "unit registry", "kind", ("unit", "name_en", "name_ko", "kind"), load_order=0
)
METRICS = FileKind(
    "metrics",
    "metric registry",
    "definition_en",
    ("metric", "agency", "theme", "name_en", "name_ko", "unit", "definition_en", "definition_ko"),
    ("breaks_en", "breaks_ko"),
    load_order=1,
)
SOURCES = FileKind(
    "sources",
    "source registry",
    "tier",
    ("source_url", "title", "publisher", "published_date", "language", "tier"),
    ("original_publisher", "original_title", "original_url", "notes"),
    load_order=2,
)
SERIES_BREAKS = FileKind(
    "series_breaks",
    "series breaks",
    "break_date",
    ("metric", "break_date", "kind", "label_en", "label_ko", "source_url"),
    load_order=3,
)
FIGURES = FileKind(
    "figures",
    "published figures",
    "value",
    (
        "metric",
        "dimension",
        "category",
        "period_start",
        "period_end",
        "period_complete",
        "value",
        "unit",
        "source_org",
        "source_title",
        "source_url",
        "published_date",
    ),
    ("notes",),
    load_order=4,
)
EVENTS = FileKind("events", "events", "event", ("date", "event", "source_url"), load_order=5)
# record-level logs (CSV or Parquet), streamed in chunks by etl/requests/ingest.py
REQUESTS = FileKind(
    "requests",
    "request log",
    "request_id",
    (
        "request_id",
        "received_at",
        "channel",
        "content_type",
        "platform",
        "victim_age_group",
        "victim_gender",
        "region",
        "outcome",
        "actioned_at",
    ),
    ("synthetic",),
    load_order=6,
)

KINDS: tuple[FileKind, ...] = (FIGURES, EVENTS, SOURCES, METRICS, SERIES_BREAKS, UNITS, REQUESTS)


def detect_kind(columns: list[str]) -> FileKind | None:
    """The layout whose signature column the header has; registries win over `kind`."""
    present = set(columns)
    for kind in KINDS:
        if kind.signature in present:
            return kind
    return None


def layouts_help() -> str:
    return "; ".join(f"{k.label}: {', '.join(k.required)}" for k in KINDS)
