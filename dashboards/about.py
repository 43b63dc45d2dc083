"""About page: what the product is and holds, its methods, metric definitions, series breaks,
events, sources, attribution and how to cite it, in Korean or English."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import dash
import pandas as pd
from dash import html
from flask import has_request_context, request

import config
from dashboards._shared.catalogue import CATALOGUE
from dashboards._shared.context import current
from dashboards._shared.i18n import request_language, t
from dashboards._shared.memo import per_load
from db.queries.listings import list_events, list_series_breaks, list_sources
from db.queries.metrics import list_metrics
from db.queries.status import counts
from db.schema import TIERS

dash.register_page(__name__, path="/about", name="About", name_key="nav.about", order=80)

# Methods: (id, heading, paragraph, bullet points), in reading order.
METHODS = (
    (
        "headline",
        "about.m.headline.h",
        "about.m.headline.intro",
        (
            "about.m.headline.tiers",
            "about.m.headline.latest",
            "about.m.headline.alternates",
            "about.m.headline.unverified",
        ),
    ),
    (
        "partial",
        "about.m.partial.h",
        "about.m.partial.intro",
        ("about.m.partial.marked", "about.m.partial.compare", "about.m.partial.sum"),
    ),
    (
        "overlap",
        "about.m.overlap.h",
        "about.m.overlap.intro",
        ("about.m.overlap.knpa", "about.m.overlap.ytd", "about.m.overlap.moe"),
    ),
    (
        "breaks",
        "about.m.breaks.h",
        "about.m.breaks.intro",
        ("about.m.breaks.reported", "about.m.breaks.scope", "about.m.breaks.minors"),
    ),
    (
        "subgroups",
        "about.m.subgroups.h",
        "about.m.subgroups.intro",
        ("about.m.subgroups.exempt", "about.m.subgroups.bands", "about.m.subgroups.shares"),
    ),
    (
        "units",
        "about.m.units.h",
        "about.m.units.intro",
        ("about.m.units.kcsc", "about.m.units.adsc", "about.m.units.kcc", "about.m.units.approx"),
    ),
    (
        "cells",
        "about.m.cells.h",
        "about.m.cells.intro",
        ("about.m.cells.rule", "about.m.cells.complementary"),
    ),
)
# The registry's agency codes, in the order the definitions list them, with their names.
AGENCIES = {
    "KNPA": "about.agency.knpa",
    "Seoul police (SMPA)": "about.agency.smpa",
    "KCSC": "about.agency.kcsc",
    "ADSC": "about.agency.adsc",
    "MOGEF": "about.agency.mogef",
    "MOE": "about.agency.moe",
    "MND": "about.agency.mnd",
    "KCC": "about.agency.kcc",
    "ACRC": "about.agency.acrc",
    "Courts": "about.agency.courts",
    "Seoul": "about.agency.seoul",
    "Gyeonggi": "about.agency.gyeonggi",
    "KTU": "about.agency.ktu",
    "Military counseling centre (NGO)": "about.agency.military_ngo",
    "Telegram": "about.agency.telegram",
}
SECTIONS = (
    "loaded",
    "methods",
    "metrics",
    "series-breaks",
    "events",
    "sources",
    "attribution",
    "cite",
)
SECTION_HEADINGS = {
    "loaded": "about.h.loaded",
    "methods": "about.h.methods",
    "metrics": "about.h.metrics",
    "series-breaks": "about.h.breaks",
    "events": "about.h.events",
    "sources": "about.h.sources",
    "attribution": "about.h.attribution",
    "cite": "about.h.cite",
}


def _label(key: str, lang: str, fallback: str) -> str:
    """The catalogue text for `key`, or `fallback` for a code the catalogue does not name."""
    return t(key, lang) if key in CATALOGUE else fallback


def _in_language(text: str, text_lang: str, lang: str, tag=html.Span, **props):
    """`text` in a `tag`, marked with its language where it differs from the page's."""
    return tag(text, **({"lang": text_lang} if text_lang != lang else {}), **props)


