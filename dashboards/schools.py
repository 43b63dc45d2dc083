"""Schools and the military: MOE weekly cumulative snapshots and the military's ad hoc counts."""

from __future__ import annotations

import dash
from dash import html

from dashboards._shared.charts import ChartSpec, render_chart
from dashboards._shared.controls import events_switch, wants_events
from dashboards._shared.i18n import request_language, t
from dashboards._shared.memo import PAGES_KEPT, per_load

dash.register_page(__name__, path="/schools", name="Schools and the military",
                   name_key="nav.schools", order=40)

SCHOOL_EVENTS = ("2024-10-16",)
CUMULATIVE = "schools.note.cumulative"

SCHOOL_CHARTS = (
    ChartSpec("schools-reports", "schools.chart.reports", ("moe_school_deepfake_reports",),
              kind="snapshots", event_dates=SCHOOL_EVENTS,
              note_keys=(CUMULATIVE, "schools.note.reports_victims", "schools.note.last_count")),
    ChartSpec("schools-victims", "schools.chart.victims", ("moe_school_deepfake_victims",),
              kind="snapshots", event_dates=SCHOOL_EVENTS,
              note_keys=(CUMULATIVE, "schools.note.reports_victims")),
    ChartSpec("schools-victim-type", "schools.chart.victim_type", ("moe_school_deepfake_victims",),
              kind="snapshots", dimension="victim_type",
              categories=("students", "teachers", "staff_other"), event_dates=SCHOOL_EVENTS,
              note_keys=(CUMULATIVE,)),
    ChartSpec("schools-level", "schools.chart.school_level", ("moe_school_deepfake_reports",),
              kind="snapshots", dimension="school_level",
              categories=("elementary", "middle", "high"), event_dates=SCHOOL_EVENTS,
              note_keys=(CUMULATIVE,)),
)
MILITARY_CHART = ChartSpec(
    "schools-military", "schools.chart.military",
    ("mnd_military_deepfake_victims_identified",
     "military_counseling_center_deepfake_direct_reports"),
    kind="windows", note_keys=("schools.note.military",),
)


def layout(lang: str | None = None, events: str | None = None, **_query) -> html.Div:
    return _page(request_language(lang), wants_events(events))


@per_load(size=PAGES_KEPT)
def _page(lang: str, show_events: bool) -> html.Div:
    """The whole page, kept per load as the JSON data the browser receives (see _shared/memo)."""
    return html.Div([
        html.H1(t("schools.title", lang), className="h3"),
        html.P(t("schools.intro", lang)),
        events_switch(lang, show_events),
        html.H2(t("schools.section.schools", lang), className="h4 mt-4"),
        *[render_chart(spec, lang, show_events) for spec in SCHOOL_CHARTS],
        html.H2(t("schools.section.military", lang), className="h4 mt-4"),
        render_chart(MILITARY_CHART, lang, show_events),
    ])
