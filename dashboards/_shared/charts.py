"""Chart specifications and their assembly: query the rows a spec asks for, choose the ones an
honest chart may draw, and hand them to a figure builder and the chart card."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass

import dash
import pandas as pd
from dash import html

from dashboards._shared import figures, markdown
from dashboards._shared.chart_card import EmbedLinks, chart_card
from dashboards._shared.context import current
from dashboards._shared.i18n import pick, t
from dashboards._shared.labels import category_label
from dashboards._shared.memo import per_load
from dashboards._shared.periods import is_calendar_year, period_label, trend_rows
from dashboards._shared.shell import with_params
from db.queries.listings import list_events, list_series_breaks
from db.queries.metrics import list_metrics
from db.queries.observations import find_observations

KINDS = ("trend", "breakdown", "snapshots", "windows")
SERIES_BY = ("auto", "metric", "category")


@dataclass(frozen=True)
class ChartSpec:
    """What one chart shows. `kind`:
    - trend: calendar years (+ the latest year-to-date of a year with no full figure);
    - breakdown: categories of `dimension` side by side for the chosen periods;
    - snapshots: cumulative cut-offs as a step line;
    - windows: overlapping windows (crackdowns, cut-offs) as separate bars.
    """

    chart_id: str
    title_key: str
    metrics: tuple[str, ...]
    kind: str = "trend"
    dimension: str = ""
    categories: tuple[str, ...] = ("total",)
    event_dates: tuple[str, ...] = ()  # events to annotate, by their date text
    note_keys: tuple[str, ...] = ()
    periods: int = 2  # breakdown: how many of the latest periods to show side by side
    # trend and snapshots: one series per metric or per category; "auto" is per category when
    # several categories (or, for snapshots, a dimension) are asked for, else per metric
    series_by: str = "auto"
    # trend: also draw a year covered only in part by a closed window inside it (a service
    # that opened on 30 April) when that year has no full-year figure; drawn as partial
    part_years: bool = False
    # windows: False leaves calendar years out (when a trend beside the chart draws them)
    calendar_years: bool = True

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown chart kind {self.kind}")
        if self.series_by not in SERIES_BY:
            raise ValueError(f"unknown series_by {self.series_by}")


def _metric_info(metrics: tuple[str, ...]) -> pd.DataFrame:
    registry = list_metrics(current().engine())
    return registry[registry["metric"].isin(metrics)].set_index("metric")


def _rows(spec: ChartSpec) -> pd.DataFrame:
    context = current()
    rows = find_observations(
        context.engine(), metrics=spec.metrics, include_unverified=context.include_unverified,
        dimension=spec.dimension,
    )
    if spec.categories and spec.kind != "breakdown":
        rows = rows[rows["category"].isin(spec.categories)]
    return rows


def _figure_key(metric, dimension, category, start, end) -> tuple:
    """The key that makes rows the same figure (a missing date matches a missing date)."""
    return (metric, dimension, category, None if pd.isna(start) else start,
            None if pd.isna(end) else end)


def _alternates(rows: pd.DataFrame) -> dict[int, str]:
    """For each headline row: the other sources' values for the same key ('78 (KBS World)')."""
    keys = [_figure_key(*key) for key in zip(rows["metric"], rows["dimension"], rows["category"],
                                              rows["period_start"], rows["period_end"])]
    others: dict[tuple, list[str]] = {}
    for key, is_headline, value, publisher, tier in zip(
            keys, rows["is_headline"], rows["value"], rows["publisher"], rows["tier"]):
        if not is_headline:
            others.setdefault(key, []).append(
                f"{figures._value_text(value, False)} ({publisher}, {tier})")
    return {observation_id: "; ".join(others.get(key, ()))
            for key, is_headline, observation_id in zip(keys, rows["is_headline"],
                                                        rows["observation_id"])
            if is_headline}


def _within_one_year(start, end) -> bool:
    return (start is not None and end is not None and not pd.isna(start) and not pd.isna(end)
            and start.year == end.year and not is_calendar_year(start, end))