def _hangul_or_english(text: str) -> str:
    return "ko" if any("\uac00" <= char <= "\ud7a3" for char in text) else "en"


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _link(text: str, url: str, text_lang: str, lang: str) -> html.A:
    return _in_language(text, text_lang, lang, tag=html.A, href=url)


def _section(section_id: str, lang: str, *children) -> html.Section:
    heading = html.H2(
        t(SECTION_HEADINGS[section_id], lang), id=f"about-{section_id}", className="h4 mt-5"
    )
    return html.Section([heading, *children], **{"aria-labelledby": f"about-{section_id}"})


def _contents(lang: str) -> html.Nav:
    return html.Nav(
        html.Ul(
            [html.Li(html.A(t(SECTION_HEADINGS[s], lang), href=f"#about-{s}")) for s in SECTIONS],
            className="mb-0",
        ),
        className="border rounded p-2 my-3 small",
        **{"aria-label": t("about.toc", lang)},
    )


def _loaded(status: dict, source_count: int, public: bool, lang: str) -> list:
    unverified = status["unverified_observations"]
    figures = status["observations"] - (unverified if public else 0)
    paragraph = [
        t(
            "about.loaded",
            lang,
            figures=f"{figures:,}",
            events=f"{status['events']:,}",
            sources=f"{source_count:,}",
            metrics=f"{status['metrics']:,}",
            breaks=f"{status['series_breaks']:,}",
        )
    ]
    if not public and unverified:
        paragraph.append(" " + t("about.loaded_unverified", lang, unverified=f"{unverified:,}"))
    if status["last_load"]:
        when = dt.datetime.fromisoformat(status["last_load"].rstrip("Z"))
        last = [
            t("about.last_load", lang),
            html.Time(when.strftime("%Y-%m-%d %H:%M UTC"), dateTime=status["last_load"]),
        ]
    else:
        last = [t("about.never_loaded", lang)]
    return [
        html.P(paragraph),
        html.P(last),
        html.P(t("about.view_public" if public else "about.view_internal", lang)),
    ]


def _methods(lang: str) -> list:
    threshold = config.get_int("SMALL_CELL_THRESHOLD")
    values = {"threshold": threshold, "largest": threshold - 1}
    blocks = []
    for method_id, heading, intro, points in METHODS:
        blocks.append(
            html.Section(
                [
                    html.H3(t(heading, lang), id=f"about-method-{method_id}", className="h5 mt-4"),
                    html.P(t(intro, lang)),
                    html.Ul([html.Li(t(key, lang, **values)) for key in points]),
                ],
                **{"aria-labelledby": f"about-method-{method_id}"},
            )
        )
    return blocks


def _metric_entry(row, lang: str) -> list:
    name_lang = "ko" if lang == "ko" and row.name_ko else "en"
    definition_lang = "ko" if lang == "ko" and row.definition_ko else "en"
    breaks = (row.breaks_ko if lang == "ko" and row.breaks_ko else row.breaks_en) or ""
    unit = row.unit_name_ko if lang == "ko" else row.unit_name_en
    details = [
        html.Div(
            [
                html.Span(t("about.metric_id", lang) + ": "),
                html.Code(row.metric),
                html.Span(f" · {t('col.agency', lang)}: {row.agency}"),
                html.Span(f" · {t('col.unit', lang)}: {unit}"),
            ],
            className="small text-muted text-break",
        ),
        _in_language(
            row.definition_ko if definition_lang == "ko" else row.definition_en,
            definition_lang,
            lang,
            tag=html.P,
            className="mb-1",
        ),
    ]
    if breaks:
        breaks_lang = "ko" if lang == "ko" and row.breaks_ko else "en"
        details.append(
            html.P(
                [
                    html.Strong(t("about.metric_breaks", lang) + ": "),
                    _in_language(breaks, breaks_lang, lang),
                ],
                className="mb-1",
            )
        )
    return [
        _in_language(
            row.name_ko if name_lang == "ko" else row.name_en,
            name_lang,
            lang,
            tag=html.Dt,
            id=f"about-metric-{row.metric}",
            className="mt-3",
        ),
        html.Dd(details, className="ms-0"),
    ]


