"""Platform scorecard: for one month, each platform's requests, share actioned, share with no
response, and median and p90 hours to action; and the trend of one measure by month. The public
view draws the same from the suppressed public table."""

from __future__ import annotations

import datetime as dt

import dash
import pandas as pd
from dash import html

from dashboards._shared import request_cards as cards
from dashboards._shared import request_figures as figures
from dashboards._shared.context import current
from dashboards._shared.controls import select
from dashboards._shared.i18n import request_language, t
from dashboards._shared.memo import PAGES_KEPT, params_dict, params_key, per_load
from dashboards.requests_volume import suppression_note
from db.queries import requests as queries
from db.requests_schema import ALL_PLATFORMS

dash.register_page(
    __name__,
    path="/requests/scorecard",
    name="Platform scorecard",
    name_key="nav.requests_scorecard",
    order=51,
)

MEASURES = ("median_hours", "p90_hours", "share_actioned_pct", "share_no_response_pct", "requests")
MEASURE_UNITS = {
    "median_hours": "requests.unit.hours",
    "p90_hours": "requests.unit.hours",
    "share_actioned_pct": "requests.unit.percent",
    "share_no_response_pct": "requests.unit.percent",
    "requests": "requests.unit.requests",
}
TABLE_COLUMNS = [
    ("platform_label", "requests.col.platform"),
    ("requests_text", "requests.col.requests"),
    ("share_actioned_text", "requests.col.share_actioned"),
    ("share_no_response_text", "requests.col.share_no_response"),
    ("median_text", "requests.col.median_hours"),
    ("p90_text", "requests.col.p90_hours"),
]
EXPORT_COLUMNS = [
    "month",
    "platform",
    "platform_label",
    "requests",
    "share_actioned_pct",
    "share_no_response_pct",
    "median_hours_to_action",
    "p90_hours_to_action",
]


def _none(value):
    return None if value is None or pd.isna(value) else value


def _text(value, suffix: str = "") -> str:
    value = _none(value)
    if value is None:
        return "—"
    return (f"{value:,.0f}" if suffix == "%" else f"{value:,.1f}") + suffix


def scorecard_rows(lang: str) -> pd.DataFrame:
    """Per month and platform, the scorecard's measures: exact (internal view) or from the
    suppressed public table (public view), in one shape."""
    context = current()
    engine = context.engine()
    if context.public:
        cells = queries.public_monthly(engine, cards.threshold())
        cells = cells[cells["month"] != queries.ALL]
        frame = pd.DataFrame(
            {
                "month_start": [dt.date.fromisoformat(m + "-01") for m in cells["month"]],
                "platform": cells["platform"].replace({queries.ALL: ALL_PLATFORMS}),
                "requests": [_none(v) for v in cells["request_count"]],
                "requests_text": cells["request_count_text"],
                "suppressed": cells["suppressed"],
                "share_actioned_pct": cells["share_actioned_pct"],
                "share_no_response_pct": cells["share_no_response_pct"],
                "median_hours": cells["median_hours_to_action"],
                "p90_hours": cells["p90_hours_to_action"],
                "synthetic_count": 0,
            }
        )
    else:
        card = queries.scorecard(engine, include_synthetic=True)
        frame = card[
            [
                "month_start",
                "platform",
                "requests",
                "share_actioned_pct",
                "share_no_response_pct",
                "median_hours",
                "p90_hours",
                "synthetic_count",
            ]
        ].copy()
        frame["requests_text"] = [f"{int(v):,}" for v in frame["requests"]]
        frame["suppressed"] = ""
    frame["platform_label"] = [cards.code_label("platform", p, lang) for p in frame["platform"]]
    return frame.reset_index(drop=True)


def _export(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": [m.strftime("%Y-%m") for m in rows["month_start"]],
            "platform": rows["platform"],
            "platform_label": rows["platform_label"],
            "requests": [
                int(text.replace(",", "")) if not hidden else text
                for text, hidden in zip(rows["requests_text"], rows["suppressed"] != "")
            ],
            "share_actioned_pct": [_none(v) for v in rows["share_actioned_pct"]],
            "share_no_response_pct": [_none(v) for v in rows["share_no_response_pct"]],
            "median_hours_to_action": [_none(v) for v in rows["median_hours"]],
            "p90_hours_to_action": [_none(v) for v in rows["p90_hours"]],
        }
    )[EXPORT_COLUMNS]


def _notes(rows: pd.DataFrame, lang: str) -> list[str]:
    notes = [t("requests.note.shares", lang), t("requests.note.recent_pending", lang)]
    if current().public:
        notes.insert(0, suppression_note(rows, lang))
    return notes


