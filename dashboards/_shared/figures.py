"""Figure builders: rows (a DataFrame) in, `go.Figure` out; no SQL and no Dash components.

Every builder draws partial periods distinctly (hatched, labelled with their months), puts the
unit on the value axis, and never stacks: breakdown categories sit side by side, so a subgroup
(10-13) is never drawn inside or added to its group (10-19).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboards._shared.i18n import t
from dashboards._shared.periods import period_label

# Okabe-Ito: distinguishable with every common colour-vision deficiency
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
BREAK_COLOUR = "#D55E00"
EVENT_COLOUR = "#555555"
FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans KR', 'Malgun Gothic', sans-serif"


@dataclass(frozen=True)
class Marker:
    """A dated vertical line on a chart: a series break or an event."""

    day: dt.date
    label: str
    kind: str  # "break" | "event"


def _base_layout(fig: go.Figure, axis_title: str, is_share: bool, lang: str) -> go.Figure:
    fig.update_layout(
        font={"family": FONT, "size": 13},
        margin={"l": 56, "r": 16, "t": 48, "b": 64},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        barmode="group",
        height=380,
        separators=".,",
        hoverlabel={"font": {"family": FONT}},
    )
    fig.update_yaxes(
        title_text=axis_title, gridcolor="#e5e5e5", zeroline=True, zerolinecolor="#999",
        rangemode="tozero", ticksuffix="%" if is_share else "",
        range=[0, 100] if is_share else None, tickformat=",d" if not is_share else None,
    )
    # tick labels turn only when they would overlap (long partial labels on a phone)
    fig.update_xaxes(type="category", automargin=True)
    return fig


def _wrap(text: str, width: int = 18) -> str:
    """A long axis title broken over lines, so it fits a phone screen."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def date_position(periods: list[tuple[dt.date, dt.date]], day: dt.date) -> float | None:
    """Where `day` falls on a categorical axis of periods: before the first period starting
    on it, else inside the last period holding it (by its share of that period), else between
    neighbours. None when outside them all."""
    starting = [i for i, (s, _) in enumerate(periods) if s == day]
    if starting:
        return starting[0] - 0.5
    holding = [i for i, (s, e) in enumerate(periods) if s <= day <= e]
    if holding:
        i = holding[-1]
        start, end = periods[i]
        span = max((end - start).days + 1, 1)
        return i - 0.5 + (day - start).days / span
    for i, (start, _) in enumerate(periods):
        if day < start:
            return None if i == 0 else i - 0.5
    return None


def _add_markers(fig: go.Figure, periods: list[tuple[dt.date, dt.date]],
                 markers: list[Marker]) -> list[Marker]:
    """Draw markers that fall on the axis; returns those drawn."""
    drawn = []
    levels = [1.0, 0.88, 0.76, 0.64]
    for marker in sorted(markers, key=lambda m: m.day):
        x = date_position(periods, marker.day)
        if x is None:
            continue
        is_break = marker.kind == "break"
        fig.add_shape(
            type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
            line={"color": BREAK_COLOUR if is_break else EVENT_COLOUR,
                  "width": 2 if is_break else 1, "dash": "solid" if is_break else "dot"},
        )
        # labels in the right half of the axis run leftwards, so they stay on the chart
        right_half = x > (len(periods) - 1) / 2
        fig.add_annotation(
            x=x, xref="x", y=levels[len(drawn) % len(levels)], yref="paper",
            text=("⟂ " if is_break else "") + marker.label, showarrow=False,
            xanchor="right" if right_half else "left",
            font={"size": 11, "color": BREAK_COLOUR if is_break else "#333"},
            bgcolor="rgba(255,255,255,0.85)",
        )
        drawn.append(marker)
    return drawn


def period_bars(rows: pd.DataFrame, lang: str, axis_title: str, is_share: bool,
                markers: list[Marker] = ()) -> go.Figure:
    """Bars over reference periods, one colour per series; partial periods hatched.

    rows: period_start, period_end, is_complete, value, series (legend label), unit_text.
    The x axis is the ordered periods; periods of different series that coincide share a slot.
    """
    fig = go.Figure()
    rows = rows.sort_values(["period_start", "period_end"]).copy()
    rows["label"] = [
        period_label(s, e, lang) + ("" if c else f" ({t('chart.partial', lang)})")
        for s, e, c in zip(rows["period_start"], rows["period_end"], rows["is_complete"])
    ]
    order = list(dict.fromkeys(rows["label"]))
    slots = rows.drop_duplicates("label")
    periods = list(zip(slots["period_start"], slots["period_end"]))
    series_names = list(dict.fromkeys(rows["series"]))
    for index, name in enumerate(series_names):
        colour = PALETTE[index % len(PALETTE)]
        for complete in (True, False):
            part = rows[(rows["series"] == name) & (rows["is_complete"] == complete)]
            if part.empty:
                continue
            status = t("chart.complete" if complete else "chart.partial", lang)
            fig.add_bar(
                x=part["label"], y=part["value"],
                name=name if complete else f"{name} ({status})",
                legendgroup=name,
                marker={"color": colour if complete else "white",
                        "line": {"color": colour, "width": 2},
                        "pattern": {"shape": "" if complete else "/", "fgcolor": colour,
                                    "solidity": 0.35}},
                text=[_value_text(v, is_share) for v in part["value"]],
                textposition="outside", cliponaxis=False,
                customdata=list(zip(part["label"], part["source"], part["unit_text"])),
                hovertemplate="%{customdata[0]}<br><b>%{text}</b> %{customdata[2]}"
                              "<br>%{customdata[1]}<extra>" + name + "</extra>",
            )
    _base_layout(fig, axis_title, is_share, lang)
    fig.update_xaxes(categoryorder="array", categoryarray=order)
    _add_markers(fig, periods, list(markers))
    return fig