def _metrics(metrics: pd.DataFrame, lang: str) -> list:
    children = [html.P(t("about.metrics_intro", lang, count=len(metrics)))]
    if metrics.empty:
        return children
    order = {code: position for position, code in enumerate(AGENCIES)}
    agencies = sorted(metrics["agency"].unique(), key=lambda a: (order.get(a, len(order)), a))
    for number, agency in enumerate(agencies):
        rows = metrics[metrics["agency"] == agency]
        entries = [
            part for row in rows.itertuples(index=False) for part in _metric_entry(row, lang)
        ]
        heading_id = f"about-agency-{number}"
        children.append(
            html.Section(
                [
                    html.H3(
                        _label(AGENCIES.get(agency, ""), lang, agency),
                        id=heading_id,
                        className="h5 mt-4",
                    ),
                    html.Dl(entries, className="metric-definitions"),
                ],
                **{"aria-labelledby": heading_id},
            )
        )
    return children


def _source_link(url: str, by_url: dict[str, dict], lang: str) -> html.A:
    source = by_url.get(url)
    text = source["publisher"] if source else _host(url)
    return _link(text, url, _hangul_or_english(text), lang)


def _breaks_table(
    breaks: list[dict], names: dict[str, tuple[str, str]], by_url: dict[str, dict], lang: str
) -> list:
    headers = [
        t("col.metric", lang),
        t("about.col.date", lang),
        t("about.col.kind", lang),
        t("about.col.change", lang),
        t("col.source", lang),
    ]
    named = []
    for item in breaks:
        name_ko, name_en = names.get(item["metric"], ("", item["metric"]))
        named.append((name_ko if lang == "ko" and name_ko else name_en, item))
    named.sort(key=lambda pair: (pair[1]["break_date"], pair[0]))  # by date, then by name
    rows = []
    for name, item in named:
        label = item["label_ko"] if lang == "ko" and item["label_ko"] else item["label_en"]
        rows.append(
            html.Tr(
                [
                    html.Th(name, scope="row", className="fw-normal"),
                    html.Td(
                        html.Time(
                            item["break_date"].isoformat(), dateTime=item["break_date"].isoformat()
                        ),
                        className="text-nowrap",
                    ),
                    html.Td(_label(f"about.kind.{item['kind']}", lang, item["kind"])),
                    html.Td(label),
                    html.Td(_source_link(item["source_url"], by_url, lang), className="text-break"),
                ]
            )
        )
    return [
        html.P(t("about.breaks_intro", lang)),
        html.Div(
            html.Table(
                [
                    html.Caption(t("about.h.breaks", lang), className="visually-hidden"),
                    html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
                    html.Tbody(rows),
                ],
                className="table table-sm align-top small",
                style={"minWidth": "36rem"},
            ),
            # Narrow screens scroll the table inside this region, which the keyboard can reach.
            className="table-responsive",
            tabIndex="0",
            role="region",
            **{"aria-label": t("about.breaks_table", lang)},
        ),
    ]


def _event_date(item: dict) -> list:
    parts = item["date_text"].split("/")
    times = [html.Time(part, dateTime=part) for part in parts if part != "unknown"]
    if not times:
        return [item["date_text"]]
    return [times[0], " – ", times[1]] if len(times) == 2 else times


def _events(events: list[dict], by_url: dict[str, dict], lang: str) -> list:
    items = [
        html.Li(
            [
                html.Strong(_event_date(item)),
                html.Br(),
                _in_language(item["description"], "en", lang),
                " (",
                _source_link(item["source_url"], by_url, lang),
                ")",
            ],
            className="mb-2",
        )
        for item in events
    ]
    return [
        html.P(t("about.events_intro", lang)),
        html.P(t("about.events_text_note", lang), className="small text-muted"),
        html.Ul(items, className="list-unstyled"),
    ]


