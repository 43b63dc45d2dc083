"""Overview page: what is loaded (grown into KPI cards and the headline trend)."""

from __future__ import annotations

import dash
from dash import dash_table, html

from dashboards._shared.context import current
from dashboards._shared.i18n import request_language, t
from db.queries.metrics import metric_coverage
from db.queries.status import counts

dash.register_page(__name__, path="/", name="Overview", name_key="nav.overview", order=0)


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = request_language(lang)
    context = current()
    engine = context.engine()
    summary = counts(engine)
    if not summary["observations"]:
        return html.Div([html.H1(t("app.title", lang)), html.P(t("overview.empty", lang))])
    coverage = metric_coverage(engine, lang, include_unverified=context.include_unverified)
    columns = [
        {"id": "name", "name": t("col.metric", lang)},
        {"id": "agency", "name": t("col.agency", lang)},
        {"id": "rows", "name": t("col.rows", lang), "type": "numeric"},
        {"id": "first", "name": t("col.first", lang)},
        {"id": "last", "name": t("col.last", lang)},
    ]
    return html.Div(
        [
            html.H1(t("app.title", lang), className="h3"),
            html.P(t("app.tagline", lang)),
            html.H2(t("overview.heading", lang), className="h5"),
            html.P(t("overview.loaded", lang, **summary)),
            html.P(t("overview.last_load", lang, when=summary["last_load"] or "-")),
            dash_table.DataTable(
                id="overview-coverage",
                data=coverage.to_dict("records"),
                columns=columns,
                page_size=25,
                sort_action="native",
                style_table={"overflowX": "auto"},
                style_cell={"textAlign": "left", "whiteSpace": "normal", "height": "auto"},
            ),
        ]
    )
