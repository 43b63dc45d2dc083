"""Police: cases, people apprehended and detained, suspects' ages, and crackdown windows."""

from __future__ import annotations

import dash
from dash import html

from dashboards._shared.charts import ChartSpec, render_chart
from dashboards._shared.controls import events_switch, wants_events
from dashboards._shared.i18n import request_language, t
from dashboards._shared.memo import PAGES_KEPT, per_load

dash.register_page(__name__, path="/police", name="Police", name_key="nav.police", order=10)

EVENTS = ("2024-08-28", "2024-09-03", "2024-10-16", "2024-11-01")

CHARTS = (
    ChartSpec("police-cases", "police.chart.cases",
              ("police_deepfake_cases_occurred", "police_deepfake_cases_reported"),
              event_dates=EVENTS, note_keys=("note.police_counts_differ",)),
    ChartSpec("police-apprehended", "police.chart.apprehended",
              ("police_deepfake_suspects_apprehended",), event_dates=EVENTS),
    ChartSpec("police-detained", "police.chart.detained", ("police_deepfake_suspects_detained",),
              event_dates=EVENTS),
    ChartSpec("police-ages", "police.chart.ages", ("police_deepfake_suspects_apprehended",),
              kind="breakdown", dimension="age_group", periods=2,
              note_keys=("police.note.subgroup",)),
    ChartSpec("police-teen-share", "police.chart.teen_share", ("police_deepfake_suspects_share",),
              dimension="age_group", categories=("10s",), note_keys=("police.note.share",)),
    ChartSpec("police-windows", "police.chart.windows", ("police_deepfake_suspects_apprehended",),
              kind="windows", note_keys=("police.note.windows",)),
    ChartSpec("police-crackdown-phases", "police.chart.phases",
              ("police_deepfake_cases_reported",), kind="windows", dimension="period_phase",
              categories=(), note_keys=("police.note.windows",)),
)


def layout(lang: str | None = None, events: str | None = None, **_query) -> html.Div:
    return _page(request_language(lang), wants_events(events))


@per_load(size=PAGES_KEPT)
def _page(lang: str, show_events: bool) -> html.Div:
    """The whole page, kept per load as the JSON data the browser receives (see _shared/memo)."""
    return html.Div([
        html.H1(t("police.title", lang), className="h3"),
        html.P(t("police.intro", lang)),
        events_switch(lang, show_events),
        *[render_chart(spec, lang, show_events) for spec in CHARTS],
    ])