def _source_item(source: dict, lang: str) -> html.Li:
    date = source["published_date"]
    language = source["language"]
    meta = [
        source["publisher"],
        t("about.date_unknown", lang) if date in ("", "unknown") else date,
        _label(f"about.language.{language}", lang, language),
        t(f"tier.{source['tier']}", lang),
    ]
    children = [
        _link(source["title"], source["source_url"], language, lang),
        html.Br(),
        html.Span(" · ".join(meta), className="text-muted"),
    ]
    original = [source["original_title"], source["original_publisher"]]
    if any(original) or source["original_url"]:
        title, publisher = original
        text = title or publisher or _host(source["original_url"])
        shown = (
            _link(text, source["original_url"], _hangul_or_english(text), lang)
            if source["original_url"]
            else _in_language(text, _hangul_or_english(text), lang)
        )
        suffix = f" · {publisher}" if title and publisher else ""
        children += [html.Br(), html.Span([t("about.original", lang) + ": ", shown, suffix])]
    return html.Li(children, className="mb-2 text-break")


def _sources(sources: list[dict], public: bool, lang: str) -> list:
    children = [html.P(t("about.sources_intro", lang, count=len(sources)))]
    if public:
        children.append(html.P(t("about.sources_public", lang)))
    for tier in TIERS:
        group = sorted((s for s in sources if s["tier"] == tier), key=lambda s: s["title"])
        group.sort(
            key=lambda s: (s["published_date"] != "unknown", s["published_date"]), reverse=True
        )  # newest first, undated last; by title within a date
        if not group:
            continue
        label = t(f"tier.{tier}", lang)
        children.append(
            html.Section(
                [
                    html.H3(
                        f"{label[:1].upper()}{label[1:]} ({len(group)})",
                        id=f"about-tier-{tier}",
                        className="h5 mt-4",
                    ),
                    html.Ul([_source_item(s, lang) for s in group], className="small"),
                ],
                **{"aria-labelledby": f"about-tier-{tier}"},
            )
        )
    return children


def _site_url() -> str:
    return request.host_url if has_request_context() else "http://127.0.0.1:8050/"


def _attribution(lang: str) -> list:
    licence = dash.get_asset_url("BOOTSTRAP-LICENSE.txt")
    return [
        html.P(t("about.attr.read", lang)),
        html.P(t("about.attr.owners", lang)),
        html.P(
            [
                t("about.attr.software", lang),
                html.A(t("about.attr.bootstrap_licence", lang), href=licence),
                ".",
            ]
        ),
    ]


def _cite(lang: str) -> list:
    values = {"url": _site_url(), "date": dt.date.today().isoformat()}
    return [
        html.P(t("about.cite_intro", lang)),
        *[
            html.P(
                t("about.cite_text", cite_lang, **values),
                lang=cite_lang,
                className="border-start border-3 ps-2 text-break",
            )
            for cite_lang in ("ko", "en")
        ],
    ]


def layout(lang: str | None = None, **_query) -> html.Div:
    return _page(request_language(lang))


@per_load
def _page(lang: str) -> html.Div:
    """The whole page, kept per load as the JSON data the browser receives: a few thousand
    components, which Dash would otherwise turn into JSON one by one on every request."""
    context = current()
    engine = context.engine()
    status = counts(engine)
    metrics = list_metrics(engine)
    sources = list_sources(engine, include_unverified=context.include_unverified)
    by_url = {source["source_url"]: source for source in sources}
    names = (
        {row.metric: (row.name_ko, row.name_en) for row in metrics.itertuples(index=False)}
        if not metrics.empty
        else {}
    )
    return html.Div(
        [
            html.H1(t("about.title", lang), className="h3"),
            html.P(t("about.intro", lang)),
            html.P(t("about.intro_charts", lang)),
            _contents(lang),
            _section("loaded", lang, *_loaded(status, len(sources), context.public, lang)),
            _section("methods", lang, *_methods(lang)),
            _section("metrics", lang, *_metrics(metrics, lang)),
            _section(
                "series-breaks",
                lang,
                *_breaks_table(list_series_breaks(engine), names, by_url, lang),
            ),
            _section("events", lang, *_events(list_events(engine), by_url, lang)),
            _section("sources", lang, *_sources(sources, context.public, lang)),
            _section("attribution", lang, *_attribution(lang)),
            _section("cite", lang, *_cite(lang)),
        ],
        className="about-page",
    )
