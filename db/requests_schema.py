"""The request log's tables and vocabularies: current requests, their earlier versions, rollups.

One row of `requests` is the latest version of one takedown or assistance request; each earlier
version sits in `request_history` with the run that replaced it. The dashboards read only the
rollups (`request_counts`, `request_action_times`), which the ETL refreshes after every load.
Times are Korea Standard Time (UTC+09:00, no daylight saving), stored without the offset.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.schema import Base

CHANNELS = ("hotline", "web", "police", "school", "platform_report")
CONTENT_TYPES = ("deepfake", "illegal_filming", "csam", "other")
PLATFORMS = (
    "telegram",
    "x",
    "instagram",
    "facebook",
    "youtube",
    "adult_site",
    "p2p",
    "search_engine",
    "other",
)
AGE_GROUPS = ("under14", "14_19", "20s", "30s", "40s", "50_plus", "unknown")
GENDERS = ("female", "male", "unknown")
REGIONS = (
    "seoul",
    "busan",
    "daegu",
    "incheon",
    "gwangju",
    "daejeon",
    "ulsan",
    "sejong",
    "gyeonggi",
    "gangwon",
    "chungbuk",
    "chungnam",
    "jeonbuk",
    "jeonnam",
    "gyeongbuk",
    "gyeongnam",
    "jeju",
    "unknown",
)
OUTCOMES = ("removed", "blocked", "refused", "no_response", "pending")
ACTIONED = ("removed", "blocked")  # the outcomes that count as action taken
DECIDED = ("removed", "blocked", "refused", "no_response")  # every outcome but pending

# the breakdowns the rollups keep, each with its codes; "total" is every request
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "total": ("total",),
    "channel": CHANNELS,
    "content_type": CONTENT_TYPES,
    "outcome": OUTCOMES,
    "victim_age_group": AGE_GROUPS,
    "victim_gender": GENDERS,
    "region": REGIONS,
}
GRAINS = ("day", "week", "month")  # a week starts on Monday
ALL_PLATFORMS = "all"  # request_action_times: the row over every platform


class _RequestFields:
    """The columns a request has in every version."""

    received_at: Mapped[object] = mapped_column(DateTime)  # Korea time
    received_date: Mapped[object] = mapped_column(Date)  # the Korea-time day of received_at
    channel: Mapped[str] = mapped_column(String(20))
    content_type: Mapped[str] = mapped_column(String(20))
    platform: Mapped[str] = mapped_column(String(20))
    victim_age_group: Mapped[str] = mapped_column(String(10))
    victim_gender: Mapped[str] = mapped_column(String(10))
    region: Mapped[str] = mapped_column(String(12))
    outcome: Mapped[str] = mapped_column(String(12))
    actioned_at: Mapped[object | None] = mapped_column(DateTime, nullable=True)  # Korea time
    hours_to_action: Mapped[float | None] = mapped_column(Float, nullable=True)
    is_synthetic: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer)  # 1 for the first load of the request
    run_id: Mapped[int] = mapped_column(ForeignKey("etl_runs.run_id"))  # loaded this version
    file_name: Mapped[str] = mapped_column(String(500))
    row_number: Mapped[int] = mapped_column(Integer)


class Request(_RequestFields, Base):
    """The current version of one request, as the latest file that held it gave it."""

    __tablename__ = "requests"
    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)

    __table_args__ = (
        Index("ix_requests_received_date", "received_date"),
        Index("ix_requests_run", "run_id"),
    )


class RequestHistory(_RequestFields, Base):
    """An earlier version of a request, kept when a later file changed it."""

    __tablename__ = "request_history"
    history_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(String(64), index=True)
    superseded_by_run: Mapped[int] = mapped_column(ForeignKey("etl_runs.run_id"))


class RequestCount(Base):
    """How many requests were received in one period on one platform, by one breakdown."""

    __tablename__ = "request_counts"
    grain: Mapped[str] = mapped_column(String(5), primary_key=True)  # day | week | month
    period_start: Mapped[object] = mapped_column(Date, primary_key=True)
    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(20), primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    request_count: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_request_counts_view", "grain", "dimension", "period_start"),)


class RequestActionTime(Base):
    """Hours from receipt to removal or blocking, for requests received in one month on one
    platform (or `all`): how many were actioned, the median and the 90th percentile."""

    __tablename__ = "request_action_times"
    month_start: Mapped[object] = mapped_column(Date, primary_key=True)
    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    includes_synthetic: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    actioned_count: Mapped[int] = mapped_column(Integer)
    median_hours: Mapped[float] = mapped_column(Float)
    p90_hours: Mapped[float] = mapped_column(Float)
