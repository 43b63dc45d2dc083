"""The database schema, declared once: every table the ETL writes and the app reads."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

TIERS = ("official", "wire", "press", "aggregator")
DATE_PRECISIONS = ("year", "month", "day", "range", "unknown")


class Base(DeclarativeBase):
    pass


class EtlRun(Base):
    """One ETL run over one file: its checksum, counts and outcome."""

    __tablename__ = "etl_runs"
    run_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    file_kind: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    started_at: Mapped[object] = mapped_column(DateTime)
    finished_at: Mapped[object | None] = mapped_column(DateTime, nullable=True)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_loaded: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    rows_superseded: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(20))  # loaded | unchanged | partial
    message: Mapped[str] = mapped_column(Text, default="")


class RejectedRow(Base):
    """A row the ETL refused, with where it was and why (kept when loading with --skip-invalid)."""

    __tablename__ = "rejected_rows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("etl_runs.run_id"), index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    row_number: Mapped[int] = mapped_column(Integer)
    column_name: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    raw_row: Mapped[str] = mapped_column(Text)


class Unit(Base):
    __tablename__ = "units"
    unit: Mapped[str] = mapped_column(String(60), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_ko: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # count | share | rate | amount | duration


class Metric(Base):
    __tablename__ = "metrics"
    metric: Mapped[str] = mapped_column(String(120), primary_key=True)
    agency: Mapped[str] = mapped_column(String(80))
    theme: Mapped[str] = mapped_column(String(20))
    name_en: Mapped[str] = mapped_column(String(300))
    name_ko: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(ForeignKey("units.unit"))
    definition_en: Mapped[str] = mapped_column(Text)
    definition_ko: Mapped[str] = mapped_column(Text)
    breaks_en: Mapped[str] = mapped_column(Text, default="")
    breaks_ko: Mapped[str] = mapped_column(Text, default="")


class Source(Base):
    """One public text a figure or event was read from, with its reliability tier."""

    __tablename__ = "sources"
    source_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_url: Mapped[str] = mapped_column(String(1000), unique=True)
    title: Mapped[str] = mapped_column(Text)
    publisher: Mapped[str] = mapped_column(String(300))
    published_date: Mapped[str] = mapped_column(
        String(10)
    )  # as published: YYYY[-MM[-DD]] | unknown
    published_precision: Mapped[str] = mapped_column(String(10))
    published_sort_date: Mapped[object | None] = mapped_column(Date, nullable=True)
    language: Mapped[str] = mapped_column(String(5))
    tier: Mapped[str] = mapped_column(String(20), index=True)
    tier_rank: Mapped[int] = mapped_column(Integer)
    original_publisher: Mapped[str] = mapped_column(String(300), default="")
    original_title: Mapped[str] = mapped_column(Text, default="")
    original_url: Mapped[str] = mapped_column(String(1000), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class Observation(Base):
    """One published figure as one source gave it. Rows are never deleted: a replaced row gets
    `superseded_by_run` and stays queryable with the run that loaded it."""

    __tablename__ = "observations"
    observation_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    metric: Mapped[str] = mapped_column(ForeignKey("metrics.metric"))
    dimension: Mapped[str] = mapped_column(String(60), default="")
    category: Mapped[str] = mapped_column(String(120))
    period_start: Mapped[object | None] = mapped_column(Date, nullable=True)  # NULL: unknown
    period_end: Mapped[object | None] = mapped_column(Date, nullable=True)
    is_complete: Mapped[bool] = mapped_column(Boolean)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(ForeignKey("units.unit"))
    is_approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    is_lower_bound: Mapped[bool] = mapped_column(Boolean, default=False)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.source_id"))
    source_org: Mapped[str] = mapped_column(Text)
    source_title: Mapped[str] = mapped_column(Text)
    published_date: Mapped[str] = mapped_column(String(10))
    notes: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(500))
    row_number: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int] = mapped_column(ForeignKey("etl_runs.run_id"))
    superseded_by_run: Mapped[int | None] = mapped_column(
        ForeignKey("etl_runs.run_id"), nullable=True
    )
    is_headline: Mapped[bool] = mapped_column(Boolean, default=False)
    is_unverified: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index("ix_observations_current", "superseded_by_run", "metric", "is_headline"),
        Index(
            "ix_observations_key", "metric", "dimension", "category", "period_start", "period_end"
        ),
    )


class Event(Base):
    """A dated event for chart annotations; the date keeps its published precision."""

    __tablename__ = "events"
    event_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    date_text: Mapped[str] = mapped_column(String(30))
    date_precision: Mapped[str] = mapped_column(String(10))
    date_start: Mapped[object] = mapped_column(Date)
    date_end: Mapped[object] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.source_id"))
    file_name: Mapped[str] = mapped_column(String(500))
    row_number: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int] = mapped_column(ForeignKey("etl_runs.run_id"))
    superseded_by_run: Mapped[int | None] = mapped_column(
        ForeignKey("etl_runs.run_id"), nullable=True
    )


class SeriesBreak(Base):
    """A change in what a series counts (definition, scope, renaming), drawn on its charts."""

    __tablename__ = "series_breaks"
    break_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    metric: Mapped[str] = mapped_column(ForeignKey("metrics.metric"))
    break_date: Mapped[object] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    label_en: Mapped[str] = mapped_column(String(200))
    label_ko: Mapped[str] = mapped_column(String(200))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.source_id"))


# the tables declared in other modules, on the same Base: users, and the request log
from db import auth_schema, requests_schema  # noqa: E402, F401