def _trend_rows(rows: pd.DataFrame, part_years: bool) -> pd.DataFrame:
    """`trend_rows`, plus (with `part_years`) the latest window inside each year that has
    nothing else on the trend (e.g. 30 April to 31 December of a service's first year)."""
    chosen = trend_rows(rows)
    if not part_years or rows.empty:
        return chosen
    drawn_years = {s.year for s in chosen["period_start"]}
    inside = rows[[_within_one_year(s, e) for s, e in zip(rows["period_start"],
                                                          rows["period_end"])]]
    inside = inside[[s.year not in drawn_years for s in inside["period_start"]]]
    if inside.empty:
        return chosen
    inside = (inside.sort_values("period_end")
              .groupby(inside["period_start"].map(lambda s: s.year)).tail(1))
    return pd.concat([chosen, inside]).sort_values(["period_start", "period_end"])


def _drawn_complete(spec: ChartSpec, frame: pd.DataFrame) -> list[bool]:
    """Whether each row is drawn (and noted) as a whole period: on a trend, only a complete
    calendar year is; a half-year or a year-to-date is drawn partial even when it is closed."""
    complete = [bool(c) for c in frame["is_complete"]]
    if spec.kind != "trend":
        return complete
    days = [(dt.date.fromisoformat(s) if isinstance(s, str) and s else s,
             dt.date.fromisoformat(e) if isinstance(e, str) and e else e)
            for s, e in zip(frame["period_start"], frame["period_end"])]
    return [c and is_calendar_year(s or None, e or None) for c, (s, e) in zip(complete, days)]


def _select(spec: ChartSpec, rows: pd.DataFrame) -> pd.DataFrame:
    headline = rows[rows["is_headline"]]
    if spec.kind == "trend":
        parts = [_trend_rows(part, spec.part_years)
                 for _, part in headline.groupby(["metric", "category"])]
        return pd.concat(parts) if parts else headline.iloc[0:0]
    if spec.kind == "snapshots":
        return headline[headline["period_end"].notna()].sort_values("period_end")
    if spec.kind == "windows":
        known = headline[headline["period_start"].notna() & headline["period_end"].notna()]
        if not spec.calendar_years:
            known = known[[not is_calendar_year(s, e) for s, e in
                           zip(known["period_start"], known["period_end"])]]
        return known.sort_values(["period_start", "period_end"])
    # breakdown: the latest periods that have at least two categories
    known = headline[headline["period_end"].notna() & headline["period_start"].notna()]
    if spec.categories and spec.categories != ("total",):
        known = known[known["category"].isin(spec.categories)]
    counts = known.groupby(["period_start", "period_end"]).size()
    periods = counts[counts >= 2].index.tolist()
    periods = sorted(periods, key=lambda p: (p[1], p[0]))[-spec.periods:]
    chosen = known.set_index(["period_start", "period_end"]).index.isin(periods)
    return known[chosen]


def _export(rows: pd.DataFrame, chosen: pd.DataFrame, info: pd.DataFrame,
            lang: str) -> pd.DataFrame:
    """The tidy rows behind the chart: one figure a row, with its source and alternates."""
    alternates = _alternates(rows)
    return pd.DataFrame({
        "metric": chosen["metric"],
        "metric_name": [pick(lang, info.loc[m, "name_ko"], info.loc[m, "name_en"])
                        for m in chosen["metric"]],
        "dimension": chosen["dimension"],
        "category": chosen["category"],
        "period_start": [d.isoformat() if d else "" for d in chosen["period_start"]],
        "period_end": [d.isoformat() if d else "" for d in chosen["period_end"]],
        "period": [period_label(s, e, lang) for s, e in
                   zip(chosen["period_start"], chosen["period_end"])],
        "is_complete": chosen["is_complete"],
        "value": chosen["value"],
        "unit": chosen["unit"],
        "is_approximate": chosen["is_approximate"],
        "is_unverified": chosen["is_unverified"],
        "source_title": chosen["source_title"],
        "source_url": chosen["source_url"],
        "publisher": chosen["publisher"],
        "tier": chosen["tier"],
        "published_date": chosen["published_date"],
        "alternates": [alternates.get(i, "") for i in chosen["observation_id"]],
    }).reset_index(drop=True)


def _table_columns(lang: str) -> list[dict]:
    keys = [("period", "col.period"), ("metric_name", "col.metric"),
            ("category_label", "col.category"), ("value_text", "col.value"),
            ("unit_text", "col.unit"), ("status", "col.status"), ("source_link", "col.source"),
            ("alternates", "col.alternates")]
    return [{"id": c, "name": t(k, lang), **({"presentation": "markdown"}
                                              if c == "source_link" else {})} for c, k in keys]