def _month_card(rows: pd.DataFrame, month: dt.date, lang: str) -> html.Section:
    chosen = rows[rows["month_start"] == month].copy()
    chosen["share_actioned_text"] = [_text(v, "%") for v in chosen["share_actioned_pct"]]
    chosen["share_no_response_text"] = [_text(v, "%") for v in chosen["share_no_response_pct"]]
    chosen["median_text"] = [_text(v) for v in chosen["median_hours"]]
    chosen["p90_text"] = [_text(v) for v in chosen["p90_hours"]]
    bars = pd.concat(
        [
            pd.DataFrame(
                {
                    "category_label": chosen["platform_label"],
                    "series": t("requests.measure." + measure, lang),
                    "value": [_none(v) for v in chosen[measure]],
                    "value_text": chosen[text],
                }
            )
            for measure, text in (("median_hours", "median_text"), ("p90_hours", "p90_text"))
        ]
    )
    figure = figures.platform_bars(bars, t("requests.unit.hours", lang))
    label = month.strftime("%Y-%m")
    platforms = chosen[chosen["platform"] != ALL_PLATFORMS]
    return cards.request_card(
        "requests-scorecard",
        lang,
        "requests.chart.scorecard",
        "requests.unit.hours",
        figure,
        chosen[[c for c, _ in TABLE_COLUMNS]],
        TABLE_COLUMNS,
        _notes(chosen, lang),
        _export(chosen),
        (label, label),
        synthetic=int(platforms["synthetic_count"].sum()),
        total=int(pd.to_numeric(platforms["requests"]).fillna(0).sum()),
        title_values={"month": label},
    )


def _trend_card(rows: pd.DataFrame, measure: str, platform: str | None, lang: str) -> html.Section:
    chosen = rows[rows["platform"] == platform] if platform else rows
    suffix = "%" if measure.startswith("share") else ""
    if measure == "requests":
        texts = list(chosen["requests_text"])
    else:
        texts = [_text(v, suffix) for v in chosen[measure]]
    lines = pd.DataFrame(
        {
            "period_start": chosen["month_start"],
            "series": chosen["platform_label"],
            "value": [_none(v) for v in chosen[measure]],
            "value_text": texts,
            "month": [m.strftime("%Y-%m") for m in chosen["month_start"]],
            "platform_label": chosen["platform_label"],
        }
    )
    measure_label = {lang_: t("requests.measure." + measure, lang_) for lang_ in ("ko", "en")}
    figure = figures.period_lines(lines, measure_label[lang], is_share=bool(suffix))
    real = chosen[chosen["platform"] != ALL_PLATFORMS]
    return cards.request_card(
        "requests-scorecard-trend",
        lang,
        "requests.chart.trend",
        MEASURE_UNITS[measure],
        figure,
        lines[["month", "platform_label", "value_text"]],
        [
            ("month", "requests.col.period"),
            ("platform_label", "requests.col.platform"),
            ("value_text", "requests.col.value"),
        ],
        _notes(chosen, lang),
        _export(chosen),
        (lines["month"].min(), lines["month"].max()),
        synthetic=int(real["synthetic_count"].sum()),
        total=int(pd.to_numeric(real["requests"]).fillna(0).sum()),
        title_values={"measure": measure_label},
    )


def layout(lang: str | None = None, **params) -> html.Div:
    return _page(request_language(lang), params_key(params))


@per_load(size=PAGES_KEPT)
def _page(lang: str, chosen: tuple) -> html.Div:
    params = params_dict(chosen)
    context = current()
    heading = [
        html.H1(t("requests.scorecard.title", lang), className="h3"),
        html.P(t("requests.scorecard.intro", lang)),
    ]
    if not queries.log_summary(context.engine())["requests"]:
        return html.Div([*heading, html.P(t("requests.empty", lang))])
    rows = scorecard_rows(lang)
    if rows.empty:
        return html.Div([*heading, html.P(t("requests.public_empty", lang))])
    months = sorted(rows["month_start"].unique())
    month = cards.month_value(params.get("month"), months) or months[-1]
    measure = params.get("measure") if params.get("measure") in MEASURES else MEASURES[0]
    platform = cards.platform_value(params.get("platform"))
    controls = html.Div(
        [
            cards.month_select(
                "month",
                "requests.control.month",
                lang,
                months,
                month.strftime("%Y-%m"),
                allow_all=False,
            ),
            select(
                "measure",
                t("requests.control.measure", lang),
                [{"label": t("requests.measure." + m, lang), "value": m} for m in MEASURES],
                measure,
            ),
            cards.platform_select(lang, platform),
        ],
        className="d-flex flex-wrap align-items-end",
    )
    return html.Div(
        [
            *heading,
            controls,
            _month_card(rows, month, lang),
            _trend_card(rows, measure, platform, lang),
        ]
    )
