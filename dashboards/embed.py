"""Embeds: one chart with its sources and a link back, for an iframe in a news article."""

from __future__ import annotations

import dash
from dash import html

from dashboards._shared.charts import find_chart, render_chart
from dashboards._shared.controls import wants_events
from dashboards._shared.i18n import request_language, t

dash.register_page(__name__, path_template="/embed/<chart_id>", name="Embed", nav=False)


def layout(chart_id: str | None = None, lang: str | None = None, events: str | None = None,
           **_query) -> html.Div:
    lang = request_language(lang)
    found = find_chart(chart_id or "")
    if found is None:
        return html.Div([html.H1(t("embed.missing", lang), className="h5"),
                         html.A(t("nav.overview", lang), href=f"/?lang={lang}")])
    spec, home = found
    return render_chart(spec, lang, wants_events(events), embed_home=home)