def _display(export: pd.DataFrame, info: pd.DataFrame, lang: str) -> pd.DataFrame:
    shown = export.copy()
    shown["category_label"] = [category_label(d, c, lang)
                               for d, c in zip(shown["dimension"], shown["category"])]
    shown["unit_text"] = [unit_text(info, m, lang) for m in shown["metric"]]
    shown["value_text"] = [
        ("~" if a else "") + figures._value_text(v, u == "percent")
        for v, u, a in zip(shown["value"], shown["unit"], shown["is_approximate"])]
    shown["status"] = [
        ", ".join(filter(None, [t("chart.complete" if c else "chart.partial", lang),
                                t("chart.unverified", lang) if uv else ""]))
        for c, uv in zip(shown["is_complete"], shown["is_unverified"])]
    shown["source_link"] = [markdown.link(title, url) for title, url in
                            zip(shown["source_title"], shown["source_url"])]
    return shown


def unit_text(info: pd.DataFrame, metric: str, lang: str) -> str:
    return pick(lang, info.loc[metric, "unit_name_ko"], info.loc[metric, "unit_name_en"])


def units_text(info: pd.DataFrame, metrics: tuple[str, ...], lang: str) -> str:
    """The registry units of a chart's metrics, each once ('reports / items')."""
    return " / ".join(dict.fromkeys(unit_text(info, m, lang) for m in metrics
                                    if m in info.index))


def _markers(spec: ChartSpec, lang: str, show_events: bool) -> list[figures.Marker]:
    engine = current().engine()
    markers = []
    seen = set()
    for row in list_series_breaks(engine):
        if row["metric"] not in spec.metrics or (row["break_date"], row["kind"]) in seen:
            continue
        seen.add((row["break_date"], row["kind"]))
        markers.append(figures.Marker(row["break_date"],
                                      pick(lang, row["label_ko"], row["label_en"]), "break"))
    if show_events and spec.event_dates:
        marked_days = {m.day for m in markers}
        for row in list_events(engine):
            if row["date_text"] in spec.event_dates and row["date_start"] not in marked_days:
                markers.append(figures.Marker(
                    row["date_start"], t(f"event.{row['date_text']}", lang), "event"))
                marked_days.add(row["date_start"])
    return markers


def _notes(spec: ChartSpec, export: pd.DataFrame, markers: list[figures.Marker],
           info: pd.DataFrame, lang: str) -> list[str]:
    notes = [t(k, lang) for k in spec.note_keys]
    partial = export[[not c for c in _drawn_complete(spec, export)]]
    if spec.kind in ("trend", "breakdown") and not partial.empty:
        listed = ", ".join(f"{p} ({figures._value_text(v, u == 'percent')})"
                           for p, v, u in zip(partial["period"], partial["value"],
                                              partial["unit"]))
        notes.append(t("chart.note_partial", lang, periods=listed))
    for marker in markers:
        if marker.kind == "break":
            notes.append(t("chart.note_break", lang, date=marker.day.isoformat(),
                           label=marker.label))
    for metric in dict.fromkeys(export["metric"]):
        text = pick(lang, info.loc[metric, "breaks_ko"], info.loc[metric, "breaks_en"])
        if text:
            notes.append(text)
    if export["is_unverified"].astype(bool).any():
        notes.append(t("chart.note_unverified", lang))
    return list(dict.fromkeys(notes))


