"""The card around every chart: title and unit, the graph, its sources as links, notes on
partial periods and breaks, a table for screen readers, CSV and PNG downloads, and cite text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from dash import MATCH, Input, Output, State, callback, clientside_callback, dash_table, dcc, html

from dashboards._shared.i18n import t
from web.csvout import to_csv_bytes

GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
}


def _source_links(sources: pd.DataFrame, lang: str) -> html.Div:
    items = [
        html.Li([
            # a source without an address (a record-level log) is named, not linked
            html.A(row.title, href=row.source_url, target="_blank", rel="noopener noreferrer")
            if row.source_url else html.Span(row.title),
            html.Span(" · ".join(["", row.publisher, row.published_date,
                                  *([t("tier." + row.tier, lang)] if row.tier else [])]),
                      className="text-muted"),
        ])
        for row in sources.itertuples(index=False)
    ]
    return html.Div([
        html.H4(t("chart.sources", lang), className="h6 mt-2 mb-1"),
        html.Ul(items, className="small mb-1 ps-3 source-list"),
    ])


def _table(chart_id: str, table: pd.DataFrame, columns: list[dict], lang: str) -> html.Details:
    return html.Details([
        html.Summary(t("chart.view_table", lang)),
        dash_table.DataTable(
            id=f"table-{chart_id}", data=table.to_dict("records"), columns=columns,
            markdown_options={"link_target": "_blank"},
            style_table={"overflowX": "auto"},
            style_cell={"textAlign": "left", "whiteSpace": "normal", "height": "auto",
                        "fontFamily": "inherit", "fontSize": "0.85rem"},
            style_header={"fontWeight": "bold"},
            page_action="none",
        ),
    ], className="mt-2")


def _cite(title_ko: str, title_en: str, period_text: dict[str, str], sources: pd.DataFrame,
          today: dt.date) -> html.Details:
    publishers = ", ".join(dict.fromkeys(sources["publisher"])) if not sources.empty else ""
    ko = (f"「{title_ko}」({period_text['ko']}). 출처: {publishers}. "
          f"디지털 성범죄 통계 대시보드, {today.isoformat()} 확인.")
    en = (f"\u201c{title_en}\u201d ({period_text['en']}). Sources: {publishers}. "
          f"Digital sex crime statistics dashboard, retrieved {today.isoformat()}.")
    return html.Details([
        html.Summary(t("chart.cite", "ko") + " · " + t("chart.cite", "en")),
        html.P(ko, lang="ko", className="small mb-1"),
        html.P(en, lang="en", className="small mb-1"),
    ], className="mt-1")


@dataclass(frozen=True)
class EmbedLinks:
    """Where the chart can be embedded from, and (in an embed) the page it comes from."""

    embed_path: str
    home_path: str | None = None  # set only when rendering the embed itself


def _embed_snippet(links: EmbedLinks, title: str, lang: str) -> html.Details:
    from flask import has_request_context, request

    base = request.host_url.rstrip("/") if has_request_context() else ""
    snippet = (f'<iframe src="{base}{links.embed_path}" title="{title}" width="100%" '
               f'height="560" style="border:0" loading="lazy"></iframe>')
    return html.Details([
        html.Summary(t("chart.embed", lang)),
        html.P(t("chart.embed_help", lang), className="small mb-1"),
        html.Pre(html.Code(snippet), className="small bg-light p-2 embed-snippet"),
    ], className="mt-1")


def chart_card(
    chart_id: str,
    lang: str,
    title: dict[str, str],
    unit_text: str,
    figure: go.Figure,
    table: pd.DataFrame,
    table_columns: list[dict],
    sources: pd.DataFrame,
    notes: list[str],
    period_text: dict[str, str],
    download_name: str,
    export: pd.DataFrame,
    embed: EmbedLinks | None,
    banner: html.Div | None = None,
) -> html.Section:
    """One chart with everything a reader needs to trust, check, reuse and cite it.

    `embed` None: a chart that is not offered for embedding (no snippet). `banner`: a warning
    shown above the graph, e.g. that the chart draws synthetic data."""
    heading_id = f"heading-{chart_id}"
    figure.update_layout(title=None)
    graph = dcc.Graph(id=f"graph-{chart_id}", figure=figure, config={
        **GRAPH_CONFIG, "toImageButtonOptions": {"format": "png", "filename": download_name}},
        className="chart-graph")
    note_list = (html.Ul([html.Li(note) for note in notes], className="small chart-notes mb-1")
                 if notes else None)
    if embed is not None and embed.home_path:
        return html.Section([
            html.H1(title[lang], id=heading_id, className="h5 mb-0"),
            html.P(unit_text, className="text-muted small mb-1"),
            graph, note_list, _source_links(sources, lang),
            html.P(html.A(t("chart.embed_back", lang), href=embed.home_path, target="_blank",
                          rel="noopener"), className="small mb-0"),
        ], className="chart-card chart-embed p-2", **{"aria-labelledby": heading_id})
    return html.Section([
        html.H3(title[lang], id=heading_id, className="h5 mb-0"),
        html.P(unit_text, className="text-muted small mb-1"),
        banner, graph, note_list, _source_links(sources, lang),
        html.Div([
            html.Button(t("chart.download_csv", lang), id={"type": "csv-button", "chart": chart_id},
                        className="btn btn-outline-secondary btn-sm"),
            html.Button(t("chart.download_png", lang), id={"type": "png-button", "chart": chart_id},
                        className="btn btn-outline-secondary btn-sm"),
            dcc.Download(id={"type": "csv-download", "chart": chart_id}),
            dcc.Store(id={"type": "chart-rows", "chart": chart_id},
                      data={"name": download_name, **_stored_rows(export)}),
            html.Span(id={"type": "png-done", "chart": chart_id}, hidden=True),
        ], className="d-flex flex-wrap gap-2 mt-1"),
        _table(chart_id, table, table_columns, lang),
        _cite(title["ko"], title["en"], period_text, sources, dt.date.today()),
        _embed_snippet(embed, title[lang], lang) if embed is not None else None,
    ], className="chart-card card card-body mb-4", **{"aria-labelledby": heading_id})


def _stored_rows(export: pd.DataFrame) -> dict:
    """The chart's CSV rows as the page keeps them: the column names once, then each row's
    cells in that order (half the bytes of a record per row on a large chart)."""
    split = export.to_dict(orient="split", index=False)
    return {"columns": [str(column) for column in split["columns"]], "data": split["data"]}


def stored_records(stored: dict) -> tuple[list[str], list[dict]]:
    """The column names and the rows (one dict each) of a chart's kept CSV rows."""
    columns = [str(column) for column in stored["columns"]]
    return columns, [dict(zip(columns, cells)) for cells in stored["data"]]


