"""Request volume over time: the internal view by day, week or month and any breakdown; the
public view by month and platform only, with small counts suppressed."""

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
from db.queries import requests as queries
from db.requests_schema import DIMENSIONS, GRAINS

dash.register_page(
    __name__,
    path="/requests/volume",
    name="Request volume",
    name_key="nav.requests_volume",
    order=50,
)

BREAKDOWNS = ("platform", *[d for d in DIMENSIONS if d != "total"])
DAY_WINDOW = 90  # days shown by default at daily grain
TITLE = "requests.volume.title"


def _period(value: dt.date, grain: str) -> str:
    return value.strftime("%Y-%m") if grain == "month" else value.isoformat()


def _internal(lang: str, params: dict) -> html.Div:
    engine = current().engine()
    months = queries.months(engine)
    grain = params.get("grain") if params.get("grain") in GRAINS else "month"
    by = params.get("by") if params.get("by") in BREAKDOWNS else ""
    platform = cards.platform_value(params.get("platform"))
    month_from = cards.month_value(params.get("from"), months)
    month_to = cards.month_value(params.get("to"), months)
    date_to = cards.month_end(month_to) if month_to else None
    date_from = month_from
    if grain == "day" and date_from is None:
        last = queries.log_summary(engine)["last_day"]
        date_from = last - dt.timedelta(days=DAY_WINDOW - 1)
    dimension = by if by and by != "platform" else "total"
    frame = queries.counts(
        engine,
        grain,
        dimension,
        (platform,) if platform else (),
        date_from,
        date_to,
        by_platform=by == "platform",
    )
    controls = html.Div(
        [
            select(
                "grain",
                t("requests.control.grain", lang),
                [{"label": t(f"requests.grain.{g}", lang), "value": g} for g in GRAINS],
                grain,
            ),
            cards.platform_select(lang, platform),
            select(
                "by",
                t("requests.control.by", lang),
                [{"label": t("requests.control.none", lang), "value": ""}]
                + [{"label": t(f"requests.dimension.{d}", lang), "value": d} for d in BREAKDOWNS],
                by,
            ),
            cards.month_select("from", "requests.control.from", lang, months, params.get("from")),
            cards.month_select("to", "requests.control.to", lang, months, params.get("to")),
        ],
        className="d-flex flex-wrap align-items-end",
    )
    if frame.empty:
        return html.Div([controls, html.P(t("chart.no_data", lang))])
    group = "platform" if by == "platform" else dimension
    code = frame["platform"] if by == "platform" else frame["category"]
    labels = [
        cards.code_label(group, c, lang) if c != "total" else t("cat.total", lang) for c in code
    ]
    rows = pd.DataFrame(
        {
            "period_start": frame["period_start"],
            "period": [_period(d, grain) for d in frame["period_start"]],
            "series": labels,
            "category": list(code),
            "value": frame["request_count"],
            "value_text": [f"{v:,}" for v in frame["request_count"]],
            "synthetic_text": [f"{v:,}" for v in frame["synthetic_count"]],
        }
    )
    figure = figures.period_lines(rows, t("requests.unit.requests", lang), grain=grain)
    export = pd.DataFrame(
        {
            "grain": grain,
            "period_start": [d.isoformat() for d in frame["period_start"]],
            "breakdown": by or "total",
            "category": list(code),
            "category_label": labels,
            "request_count": frame["request_count"],
            "synthetic_count": frame["synthetic_count"],
        }
    )
    table = rows.rename(columns={"series": "category_label"})[
        ["period", "category_label", "value_text", "synthetic_text"]
    ]
    first, last = rows["period"].min(), rows["period"].max()
    card = cards.request_card(
        "requests-volume",
        lang,
        "requests.chart.volume",
        "requests.unit.requests",
        figure,
        table,
        [
            ("period", "requests.col.period"),
            ("category_label", "requests.col.category"),
            ("value_text", "requests.col.requests"),
            ("synthetic_text", "requests.col.synthetic"),
        ],
        [t("requests.note.rollup", lang)],
        export,
        (first, last),
        synthetic=int(frame["synthetic_count"].sum()),
        total=int(frame["request_count"].sum()),
    )
    return html.Div([controls, card])


