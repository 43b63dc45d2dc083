"""Reference periods: labels people read, which rows make an honest trend, and the comparable
period of an earlier year. Pure functions over dates and DataFrames."""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd

MONTHS_EN = [calendar.month_abbr[m] for m in range(13)]


def _is_month_start(day: dt.date) -> bool:
    return day.day == 1


def _is_month_end(day: dt.date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def is_calendar_year(start: dt.date | None, end: dt.date | None) -> bool:
    return (
        start is not None
        and end is not None
        and start.year == end.year
        and (start.month, start.day) == (1, 1)
        and (end.month, end.day) == (12, 31)
    )


def is_year_to_date(start: dt.date | None, end: dt.date | None) -> bool:
    """A period from 1 January to a day of the same year, short of the whole year."""
    return (
        start is not None
        and end is not None
        and start.year == end.year
        and (start.month, start.day) == (1, 1)
        and not is_calendar_year(start, end)
    )


def period_label(start: dt.date | None, end: dt.date | None, lang: str) -> str:
    """'2021'; '2024 Jan–Jul' / '2024년 1~7월'; '2024 Jan 1–Sep 10'; otherwise both dates."""
    if start is None or end is None:
        known = start or end
        prefix = {"en": "to " if end else "from ", "ko": ""}[lang] if known else ""
        suffix = {"en": "", "ko": (" 까지" if end else " 부터")}[lang] if known else ""
        return f"{prefix}{known.isoformat()}{suffix}" if known else "?"
    if is_calendar_year(start, end):
        return str(start.year)
    if start.year == end.year and _is_month_start(start) and _is_month_end(end):
        if start.month == end.month:
            return (
                f"{start.year} {MONTHS_EN[start.month]}"
                if lang == "en"
                else f"{start.year}년 {start.month}월"
            )
        return (
            f"{start.year} {MONTHS_EN[start.month]}–{MONTHS_EN[end.month]}"
            if lang == "en"
            else f"{start.year}년 {start.month}~{end.month}월"
        )
    if start.year == end.year and (start.month, start.day) == (1, 1):
        return (
            f"{start.year} Jan 1–{MONTHS_EN[end.month]} {end.day}"
            if lang == "en"
            else f"{start.year}년 1월 1일~{end.month}월 {end.day}일"
        )
    return f"{start.isoformat()} – {end.isoformat()}"


def shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def same_period_earlier(start: dt.date, end: dt.date, years: int = 1) -> tuple[dt.date, dt.date]:
    """The same months (and days) `years` earlier; month ends stay month ends."""
    earlier_end = shift_year(end, -years)
    if _is_month_end(end):
        earlier_end = earlier_end.replace(
            day=calendar.monthrange(earlier_end.year, earlier_end.month)[1]
        )
    return shift_year(start, -years), earlier_end


def trend_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of an honest year-by-year trend: every calendar year, plus the latest
    year-to-date figure of a year that has no full-year figure (drawn as partial).

    Other windows (crackdowns, multi-year totals, earlier snapshots of a year) are left to the
    table and the window charts: they overlap the years and must not sit in the same sequence.
    """
    if rows.empty:
        return rows
    years = [is_calendar_year(s, e) for s, e in zip(rows["period_start"], rows["period_end"])]
    ytd = [is_year_to_date(s, e) for s, e in zip(rows["period_start"], rows["period_end"])]
    full = rows[years]
    full_years = {s.year for s in full["period_start"]}
    partial = rows[ytd]
    partial = partial[~partial["period_start"].map(lambda s: s.year).isin(full_years)]
    partial = (
        partial.sort_values("period_end")
        .groupby(partial["period_start"].map(lambda s: s.year))
        .tail(1)
    )
    return pd.concat([full, partial]).sort_values(["period_start", "period_end"])
