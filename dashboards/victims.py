"""Victims and support: ADSC victims supported (by gender, age), deletion support, deepfake harm."""

from __future__ import annotations

import dash
from dash import html

from dashboards._shared.charts import ChartSpec, render_chart
from dashboards._shared.controls import events_switch, wants_events
from dashboards._shared.i18n import request_language, t
from dashboards._shared.memo import PAGES_KEPT, per_load

dash.register_page(__name__, path="/victims", name="Victims and support",
                   name_key="nav.victims", order=30)

SUPPORTED = "adsc_victims_supported"
AGE_BANDS = ("10s", "10s_and_20s", "20s", "30s", "40s", "50s_plus", "unknown")

ADSC_CHARTS = (
    ChartSpec("victims-supported", "victims.chart.supported", (SUPPORTED,), part_years=True,
              event_dates=("2018-04-30",), note_keys=("victims.note.2018",)),
    ChartSpec("victims-gender", "victims.chart.gender", (SUPPORTED,), dimension="gender",
              categories=("female", "male"), note_keys=("victims.note.gender",)),
    ChartSpec("victims-age", "victims.chart.age", (SUPPORTED,), kind="breakdown",
              dimension="age_group", categories=AGE_BANDS, periods=4,
              note_keys=("victims.note.age",)),
    ChartSpec("victims-deletion", "victims.chart.deletion", ("adsc_deletion_support",),
              part_years=True, note_keys=("victims.note.deletion",)),
)
DEEPFAKE_CHARTS = (
    ChartSpec("victims-synthetic", "victims.chart.synthetic",
              ("adsc_synthetic_edit_damage_cases",), event_dates=("2024-08",),
              note_keys=("victims.note.synthetic",)),
    ChartSpec("victims-deepfake-windows", "victims.chart.deepfake_windows",
              ("adsc_deepfake_support_requests", "adsc_deepfake_victims_supported"),
              kind="windows", note_keys=("victims.note.windows",)),
)


def layout(lang: str | None = None, events: str | None = None, **_query) -> html.Div:
    return _page(request_language(lang), wants_events(events))


@per_load(size=PAGES_KEPT)
def _page(lang: str, show_events: bool) -> html.Div:
    """The whole page, kept per load as the JSON data the browser receives (see _shared/memo)."""
    return html.Div([
        html.H1(t("victims.title", lang), className="h3"),
        html.P(t("victims.intro", lang)),
        events_switch(lang, show_events),
        html.H2(t("victims.section.adsc", lang), className="h4 mt-4"),
        *[render_chart(spec, lang, show_events) for spec in ADSC_CHARTS],
        html.H2(t("victims.section.deepfake", lang), className="h4 mt-4"),
        *[render_chart(spec, lang, show_events) for spec in DEEPFAKE_CHARTS],
    ])
