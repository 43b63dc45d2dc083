"""Pending backlog (internal view only): requests still without an outcome, by how long they
have waited and by platform."""

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

dash.register_page(
    __name__,
    path="/requests/backlog",
    name="Pending backlog",
    name_key="nav.requests_backlog",
    order=52,
    internal_only=True,
)

TITLE = "requests.backlog.title"


def band_label(low: int, high, lang: str) -> str:
    if high is None or pd.isna(high):
        return t("requests.band_open", lang, low=low)
    return t("requests.band", lang, low=low, high=int(high))


def _card(
    chart_id: str, title_key: str, rows: pd.DataFrame, note: str, lang: str, as_of: str
) -> html.Section:
    rows = rows.assign(
        series=t("requests.col.pending", lang), value_text=[f"{v:,}" for v in rows["value"]]
    )
    figure = figures.category_bars(rows, t("requests.unit.requests", lang))
    export = rows[["category", "category_label", "value", "synthetic"]].rename(
        columns={"value": "pending_count", "synthetic": "synthetic_count"}
    )
    export.insert(0, "as_of", as_of)
    table = rows.assign(synthetic_text=[f"{v:,}" for v in rows["synthetic"]])
    return cards.request_card(
        chart_id,
        lang,
        title_key,
        "requests.unit.requests",
        figure,
        table[["category_label", "value_text", "synthetic_text"]],
        [
            ("category_label", "requests.col.category"),
            ("value_text", "requests.col.pending"),
            ("synthetic_text", "requests.col.synthetic"),
        ],
        [note],
        export,
        (as_of, as_of),
        synthetic=int(rows["synthetic"].sum()),
        total=int(rows["value"].sum()),
    )


def layout(lang: str | None = None, **params) -> html.Div:
    return _page(request_language(lang), params_key(params))


@per_load(size=PAGES_KEPT)
def _page(lang: str, chosen: tuple) -> html.Div:
    params = params_dict(chosen)
    context = current()
    if context.public:
        return cards.message(lang, TITLE, "requests.internal_only")
    heading = [html.H1(t(TITLE, lang), className="h3"), html.P(t("requests.backlog.intro", lang))]
    platform = cards.platform_value(params.get("platform"))
    controls = html.Div(
        [cards.platform_select(lang, platform)], className="d-flex flex-wrap align-items-end"
    )
    frame, as_of = queries.backlog(context.engine(), (platform,) if platform else ())
    if frame.empty:
        return html.Div([*heading, controls, html.P(t("chart.no_data", lang))])
    as_of_text = as_of.isoformat()
    note = t("requests.note.backlog", lang, as_of=as_of_text)
    by_band = (
        frame.groupby(["band_start_days", "band_end_days"], dropna=False, as_index=False)[
            ["pending_count", "synthetic_count"]
        ]
        .sum()
        .sort_values("band_start_days")
    )
    band_rows = pd.DataFrame(
        {
            "category": [
                f"{low}-{'' if pd.isna(high) else int(high)}"
                for low, high in zip(by_band["band_start_days"], by_band["band_end_days"])
            ],
            "category_label": [
                band_label(low, high, lang)
                for low, high in zip(by_band["band_start_days"], by_band["band_end_days"])
            ],
            "value": by_band["pending_count"].astype(int),
            "synthetic": by_band["synthetic_count"].astype(int),
        }
    )
    by_platform = (
        frame.groupby("platform", as_index=False)[["pending_count", "synthetic_count"]]
        .sum()
        .sort_values("pending_count", ascending=False)
    )
    platform_rows = pd.DataFrame(
        {
            "category": by_platform["platform"],
            "category_label": [
                cards.code_label("platform", p, lang) for p in by_platform["platform"]
            ],
            "value": by_platform["pending_count"].astype(int),
            "synthetic": by_platform["synthetic_count"].astype(int),
        }
    )
    return html.Div(
        [
            *heading,
            controls,
            _card("requests-backlog", "requests.chart.backlog", band_rows, note, lang, as_of_text),
            _card(
                "requests-backlog-platforms",
                "requests.chart.backlog_platform",
                platform_rows,
                note,
                lang,
                as_of_text,
            ),
        ]
    )
