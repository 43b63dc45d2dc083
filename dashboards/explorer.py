"""Data explorer: every row behind the charts, filtered by metric, tier, period and breakdown,
with the headline and its alternates side by side."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import dash
import pandas as pd
from dash import dash_table, html

from dashboards._shared import markdown
from dashboards._shared.context import current
from dashboards._shared.controls import select
from dashboards._shared.figures import _value_text
from dashboards._shared.i18n import pick, request_language, t
from dashboards._shared.labels import category_label
from dashboards._shared.memo import PAGES_KEPT, per_load
from dashboards._shared.periods import period_label
from dashboards._shared.shell import with_params
from db.queries.metrics import list_metrics
from db.queries.observations import find_observations
from db.schema import TIERS

dash.register_page(__name__, path="/explorer", name="Explorer", name_key="nav.explorer",
                   order=70)

YEARS = [str(y) for y in range(2018, dt.date.today().year + 1)]
PAGE_SIZE = 50
KEY = ["metric", "dimension", "category", "period_start", "period_end"]


def _year(value: str | None, end: bool) -> dt.date | None:
    if value in YEARS:
        return dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1)
    return None


def _source_options(rows: pd.DataFrame) -> list[dict]:
    sources = rows.drop_duplicates("source_url").sort_values(["publisher", "source_title"])
    return [{"label": f"{r.publisher} — {r.source_title[:70]}", "value": r.source_url}
            for r in sources.itertuples(index=False)]


def _filters(lang: str, metrics: pd.DataFrame, dimensions: list[str], params: dict,
             everything: pd.DataFrame) -> html.Div:
    all_option = [{"label": t("explorer.all", lang), "value": ""}]
    metric_options = all_option + [
        {"label": pick(lang, r.name_ko, r.name_en), "value": r.metric}
        for r in metrics.sort_values(["agency", "metric"]).itertuples(index=False)
    ]
    return html.Div([
        select("metric", t("explorer.metric", lang), metric_options, params.get("metric")),
        select("source", t("explorer.source", lang), all_option + _source_options(everything),
               params.get("source")),
        select("tier", t("explorer.tier", lang),
               all_option + [{"label": t(f"tier.{x}", lang), "value": x} for x in TIERS],
               params.get("tier")),
        select("from", t("explorer.from", lang),
               all_option + [{"label": y, "value": y} for y in YEARS], params.get("from")),
        select("to", t("explorer.to", lang),
               all_option + [{"label": y, "value": y} for y in YEARS], params.get("to")),
        select("dimension", t("explorer.dimension", lang),
               all_option + [{"label": t("explorer.no_breakdown", lang), "value": "none"}]
               + [{"label": d, "value": d} for d in dimensions], params.get("dimension")),
        select("view", t("explorer.view", lang),
               [{"label": t("explorer.view_keys", lang), "value": ""},
                {"label": t("explorer.view_rows", lang), "value": "rows"}], params.get("view")),
    ], className="d-flex flex-wrap align-items-end")


def _rows(params: dict) -> pd.DataFrame:
    context = current()
    dimension = params.get("dimension") or None
    return find_observations(
        context.engine(),
        metrics=[params["metric"]] if params.get("metric") else (),
        include_unverified=context.include_unverified,
        dimension="" if dimension == "none" else dimension,
        tiers=[params["tier"]] if params.get("tier") in TIERS else (),
        date_from=_year(params.get("from"), end=False),
        date_to=_year(params.get("to"), end=True),
        source_url=params.get("source") or None,
    )


def _value(row) -> str:
    prefix = "~" if row.is_approximate else ("≥" if row.is_lower_bound else "")
    return prefix + _value_text(row.value, row.unit == "percent")


def _source(row, lang: str) -> str:
    mark = f" · **{t('chart.unverified', lang)}**" if row.is_unverified else ""
    return f"{markdown.link(row.publisher, row.source_url)} ({t('tier.' + row.tier, lang)}){mark}"


def _figures(rows: pd.DataFrame) -> list[list]:
    """The rows grouped by figure key, keys in order of first appearance, rows in table order."""
    groups: dict[tuple, list] = {}
    for row in rows.itertuples(index=False):
        key = (row.metric, row.dimension, row.category,
               None if pd.isna(row.period_start) else row.period_start,
               None if pd.isna(row.period_end) else row.period_end)
        groups.setdefault(key, []).append(row)
    return list(groups.values())


def _by_key(rows: pd.DataFrame, names: dict, lang: str) -> list[dict]:
    """One line per figure key: the headline and, beside it, every alternate."""
    records = []
    for group in _figures(rows):
        first = next((o for o in group if o.is_headline), group[0])
        alternates = [f"{_value(o)} — {_source(o, lang)}" for o in group if not o.is_headline]
        values = {o.value for o in group if not pd.isna(o.value)}
        records.append({
            "metric": names.get(first.metric, first.metric),
            "category": category_label(first.dimension, first.category, lang),
            "period": period_label(first.period_start, first.period_end, lang)
            + ("" if first.is_complete else f" ({t('chart.partial', lang)})"),
            "value": _value(first) if first.is_headline else "—",
            "unit": first.unit,
            "source": _source(first, lang) if first.is_headline else "",
            "alternates": "\n\n".join(alternates) if alternates else "",
            "conflict": t("explorer.conflict", lang) if len(values) > 1 else "",
        })
    return records


def _by_row(rows: pd.DataFrame, names: dict, lang: str) -> list[dict]:
    return [{
        "metric": names.get(r.metric, r.metric),
        "category": category_label(r.dimension, r.category, lang),
        "period": period_label(r.period_start, r.period_end, lang)
        + ("" if r.is_complete else f" ({t('chart.partial', lang)})"),
        "value": _value(r), "unit": r.unit, "source": _source(r, lang),
        "alternates": t("explorer.headline", lang) if r.is_headline
        else t("explorer.alternate", lang),
        "conflict": r.notes,
    } for r in rows.itertuples(index=False)]


def _download_href(params: dict) -> str:
    query = {}
    if params.get("metric"):
        query["metric"] = params["metric"]
    for key in ("from", "to", "tier", "source"):
        if params.get(key):
            query[key] = params[key]
    if params.get("dimension") and params["dimension"] != "none":
        query["dimension"] = params["dimension"]
    query["headline_only"] = "false"
    return "/download/observations.csv?" + urlencode(query)


def _page_number(value: str | None, pages: int) -> int:
    return min(max(int(value), 1), pages) if value and value.isdigit() else 1


def _pager(params: dict, lang: str, page: int, pages: int) -> html.Nav:
    """Previous / next links that keep every other setting of the view in the address."""
    def link(target: int, key: str):
        href = with_params("/explorer", {**params, "lang": lang, "page": str(target)})
        return html.A(t(key, lang), href=href, className="btn btn-outline-secondary btn-sm")

    return html.Nav([
        link(page - 1, "explorer.previous") if page > 1 else None,
        html.Span(t("explorer.page", lang, page=page, pages=pages), className="small mx-2"),
        link(page + 1, "explorer.next") if page < pages else None,
    ], className="d-flex align-items-center my-2", **{"aria-label": t("explorer.pages", lang)})


def layout(lang: str | None = None, **params) -> html.Div:
    # a parameter given twice in a hand-edited link arrives as a list: the last one counts
    params = {k: v[-1] if isinstance(v, list) and v else v for k, v in params.items()}
    lang = request_language(lang[-1] if isinstance(lang, list) and lang else lang)
    return _page(lang, tuple(sorted((k, v) for k, v in params.items() if isinstance(v, str))))


@per_load(size=PAGES_KEPT)
def _page(lang: str, chosen: tuple[tuple[str, str], ...]) -> html.Div:
    params = dict(chosen)
    engine = current().engine()
    metrics = list_metrics(engine)
    names = {r.metric: pick(lang, r.name_ko, r.name_en) for r in metrics.itertuples(index=False)}
    everything = find_observations(engine, include_unverified=current().include_unverified)
    dimensions = sorted(d for d in everything["dimension"].unique() if d)
    rows = _rows(params)
    by_row = params.get("view") == "rows"
    records_all = _by_row(rows, names, lang) if by_row else _by_key(rows, names, lang)
    pages = max(1, -(-len(records_all) // PAGE_SIZE))
    page = _page_number(params.get("page"), pages)
    records = records_all[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    columns = [
        {"id": "metric", "name": t("col.metric", lang)},
        {"id": "category", "name": t("col.category", lang)},
        {"id": "period", "name": t("col.period", lang)},
        {"id": "value", "name": t("col.value", lang)},
        {"id": "unit", "name": t("col.unit", lang)},
        {"id": "source", "name": t("col.source", lang), "presentation": "markdown"},
        {"id": "alternates", "name": t("explorer.role" if by_row else "col.alternates", lang),
         "presentation": "markdown"},
        {"id": "conflict", "name": t("col.notes" if by_row else "explorer.conflict_col", lang)},
    ]
    keys = len(records_all) if not by_row else len(_figures(rows))
    summary = t("explorer.summary", lang, rows=len(rows), keys=keys)
    return html.Div([
        html.H1(t("explorer.title", lang), className="h3"),
        html.P(t("explorer.intro", lang)),
        _filters(lang, metrics, dimensions, params, everything),
        html.P([summary, " · ", html.A(t("explorer.download", lang),
                                       href=_download_href(params), id="explorer-download")],
               className="small", id="explorer-summary"),
        dash_table.DataTable(
            id="explorer-table", data=records, columns=columns, page_action="none",
            sort_action="native", markdown_options={"link_target": "_blank"},
            style_table={"overflowX": "auto"},
            style_cell={"textAlign": "left", "whiteSpace": "normal", "height": "auto",
                        "fontFamily": "inherit", "fontSize": "0.85rem", "minWidth": "6rem"},
            style_header={"fontWeight": "bold"},
        ),
        _pager(params, lang, page, pages),
    ])