def public_cells(lang: str, params: dict) -> tuple[pd.DataFrame, list[dt.date]]:
    """The published platform-by-month cells for the chosen filters, with labels."""
    engine = current().engine()
    months = queries.months(engine, include_synthetic=False)
    platform = cards.platform_value(params.get("platform"))
    frame = queries.public_monthly(
        engine,
        cards.threshold(),
        (platform,) if platform else (),
        cards.month_value(params.get("from"), months),
        cards.month_value(params.get("to"), months),
    )
    if not frame.empty:
        frame = frame.assign(
            platform_label=[cards.code_label("platform", p, lang) for p in frame["platform"]]
        )
    return frame, months


def suppression_note(cells: pd.DataFrame, lang: str) -> str:
    limit = cards.threshold()
    return t(
        "requests.note.suppressed",
        lang,
        top=limit - 1,
        threshold=limit,
        count=int((cells["suppressed"] != "").sum()),
    )


def public_export(cells: pd.DataFrame) -> pd.DataFrame:
    """The suppressed cells as CSV rows: a hidden count is written as its marker."""
    return pd.DataFrame(
        {
            "month": cells["month"],
            "platform": cells["platform"],
            "platform_label": cells["platform_label"],
            "request_count": [
                int(text.replace(",", "")) if not hidden else text
                for text, hidden in zip(cells["request_count_text"], cells["suppressed"] != "")
            ],
            "suppressed": cells["suppressed"],
        }
    )


def _public(lang: str, params: dict) -> html.Div:
    frame, months = public_cells(lang, params)
    controls = html.Div(
        [
            cards.platform_select(lang, cards.platform_value(params.get("platform"))),
            cards.month_select("from", "requests.control.from", lang, months, params.get("from")),
            cards.month_select("to", "requests.control.to", lang, months, params.get("to")),
        ],
        className="d-flex flex-wrap align-items-end",
    )
    if frame.empty:
        return html.Div([controls, html.P(t("requests.public_empty", lang))])
    cells = frame[frame["month"] != queries.ALL].copy()
    cells["period_start"] = [dt.date.fromisoformat(m + "-01") for m in cells["month"]]
    cards_out = []
    for chart_id, title_key, chosen in (
        (
            "requests-volume-public",
            "requests.chart.volume_public",
            cells[cells["platform"] != queries.ALL],
        ),
        (
            "requests-volume-total",
            "requests.chart.volume_total",
            cells[cells["platform"] == queries.ALL],
        ),
    ):
        if chosen.empty:
            continue
        rows = pd.DataFrame(
            {
                "period_start": chosen["period_start"],
                "series": chosen["platform_label"],
                "value": [None if pd.isna(v) else int(v) for v in chosen["request_count"]],
                "value_text": chosen["request_count_text"],
            }
        )
        figure = figures.period_lines(rows, t("requests.unit.requests", lang))
        table = chosen[["month", "platform_label", "request_count_text"]]
        cards_out.append(
            cards.request_card(
                chart_id,
                lang,
                title_key,
                "requests.unit.requests",
                figure,
                table,
                [
                    ("month", "requests.col.period"),
                    ("platform_label", "requests.col.platform"),
                    ("request_count_text", "requests.col.requests"),
                ],
                [suppression_note(chosen, lang), t("requests.note.rollup", lang)],
                public_export(chosen),
                (chosen["month"].min(), chosen["month"].max()),
            )
        )
    return html.Div([controls, *cards_out])


def layout(lang: str | None = None, **params) -> html.Div:
    return _page(request_language(lang), params_key(params))


@per_load(size=PAGES_KEPT)
def _page(lang: str, chosen: tuple) -> html.Div:
    params = params_dict(chosen)
    public = current().public
    heading = [
        html.H1(t(TITLE, lang), className="h3"),
        html.P(t("requests.volume.public_intro" if public else "requests.volume.intro", lang)),
    ]
    if not queries.log_summary(current().engine())["requests"]:
        return html.Div([*heading, html.P(t("requests.empty", lang))])
    body = _public(lang, params) if public else _internal(lang, params)
    return html.Div([*heading, body])