def breakdown_bars(rows: pd.DataFrame, lang: str, axis_title: str, is_share: bool) -> go.Figure:
    """Side-by-side bars by category (never stacked); one trace per period.

    rows: category_label, value, period (label), is_complete, source, unit_text.
    """
    fig = go.Figure()
    for index, (period, part) in enumerate(rows.groupby("period", sort=False)):
        colour = PALETTE[index % len(PALETTE)]
        complete = bool(part["is_complete"].all())
        fig.add_bar(
            x=part["category_label"], y=part["value"], name=period,
            marker={"color": colour if complete else "white",
                    "line": {"color": colour, "width": 2},
                    "pattern": {"shape": "" if complete else "/", "fgcolor": colour,
                                "solidity": 0.35}},
            text=[_value_text(v, is_share) for v in part["value"]], textposition="outside",
            cliponaxis=False,
            customdata=list(zip(part["source"], part["unit_text"])),
            hovertemplate="%{x}: <b>%{text}</b> %{customdata[1]}<br>%{customdata[0]}"
                          "<extra>" + period + "</extra>",
        )
    return _base_layout(fig, axis_title, is_share, lang)


def snapshot_steps(rows: pd.DataFrame, lang: str, axis_title: str,
                   markers: list[Marker] = ()) -> go.Figure:
    """Cumulative snapshots as a step line over their cut-off dates; one line per series.

    rows: period_end, value, series, source, unit_text. Snapshots are never summed.
    """
    fig = go.Figure()
    for index, (name, part) in enumerate(rows.groupby("series", sort=False)):
        part = part.sort_values("period_end")
        fig.add_scatter(
            x=[d.isoformat() for d in part["period_end"]], y=part["value"], name=name,
            mode="lines+markers+text", line={"shape": "hv", "color": PALETTE[index % 8],
                                             "width": 2},
            text=[_value_text(v, False) for v in part["value"]], textposition="top center",
            cliponaxis=False,
            customdata=list(zip(part["source"], part["unit_text"])),
            hovertemplate=t("chart.as_of", lang) + " %{x}: <b>%{y:,}</b> %{customdata[1]}"
                          "<br>%{customdata[0]}<extra>" + name + "</extra>",
        )
    _base_layout(fig, axis_title, False, lang)
    fig.update_xaxes(type="date", tickformat="%Y-%m-%d")
    first, last = rows["period_end"].min(), rows["period_end"].max()
    for marker in markers:
        if first <= marker.day <= last:
            fig.add_vline(x=marker.day.isoformat(), line={"color": EVENT_COLOUR, "dash": "dot"})
            # half-way up, clear of the value labels above a rising cumulative line; in the
            # right half of the axis the label runs leftwards, so it stays on the chart
            right_half = (marker.day - first) > (last - first) / 2
            fig.add_annotation(x=marker.day.isoformat(), y=0.5, yref="paper", text=marker.label,
                               showarrow=False, xanchor="right" if right_half else "left",
                               font={"size": 11}, bgcolor="rgba(255,255,255,0.85)")
    return fig


def window_bars(rows: pd.DataFrame, lang: str, axis_title: str) -> go.Figure:
    """Overlapping windows (crackdowns, year-to-date cut-offs) as separate horizontal bars,
    each labelled with its dates: side by side for comparison, never added together.

    rows: window (label), value, series, is_complete, source, unit_text.
    """
    fig = go.Figure()
    for index, (name, part) in enumerate(rows.groupby("series", sort=False)):
        colour = PALETTE[index % len(PALETTE)]
        fig.add_bar(
            y=part["window"], x=part["value"], name=name, orientation="h",
            marker={"color": colour},
            text=[_value_text(v, False) for v in part["value"]], textposition="outside",
            cliponaxis=False, customdata=list(zip(part["source"], part["unit_text"])),
            hovertemplate="%{y}: <b>%{x:,}</b> %{customdata[1]}<br>%{customdata[0]}"
                          "<extra>" + name + "</extra>",
        )
    _base_layout(fig, "", False, lang)
    fig.update_yaxes(title_text="", type="category", autorange="reversed", range=None,
                     ticksuffix="", tickformat=None, automargin=True,
                     categoryorder="array", categoryarray=list(dict.fromkeys(rows["window"])))
    fig.update_xaxes(type="linear", title_text=_wrap(axis_title), tickformat=",d",
                     rangemode="tozero")
    if not rows.empty and rows["value"].max() > 0:  # room for the value beside the longest bar
        fig.update_xaxes(range=[0, float(rows["value"].max()) * 1.2])
    series = rows["series"].nunique()  # a legend of several series needs room on a phone
    fig.update_layout(height=max(260, 60 + 44 * len(rows) + (24 * series if series > 1 else 0)))
    return fig


def _value_text(value: float, is_share: bool) -> str:
    if is_share:
        return f"{value:g}%"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