@callback(
    Output({"type": "csv-download", "chart": MATCH}, "data"),
    Input({"type": "csv-button", "chart": MATCH}, "n_clicks"),
    State({"type": "chart-rows", "chart": MATCH}, "data"),
    prevent_initial_call=True,
)
def download_chart_csv(_clicks, stored):
    """The CSV of exactly the rows in the chart's table (UTF-8 with BOM, formula-safe)."""
    columns, rows = stored_records(stored)
    content = to_csv_bytes(columns, rows).decode("utf-8")
    return {"content": content, "filename": stored["name"] + ".csv", "type": "text/csv"}


clientside_callback(
    """function (clicks, id) {
        if (!clicks) { return window.dash_clientside.no_update; }
        const holder = document.getElementById('graph-' + id.chart);
        const plot = holder && holder.querySelector('.js-plotly-plot');
        if (plot && window.Plotly) {
            window.Plotly.downloadImage(plot, {format: 'png', filename: id.chart,
                                               width: 1000, height: 520});
        }
        return String(clicks);
    }""",
    Output({"type": "png-done", "chart": MATCH}, "children"),
    Input({"type": "png-button", "chart": MATCH}, "n_clicks"),
    State({"type": "png-button", "chart": MATCH}, "id"),
    prevent_initial_call=True,
)
