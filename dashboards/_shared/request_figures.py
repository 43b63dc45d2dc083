"""Figure builders for the request-log pages: rows (a DataFrame) in, `go.Figure` out.

A missing value (a suppressed cell, a share on too few requests) is drawn as a gap, never as a
zero and never joined across; categories sit side by side, never stacked.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards._shared.figures import FONT, PALETTE

DASHES = ("solid", "dash", "dot")


def _layout(fig: go.Figure, axis_title: str, is_share: bool, height: int = 380) -> go.Figure:
    fig.update_layout(
        font={"family": FONT, "size": 13},
        margin={"l": 56, "r": 16, "t": 48, "b": 56},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        barmode="group",
        height=height,
        separators=".,",
        hoverlabel={"font": {"family": FONT}},
    )
    fig.update_yaxes(
        title_text=axis_title,
        gridcolor="#e5e5e5",
        zeroline=True,
        zerolinecolor="#999",
        rangemode="tozero",
        ticksuffix="%" if is_share else "",
        range=[0, 100] if is_share else None,
    )
    return fig


def _number(value) -> str:
    if value is None or pd.isna(value):
        return ""
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"


def period_lines(
    rows: pd.DataFrame, axis_title: str, is_share: bool = False, grain: str = "month"
) -> go.Figure:
    """One line per series over periods; missing values are gaps.

    rows: period_start (date), series (legend label), value (number or None), value_text."""
    fig = go.Figure()
    for index, (name, part) in enumerate(rows.groupby("series", sort=False)):
        part = part.sort_values("period_start")
        values = [None if pd.isna(v) else float(v) for v in part["value"]]
        fig.add_scatter(
            x=[d.isoformat() for d in part["period_start"]],
            y=values,
            name=str(name),
            mode="lines+markers" if grain != "day" else "lines",
            connectgaps=False,
            # past the palette's eight colours, lines are told apart by their dash
            line={
                "color": PALETTE[index % len(PALETTE)],
                "width": 2,
                "dash": DASHES[(index // len(PALETTE)) % len(DASHES)],
            },
            marker={"size": 5},
            customdata=list(part["value_text"]),
            hovertemplate="%{x}: <b>%{customdata}</b><extra>" + str(name) + "</extra>",
        )
    _layout(fig, axis_title, is_share)
    fig.update_xaxes(type="date", tickformat="%Y-%m" if grain == "month" else "%Y-%m-%d")
    return fig


def category_bars(rows: pd.DataFrame, axis_title: str, is_share: bool = False) -> go.Figure:
    """Vertical bars by category (in the rows' order), one colour per series, side by side.

    rows: category_label, series, value (number or None), value_text."""
    fig = go.Figure()
    for index, (name, part) in enumerate(rows.groupby("series", sort=False)):
        fig.add_bar(
            x=list(part["category_label"]),
            y=[None if pd.isna(v) else float(v) for v in part["value"]],
            name=str(name),
            marker={"color": PALETTE[index % len(PALETTE)]},
            text=list(part["value_text"]),
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: <b>%{text}</b><extra>" + str(name) + "</extra>",
        )
    _layout(fig, axis_title, is_share)
    fig.update_xaxes(
        type="category",
        automargin=True,
        categoryorder="array",
        categoryarray=list(dict.fromkeys(rows["category_label"])),
    )
    fig.update_layout(showlegend=rows["series"].nunique() > 1)
    return fig


def platform_bars(rows: pd.DataFrame, axis_title: str) -> go.Figure:
    """Horizontal bars per platform, one trace per measure (e.g. median and p90 hours).

    rows: category_label, series, value (number or None), value_text."""
    fig = go.Figure()
    for index, (name, part) in enumerate(rows.groupby("series", sort=False)):
        fig.add_bar(
            y=list(part["category_label"]),
            x=[None if pd.isna(v) else float(v) for v in part["value"]],
            name=str(name),
            orientation="h",
            marker={"color": PALETTE[index % len(PALETTE)]},
            text=list(part["value_text"]),
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: <b>%{text}</b><extra>" + str(name) + "</extra>",
        )
    _layout(fig, "", False, height=max(300, 80 + 34 * rows["category_label"].nunique()))
    fig.update_yaxes(
        title_text="",
        type="category",
        autorange="reversed",
        range=None,
        ticksuffix="",
        automargin=True,
    )
    fig.update_xaxes(title_text=axis_title, rangemode="tozero")
    return fig
