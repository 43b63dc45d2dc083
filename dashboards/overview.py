"""Overview: headline cards for every theme and the police trend with its break and events."""

from __future__ import annotations

import dash
from dash import html

from dashboards._shared.charts import ChartSpec, render_chart
from dashboards._shared.context import current
from dashboards._shared.controls import events_switch, wants_events
from dashboards._shared.i18n import request_language, t
from dashboards._shared.kpi import KpiSpec, kpi_card
from dashboards._shared.memo import PAGES_KEPT, per_load
from db.queries.status import counts

dash.register_page(__name__, path="/", name="Overview", name_key="nav.overview", order=0)

KEY_EVENTS = ("2024-08-28", "2024-09-03", "2024-10-16")

CARDS = (
    KpiSpec("police-cases", "kpi.police_cases", "police_deepfake_cases_reported",
            context_metric="police_deepfake_cases_occurred", context_key="kpi.context_recorded"),
    KpiSpec("apprehended", "kpi.apprehended", "police_deepfake_suspects_apprehended"),
    KpiSpec("teen-share", "kpi.teen_share", "police_deepfake_suspects_share",
            dimension="age_group", category="10s"),
    KpiSpec("kcsc", "kpi.kcsc", "kcsc_sexual_deepfake_correction_requests"),
    KpiSpec("adsc", "kpi.adsc", "adsc_victims_supported"),
    KpiSpec("schools", "kpi.schools", "moe_school_deepfake_reports", mode="snapshot"),
)

TREND = ChartSpec(
    "police-cases-trend", "chart.police_cases_trend",
    ("police_deepfake_cases_occurred", "police_deepfake_cases_reported"),
    event_dates=KEY_EVENTS, note_keys=("note.police_counts_differ",),
)


def layout(lang: str | None = None, events: str | None = None, **_query) -> html.Div:
    return _page(request_language(lang), wants_events(events))


@per_load(size=PAGES_KEPT)
def _page(lang: str, show_events: bool) -> html.Div:
    """The whole page, kept per load as the JSON data the browser receives (see _shared/memo)."""
    if not counts(current().engine())["observations"]:
        return html.Div([html.H1(t("app.title", lang), className="h3"),
                         html.P(t("overview.empty", lang))])
    return html.Div([
        html.H1(t("app.title", lang), className="h3"),
        html.P(t("app.tagline", lang), className="lead fs-6"),
        html.Div([html.Div(kpi_card(spec, lang), className="col")
                  for spec in CARDS],
                 className="row row-cols-1 row-cols-sm-2 row-cols-lg-3 g-3 mb-4"),
        events_switch(lang, show_events),
        render_chart(TREND, lang, show_events),
    ])
