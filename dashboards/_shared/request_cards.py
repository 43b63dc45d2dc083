"""The pieces the request-log pages share: code labels, the log as a source, the synthetic-data
banner, controls, and the chart card around a request chart (built on `chart_card`)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
from dash import html

import config
from dashboards._shared.catalogue import CATALOGUE
from dashboards._shared.chart_card import chart_card
from dashboards._shared.context import current
from dashboards._shared.controls import select
from dashboards._shared.i18n import t
from db.queries import requests as request_queries
from db.requests_schema import PLATFORMS

MAX_FILES_NAMED = 3


def code_label(group: str, code: str, lang: str) -> str:
    """The catalogue label of a code (`platform`, `telegram`), or the code itself."""
    key = f"requests.{group}.{code}"
    return t(key, lang) if key in CATALOGUE else str(code)


def threshold() -> int:
    return config.get_int("SMALL_CELL_THRESHOLD")


def month_value(text: str | None, months: list[dt.date]) -> dt.date | None:
    """A `YYYY-MM` parameter as the first of that month, if the log covers it."""
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text + "-01")
    except ValueError:
        return None
    return day if day in months else None


def month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def platform_value(text: str | None) -> str | None:
    return text if text in PLATFORMS else None


def platform_select(lang: str, value: str | None) -> html.Div:
    options = [{"label": t("requests.control.all", lang), "value": ""}] + [
        {"label": code_label("platform", p, lang), "value": p} for p in PLATFORMS
    ]
    return select("platform", t("requests.control.platform", lang), options, value)


def month_select(
    param: str,
    key: str,
    lang: str,
    months: list[dt.date],
    value: str | None,
    allow_all: bool = True,
) -> html.Div:
    options = [{"label": t("requests.control.all", lang), "value": ""}] if allow_all else []
    options += [{"label": m.strftime("%Y-%m"), "value": m.strftime("%Y-%m")} for m in months]
    return select(param, t(key, lang), options, value)


def sources(lang: str) -> pd.DataFrame:
    """The log as the chart's source: its files (internal view only) and last load."""
    context = current()
    engine = context.engine()
    summary = request_queries.log_summary(engine)
    loaded = summary["last_load"].date().isoformat() if summary["last_load"] else ""
    files = "" if context.public else ", ".join(request_queries.log_files(engine)[:MAX_FILES_NAMED])
    return pd.DataFrame(
        [
            {
                "title": t("requests.source", lang, files=files, loaded=loaded).replace("  ", " "),
                "source_url": "",
                "publisher": t("requests.source_publisher", lang),
                "published_date": loaded,
                "tier": "",
            }
        ]
    )


def synthetic_banner(synthetic: int, total: int, lang: str) -> html.Div | None:
    """The banner on any chart that draws synthetic rows (never shown in the public view)."""
    if synthetic <= 0:
        return None
    return html.Div(
        [
            html.Strong(t("requests.synthetic_label", lang), className="me-2"),
            html.Span(
                t("requests.synthetic_banner", lang, synthetic=f"{synthetic:,}", total=f"{total:,}")
            ),
        ],
        className="alert alert-warning py-1 px-2 small mb-2 synthetic-banner",
        role="note",
    )


def request_card(
    chart_id: str,
    lang: str,
    title_key: str,
    unit_key: str,
    figure: go.Figure,
    table: pd.DataFrame,
    columns: list[tuple[str, str]],
    notes: list[str],
    export: pd.DataFrame,
    period: tuple[str, str],
    synthetic: int = 0,
    total: int = 0,
    title_values: dict | None = None,
) -> html.Section:
    """A request chart in the standard card: unit, sources, notes, table, CSV, PNG, cite."""
    values = title_values or {}
    title = {
        lang_: t(
            title_key,
            lang_,
            **{k: v.get(lang_, v) if isinstance(v, dict) else v for k, v in values.items()},
        )
        for lang_ in ("ko", "en")
    }
    first, last = period
    name = f"{chart_id}_{first}-{last}_{dt.date.today().isoformat()}"
    return chart_card(
        chart_id,
        lang,
        title,
        t("chart.unit", lang, unit=t(unit_key, lang)),
        figure,
        table,
        [{"id": c, "name": t(k, lang)} for c, k in columns],
        sources(lang),
        notes,
        {"ko": f"{first} ~ {last}", "en": f"{first} to {last}"},
        name,
        export=export,
        embed=None,
        banner=synthetic_banner(synthetic, total, lang),
    )


def message(lang: str, title_key: str, key: str) -> html.Div:
    return html.Div(
        [
            html.H1(t(title_key, lang), className="h3"),
            html.P(t(key, lang), className="requests-message"),
        ]
    )
