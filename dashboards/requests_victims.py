"""Victims in the requests (internal view only): age group, gender and region recorded with
each request, and the content type, for a platform and a range of months."""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from dashboards._shared import request_cards as cards
from dashboards._shared import request_figures as figures
from dashboards._shared.context import current
from dashboards._shared.i18n import request_language, t
from dashboards._shared.memo import PAGES_KEPT, params_dict, params_key, per_load
from db.queries import requests as queries
from db.requests_schema import DIMENSIONS

dash.register_page(
    __name__,
    path="/requests/victims",
    name="Victims in requests",
    name_key="nav.requests_victims",
    order=53,
    internal_only=True,
)

TITLE = "requests.victims.title"
CHARTS = ("victim_age_group", "victim_gender", "region", "content_type")


def _card(
    dimension: str, frame: pd.DataFrame, lang: str, period: tuple[str, str], platform: str | None
) -> html.Section:
    order = {code: i for i, code in enumerate(DIMENSIONS[dimension])}
    frame = frame.assign(_order=frame["category"].map(order)).sort_values("_order")
    total = int(frame["request_count"].sum())
    rows = pd.DataFrame(
        {
            "category_label": [cards.code_label(dimension, c, lang) for c in frame["category"]],
            "series": t("requests.col.requests", lang),
            "value": frame["request_count"].astype(int),
            "value_text": [f"{v:,}" for v in frame["request_count"]],
            "share_text": [
                f"{100 * v / total:.1f}%" if total else "" for v in frame["request_count"]
            ],
            "synthetic_text": [f"{v:,}" for v in frame["synthetic_count"]],
        }
    )
    figure = figures.category_bars(rows, t("requests.unit.requests", lang))
    export = pd.DataFrame(
        {
            "period_from": period[0],
            "period_to": period[1],
            "platform": platform or "all",
            "dimension": dimension,
            "category": list(frame["category"]),
            "category_label": rows["category_label"],
            "request_count": rows["value"],
            "synthetic_count": frame["synthetic_count"].astype(int).to_list(),
        }
    )
    return cards.request_card(
        f"requests-{dimension.replace('_', '-')}",
        lang,
        f"requests.chart.{dimension}",
        "requests.unit.requests",
        figure,
        rows[["category_label", "value_text", "share_text", "synthetic_text"]],
        [
            ("category_label", "requests.col.category"),
            ("value_text", "requests.col.requests"),
            ("share_text", "requests.unit.percent"),
            ("synthetic_text", "requests.col.synthetic"),
        ],
        [t("requests.note.demographics", lang), t("requests.note.rollup", lang)],
        export,
        period,
        synthetic=int(frame["synthetic_count"].sum()),
        total=total,
    )


def layout(lang: str | None = None, **params) -> html.Div:
    return _page(request_language(lang), params_key(params))


@per_load(size=PAGES_KEPT)
def _page(lang: str, chosen: tuple) -> html.Div:
    params = params_dict(chosen)
    context = current()
    if context.public:
        return cards.message(lang, TITLE, "requests.internal_only")
    engine = context.engine()
    heading = [html.H1(t(TITLE, lang), className="h3"), html.P(t("requests.victims.intro", lang))]
    months = queries.months(engine)
    platform = cards.platform_value(params.get("platform"))
    month_from = cards.month_value(params.get("from"), months)
    month_to = cards.month_value(params.get("to"), months)
    controls = html.Div(
        [
            cards.platform_select(lang, platform),
            cards.month_select("from", "requests.control.from", lang, months, params.get("from")),
            cards.month_select("to", "requests.control.to", lang, months, params.get("to")),
        ],
        className="d-flex flex-wrap align-items-end",
    )
    if not months:
        return html.Div([*heading, html.P(t("requests.empty", lang))])
    first = month_from or months[0]
    last = month_to or months[-1]
    period = (first.strftime("%Y-%m"), last.strftime("%Y-%m"))
    charts = []
    for dimension in CHARTS:
        frame = queries.breakdown(
            engine, dimension, (platform,) if platform else (), first, cards.month_end(last)
        )
        if not frame.empty:
            charts.append(_card(dimension, frame, lang, period, platform))
    return html.Div([*heading, controls, *(charts or [html.P(t("chart.no_data", lang))])])
