"""Takedowns and platforms: KCSC correction requests, Telegram, platform transparency reports."""

from __future__ import annotations

import calendar

import dash
from dash import html

from dashboards._shared.catalogue import CATALOGUE
from dashboards._shared.charts import ChartSpec, render_chart
from dashboards._shared.context import current
from dashboards._shared.controls import events_switch, wants_events
from dashboards._shared.i18n import request_language, t
from dashboards._shared.memo import PAGES_KEPT, per_load
from db.queries.listings import list_events, list_sources

dash.register_page(__name__, path="/takedowns", name="Takedowns and platforms",
                   name_key="nav.takedowns", order=20)

KCSC_EVENTS = ("2024-08-27", "2024-09-03", "2024-10-16")
DEEPFAKE = "kcsc_sexual_deepfake_correction_requests"

KCSC_CHARTS = (
    ChartSpec("takedowns-deepfake-trend", "takedowns.chart.deepfake_trend", (DEEPFAKE,),
              event_dates=KCSC_EVENTS, note_keys=("takedowns.note.items",)),
    ChartSpec("takedowns-deepfake-part-years", "takedowns.chart.deepfake_part_years",
              (DEEPFAKE,), kind="windows", calendar_years=False,
              note_keys=("takedowns.note.part_years",)),
    ChartSpec("takedowns-deepfake-monthly", "takedowns.chart.deepfake_monthly", (DEEPFAKE,),
              kind="windows", dimension="month", categories=(),
              note_keys=("takedowns.note.monthly",)),
    ChartSpec("takedowns-dsc-trend", "takedowns.chart.dsc_trend",
              ("kcsc_digital_sex_crime_info_correction_requests",),
              note_keys=("takedowns.note.dsc_subset", "takedowns.note.items")),
)
TELEGRAM_CHART = ChartSpec(
    "takedowns-telegram", "takedowns.chart.telegram",
    ("kcsc_requests_to_telegram", "telegram_items_removed_at_kcsc_request",
     "telegram_items_removed_since_hotline"),
    kind="windows", dimension="platform", categories=("Telegram",),
    note_keys=("takedowns.note.telegram",),
)
PLATFORM_CHART = ChartSpec(
    "takedowns-platforms", "takedowns.chart.platforms",
    ("platform_illegal_content_reports_received", "platform_illegal_content_removed_or_blocked"),
    categories=("providers", "90_providers", "81_providers"), series_by="metric",
    note_keys=("takedowns.note.platforms",),
)


def _date_part(text: str, lang: str) -> str:
    """One date at the precision it was published with: '2020', '2024-10', '2024-09-03'."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return f"{parts[0]}년" if lang == "ko" else str(parts[0])
    year, month = parts[0], parts[1]
    if len(parts) == 2:
        return (f"{year}년 {month}월" if lang == "ko"
                else f"{calendar.month_abbr[month]} {year}")
    day = parts[2]
    return (f"{year}년 {month}월 {day}일" if lang == "ko"
            else f"{day} {calendar.month_abbr[month]} {year}")


def event_date(date_text: str, lang: str) -> list:
    """`<time>` elements for an event's date text, a range ('2020-02/2020-08') as two."""
    times = [html.Time(_date_part(part, lang), dateTime=part) for part in date_text.split("/")]
    if len(times) == 1:
        return times
    return [times[0], "~" if lang == "ko" else " – ", times[1]]


def telegram_events() -> list[dict]:
    """Events whose description mentions Telegram, with their source's publisher and tier;
    events known only from reposts are left out of the public view."""
    context = current()
    engine = context.engine()
    sources = {row["source_url"]: row for row in list_sources(engine)}
    chosen = []
    for event in list_events(engine):
        if "telegram" not in event["description"].lower():
            continue
        source = sources.get(event["source_url"], {})
        tier = source.get("tier", "")
        if tier == "aggregator" and not context.include_unverified:
            continue
        chosen.append({**event, "publisher": source.get("publisher") or event["source_url"],
                       "tier": tier})
    return chosen


def _milestone(event: dict, lang: str) -> html.Li:
    summary_key = f"takedowns.telegram.{event['date_text']}"
    if lang == "ko" and summary_key in CATALOGUE:
        text = [html.Span(t(summary_key, lang)),
                html.Div([t("takedowns.telegram.original", lang), ": ",
                          html.Span(event["description"], lang="en")],
                         className="small text-muted")]
    else:
        text = [html.Span(event["description"], lang="en")]
    source = [html.A(event["publisher"], href=event["source_url"], target="_blank",
                     rel="noopener noreferrer")]
    if event["tier"]:
        source.append(html.Span(f" · {t('tier.' + event['tier'], lang)}",
                                className="text-muted"))
    return html.Li([
        html.Div(html.Strong(event_date(event["date_text"], lang))),
        *text,
        html.Div([t("takedowns.telegram.source", lang), ": ", *source], className="small"),
    ], className="mb-3")


def telegram_milestones(lang: str) -> html.Section:
    """The Telegram milestones from the event list as a dated, linked list."""
    heading_id = "heading-takedowns-telegram-milestones"
    events = telegram_events()
    body = (html.Ol([_milestone(event, lang) for event in events],
                    className="list-unstyled mb-0 telegram-milestones")
            if events else html.P(t("takedowns.telegram.empty", lang)))
    return html.Section([
        html.H3(t("takedowns.telegram.heading", lang), id=heading_id, className="h5"),
        html.P(t("takedowns.telegram.language_note", lang), className="small text-muted"),
        body,
    ], className="card card-body mb-4", id="takedowns-telegram-milestones",
        **{"aria-labelledby": heading_id})


def layout(lang: str | None = None, events: str | None = None, **_query) -> html.Div:
    return _page(request_language(lang), wants_events(events))


@per_load(size=PAGES_KEPT)
def _page(lang: str, show_events: bool) -> html.Div:
    """The whole page, kept per load as the JSON data the browser receives (see _shared/memo)."""
    return html.Div([
        html.H1(t("takedowns.title", lang), className="h3"),
        html.P(t("takedowns.intro", lang)),
        events_switch(lang, show_events),
        html.H2(t("takedowns.section.kcsc", lang), className="h4 mt-4"),
        *[render_chart(spec, lang, show_events) for spec in KCSC_CHARTS],
        html.H2(t("takedowns.section.telegram", lang), className="h4 mt-4"),
        render_chart(TELEGRAM_CHART, lang, show_events),
        telegram_milestones(lang),
        html.H2(t("takedowns.section.platforms", lang), className="h4 mt-4"),
        render_chart(PLATFORM_CHART, lang, show_events),
    ])
