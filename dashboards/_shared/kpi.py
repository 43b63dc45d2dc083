"""Headline cards: the latest value of a series, its period and source, and an honest comparison."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from dash import html

from dashboards._shared.comparison import (
    Comparison,
    compare_with_earlier,
    compare_with_previous_snapshot,
)
from dashboards._shared.context import current
from dashboards._shared.figures import _value_text
from dashboards._shared.i18n import pick, t
from dashboards._shared.memo import per_load
from dashboards._shared.periods import is_calendar_year, is_year_to_date, period_label, trend_rows
from db.queries.listings import list_series_breaks
from db.queries.metrics import list_metrics
from db.queries.observations import find_observations


@dataclass(frozen=True)
class KpiSpec:
    card_id: str
    title_key: str
    metric: str
    dimension: str = ""
    category: str = "total"
    mode: str = "year"  # year: latest calendar year (+ a later partial year); snapshot
    context_metric: str = ""  # a related series shown beside, never compared
    context_key: str = ""


def _series(metric: str, dimension: str, category: str) -> pd.DataFrame:
    context = current()
    rows = find_observations(
        context.engine(),
        metrics=[metric],
        headline_only=True,
        include_unverified=context.include_unverified,
        dimension=dimension,
        category=category,
    )
    return rows[rows["period_start"].notna() & rows["period_end"].notna()]


def _change_text(comparison: Comparison, lang: str) -> str:
    sign = "+" if comparison.change >= 0 else "−"
    return t(
        f"compare.change_{comparison.change_unit}", lang, sign=sign, value=abs(comparison.change)
    )


def _comparison_line(comparison: Comparison, lang: str, is_share: bool) -> html.P:
    if not comparison.comparable:
        extra = ""
        if comparison.previous_value is not None:
            extra = (
                " ("
                + t(
                    "compare.previous",
                    lang,
                    period=period_label(comparison.previous_start, comparison.previous_end, lang),
                    value=_value_text(comparison.previous_value, is_share),
                )
                + ")"
            )
        return html.P(
            t(comparison.reason, lang) + extra, className="small text-muted mb-1 kpi-compare"
        )
    previous = t(
        "compare.previous",
        lang,
        period=period_label(comparison.previous_start, comparison.previous_end, lang),
        value=_value_text(comparison.previous_value, is_share),
    )
    caveat = (
        html.Span(
            " " + t("compare.scope_caveat", lang, date=comparison.caveat_day.isoformat()),
            className="text-warning-emphasis",
        )
        if comparison.caveat_day
        else None
    )
    return html.P(
        [
            html.Strong(_change_text(comparison, lang)),
            " ",
            t(comparison.reason, lang),
            f" ({previous})",
            caveat,
        ],
        className="small mb-1 kpi-compare",
    )


def _value_block(
    row: pd.Series, lang: str, is_share: bool, comparison: Comparison, unit: str, main: bool
) -> html.Div:
    label = period_label(row["period_start"], row["period_end"], lang)
    partial = "" if row["is_complete"] else f" · {t('chart.partial', lang)}"
    if row["is_unverified"]:
        partial += f" · {t('chart.unverified', lang)}"
    value = ("~" if row["is_approximate"] else "") + _value_text(row["value"], is_share)
    return html.Div(
        [
            html.P(
                [
                    html.Span(value, className="kpi-value" + ("" if main else " kpi-value-small")),
                    html.Span(f" {unit}", className="text-muted small"),
                ],
                className="mb-0",
            ),
            html.P(label + partial, className="small mb-1 kpi-period"),
            _comparison_line(comparison, lang, is_share),
            html.P(
                [
                    t("chart.sources", lang),
                    ": ",
                    html.A(
                        row["publisher"],
                        href=row["source_url"],
                        target="_blank",
                        rel="noopener noreferrer",
                    ),
                    f" ({t('tier.' + row['tier'], lang)})",
                ],
                className="small mb-2",
            ),
        ]
    )


def _pick_rows(spec: KpiSpec, rows: pd.DataFrame) -> list[pd.Series]:
    if spec.mode == "snapshot":
        return [rows.sort_values("period_end").iloc[-1]]
    years = rows[[is_calendar_year(s, e) for s, e in zip(rows["period_start"], rows["period_end"])]]
    chosen = []
    if not years.empty:
        chosen.append(years.sort_values("period_end").iloc[-1])
    later = rows[[is_year_to_date(s, e) for s, e in zip(rows["period_start"], rows["period_end"])]]
    if chosen:
        later = later[later["period_start"] > chosen[0]["period_end"]]
    if not later.empty:
        chosen.append(later.sort_values("period_end").iloc[-1])
    if not chosen:
        chosen.append(rows.sort_values("period_end").iloc[-1])
    return chosen


def _context_line(spec: KpiSpec, lang: str, is_share: bool) -> html.P | None:
    if not spec.context_metric:
        return None
    rows = trend_rows(_series(spec.context_metric, spec.dimension, spec.category))
    if rows.empty:
        return None
    items = [
        f"{period_label(r.period_start, r.period_end, lang)}"
        f"{'' if r.is_complete else ' (' + t('chart.partial', lang) + ')'} "
        f"{_value_text(r.value, is_share)}"
        for r in rows.tail(2).itertuples(index=False)
    ]
    return html.P(
        t(spec.context_key, lang, values=" · ".join(items)),
        className="small text-muted mb-0 kpi-context",
    )


@per_load
def kpi_card(spec: KpiSpec, lang: str) -> html.Div:
    engine = current().engine()
    registry = list_metrics(engine).set_index("metric")
    info = registry.loc[spec.metric]
    is_share = info["unit"] == "percent"
    unit = pick(lang, info["unit_name_ko"], info["unit_name_en"])
    rows = _series(spec.metric, spec.dimension, spec.category)
    title = html.H2(t(spec.title_key, lang), className="h6 kpi-title")
    if rows.empty:
        return html.Div(
            html.Div([title, html.P(t("chart.no_data", lang))], className="card-body"),
            className="card h-100 kpi-card",
        )
    breaks = [b for b in list_series_breaks(engine) if b["metric"] == spec.metric]
    definition_breaks = [b["break_date"] for b in breaks if b["kind"] == "definition"]
    scope_breaks = [b["break_date"] for b in breaks if b["kind"] == "scope"]
    blocks = []
    for index, row in enumerate(_pick_rows(spec, rows)):
        if spec.mode == "snapshot":
            comparison = compare_with_previous_snapshot(row, rows)
        else:
            comparison = compare_with_earlier(row, rows, is_share, definition_breaks, scope_breaks)
        blocks.append(_value_block(row, lang, is_share, comparison, unit, main=index == 0))
    return html.Div(
        html.Div([title, *blocks, _context_line(spec, lang, is_share)], className="card-body"),
        className="card h-100 kpi-card",
        id=f"kpi-{spec.card_id}",
    )