def _figure(spec: ChartSpec, export: pd.DataFrame, shown: pd.DataFrame, info: pd.DataFrame,
            lang: str, markers: list[figures.Marker]):
    is_share = bool((export["unit"] == "percent").all()) and not export.empty
    axis = units_text(info, spec.metrics, lang)
    plot = shown.assign(
        period_start=[dt.date.fromisoformat(d) if d else None for d in shown["period_start"]],
        period_end=[dt.date.fromisoformat(d) if d else None for d in shown["period_end"]],
        source=shown["publisher"],
        series=shown["metric_name"],
        is_complete=_drawn_complete(spec, shown),
    )
    if spec.kind != "windows":  # windows stay in date order
        # series in the order the spec lists its metrics and categories, periods oldest first
        metric_rank = {m: i for i, m in enumerate(spec.metrics)}
        category_rank = {c: i for i, c in enumerate(spec.categories)}
        plot = plot.assign(_order=[
            (str(e) if spec.kind == "breakdown" else "", metric_rank.get(m, 0),
             category_rank.get(c, len(category_rank)))
            for m, c, e in zip(plot["metric"], plot["category"], plot["period_end"])],
        ).sort_values("_order", kind="stable").drop(columns="_order")
    by_category = {"auto": None, "metric": False, "category": True}[spec.series_by]
    if spec.kind == "trend":
        if by_category or (by_category is None and len(spec.categories) > 1):
            plot["series"] = plot["category_label"]
        return figures.period_bars(plot, lang, axis, is_share, markers)
    if spec.kind == "breakdown":
        plot["period"] = [p + ("" if c else f" ({t('chart.partial', lang)})")
                          for p, c in zip(plot["period"], plot["is_complete"])]
        figure = figures.breakdown_bars(plot, lang, axis, is_share)
        if spec.categories and spec.categories != ("total",):
            order = [category_label(spec.dimension, c, lang) for c in spec.categories]
            figure.update_xaxes(categoryorder="array", categoryarray=order)
        return figure
    if spec.kind == "snapshots":
        if by_category or (by_category is None
                           and (len(spec.categories) > 1 or spec.dimension)):
            plot["series"] = plot["category_label"]
        return figures.snapshot_steps(plot, lang, axis, markers)
    # name the category only when it tells bars apart (a month's category is its period)
    named = spec.dimension != "month" and len(spec.categories) != 1
    plot["window"] = [f"{p} · {c}" if named and c != t("cat.total", lang) else p
                      for p, c in zip(plot["period"], plot["category_label"])]
    return figures.window_bars(plot, lang, axis)


def find_chart(chart_id: str) -> tuple[ChartSpec, str] | None:
    """The spec with `chart_id` among the pages' charts, with the path of its page."""
    for page in dash.page_registry.values():
        module = sys.modules.get(page["module"])
        for value in vars(module).values() if module else ():
            specs = value if isinstance(value, tuple) else (value,)
            for spec in specs:
                if isinstance(spec, ChartSpec) and spec.chart_id == chart_id:
                    return spec, page["path"]
    return None


@per_load
def render_chart(spec: ChartSpec, lang: str, show_events: bool = True,
                 embed_home: str | None = None) -> html.Section:
    """The chart card for `spec` in `lang`, or a card saying there is nothing to show.

    With `embed_home` (the path of the chart's page), the compact card for an iframe: the chart,
    its notes and sources, and a link back to the page."""
    info = _metric_info(spec.metrics)
    rows = _rows(spec)
    chosen = _select(spec, rows)
    title = {"ko": t(spec.title_key, "ko"), "en": t(spec.title_key, "en")}
    if chosen.empty:
        return html.Section([html.H3(title[lang], className="h5"),
                             html.P(t("chart.no_data", lang))], className="card card-body mb-4")
    export = _export(rows, chosen, info, lang)
    shown = _display(export, info, lang)
    markers = _markers(spec, lang, show_events) if spec.kind in ("trend", "snapshots") else []
    figure = _figure(spec, export, shown, info, lang, markers)
    sources = (chosen[["source_title", "source_url", "publisher", "published_date", "tier"]]
               .drop_duplicates("source_url").rename(columns={"source_title": "title"}))
    first, last = export["period_start"].replace("", None).min(), export["period_end"].max()
    period_text = {"ko": f"{first} ~ {last}", "en": f"{first} to {last}"}
    name = f"{spec.chart_id}_{first[:4] if first else ''}-{last[:4]}_{dt.date.today().isoformat()}"
    return chart_card(
        spec.chart_id, lang, title, t("chart.unit", lang, unit=units_text(info, spec.metrics,
                                                                            lang)),
        figure, shown, _table_columns(lang),
        sources, _notes(spec, export, markers, info, lang), period_text, name,
        export=export, embed=_embed_links(spec, lang, show_events, embed_home),
    )


def _embed_links(spec: ChartSpec, lang: str, show_events: bool,
                 embed_home: str | None) -> EmbedLinks:
    state = {"lang": lang, "events": "1" if show_events else "0"}
    return EmbedLinks(
        embed_path=with_params(f"/embed/{spec.chart_id}", state),
        home_path=with_params(embed_home, state) if embed_home else None,
    )
