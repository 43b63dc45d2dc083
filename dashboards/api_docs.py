"""API page: the data as JSON, CSV or a data package, with examples, in Korean and English."""

from __future__ import annotations

import dash
from dash import html
from flask import has_request_context, request

import config
from dashboards._shared.i18n import request_language, t
from db.schema import TIERS
from web.fields import OBSERVATION_FIELDS
from web.params import DEFAULT_LIMIT, MAX_LIMIT

dash.register_page(__name__, path="/api", name="API", name_key="nav.api", order=90)

ENDPOINTS = (
    ("/api/v1/metrics", "api.ep.metrics"),
    ("/api/v1/sources", "api.ep.sources"),
    ("/api/v1/events", "api.ep.events"),
    ("/api/v1/observations", "api.ep.observations"),
    ("/download/<dataset>.csv", "api.ep.download"),
    ("/download/datapackage.zip", "api.ep.package"),
)
PARAMETERS = (
    ("metric", "police_deepfake_cases_reported", "", "api.p.metric"),
    ("from", "YYYY | YYYY-MM | YYYY-MM-DD", "", "api.p.from"),
    ("to", "YYYY | YYYY-MM | YYYY-MM-DD", "", "api.p.to"),
    ("dimension", "age_group, platform, ...", "", "api.p.dimension"),
    ("category", "total, 10s, ...", "", "api.p.category"),
    ("tier", " | ".join(TIERS), "", "api.p.tier"),
    ("source", "https://...", "", "api.p.source"),
    ("headline_only", "true | false | 1 | 0", "true", "api.p.headline_only"),
    ("format", "json | csv", "json", "api.p.format"),
    ("encoding", "utf-8-sig | utf-8", "utf-8-sig", "api.p.encoding"),
    ("limit", f"1-{MAX_LIMIT}", str(DEFAULT_LIMIT), "api.p.limit"),
    ("offset", "0, 1, ...", "0", "api.p.offset"),
)
EXAMPLES = (
    ("api.ex.metrics", "api/v1/metrics"),
    ("api.ex.year", "api/v1/observations?metric=police_deepfake_cases_reported&from=2024&to=2024"),
    (
        "api.ex.csv",
        "api/v1/observations?metric=police_deepfake_cases_reported&from=2024&to=2024"
        "&headline_only=false&format=csv",
    ),
    ("api.ex.download", "download/observations.csv?tier=official,wire"),
    ("api.ex.package", "download/datapackage.zip"),
)
DOWNLOADS = (
    ("/download/observations.csv", "api.download.observations"),
    ("/download/events.csv", "api.download.events"),
    ("/download/sources.csv", "api.download.sources"),
    ("/download/metrics.csv", "api.download.metrics"),
    ("/download/datapackage.zip", "api.download.package"),
)


def _table(caption: str, headers: list[str], rows: list[list]) -> html.Div:
    return html.Div(
        html.Table(
            [
                html.Caption(caption, className="visually-hidden"),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
                html.Tbody(
                    [
                        html.Tr(
                            [
                                html.Th(row[0], scope="row", className="fw-normal"),
                                *[html.Td(cell) for cell in row[1:]],
                            ]
                        )
                        for row in rows
                    ]
                ),
            ],
            className="table table-sm align-top",
        ),
        className="table-responsive",
    )


def _base_url() -> str:
    return request.host_url if has_request_context() else "http://127.0.0.1:8050/"


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = request_language(lang)
    base = _base_url()
    code = {"className": "text-break"}
    return html.Div(
        [
            html.H1(t("api.title", lang), className="h3"),
            html.P(t("api.intro", lang)),
            html.H2(t("api.h.endpoints", lang), className="h5 mt-4"),
            _table(
                t("api.h.endpoints", lang),
                [t("api.col.address", lang), t("api.col.what", lang)],
                [[html.Code(path), t(key, lang)] for path, key in ENDPOINTS],
            ),
            html.H2(t("api.h.parameters", lang), className="h5 mt-4"),
            _table(
                t("api.h.parameters", lang),
                [
                    t("api.col.parameter", lang),
                    t("api.col.values", lang),
                    t("api.col.default", lang),
                    t("api.col.meaning", lang),
                ],
                [
                    [html.Code(name), html.Code(values, **code), default, t(key, lang)]
                    for name, values, default, key in PARAMETERS
                ],
            ),
            html.H2(t("api.h.examples", lang), className="h5 mt-4"),
            html.Ul(
                [
                    html.Li(
                        [
                            html.Span(t(key, lang)),
                            html.Pre(
                                html.Code(f"curl '{base}{path}'"),
                                className="bg-light p-2 text-wrap",
                            ),
                        ]
                    )
                    for key, path in EXAMPLES
                ],
                className="list-unstyled",
            ),
            html.H2(t("api.h.answers", lang), className="h5 mt-4"),
            html.P(t("api.answers", lang)),
            html.H2(t("api.h.downloads", lang), className="h5 mt-4"),
            _table(
                t("api.h.downloads", lang),
                [t("api.col.file", lang), t("api.col.what", lang)],
                [[html.A(path, href=path, download=""), t(key, lang)] for path, key in DOWNLOADS],
            ),
            html.P(t("api.files", lang)),
            html.H2(t("api.h.limits", lang), className="h5 mt-4"),
            html.Ul(
                [
                    html.Li(t("api.limit.errors", lang)),
                    html.Li(t("api.limit.cache", lang)),
                    html.Li(
                        t(
                            "api.limit.rows",
                            lang,
                            limit=f"{MAX_LIMIT:,}",
                            cap=f"{config.get_int('DOWNLOAD_MAX_ROWS'):,}",
                        )
                    ),
                    html.Li(
                        t("api.limit.rate", lang, rate=config.get("PUBLIC_RATE_LIMIT_PER_MINUTE"))
                    ),
                    html.Li(t("api.limit.public", lang)),
                ]
            ),
            html.H2(t("api.h.columns", lang), className="h5 mt-4"),
            _table(
                t("api.h.columns", lang),
                [
                    t("api.col.column", lang),
                    t("api.col.type", lang),
                    t("api.col.description", lang),
                ],
                [
                    [
                        html.Code(f.name),
                        f.type,
                        f.description_ko if lang == "ko" else f.description_en,
                    ]
                    for f in OBSERVATION_FIELDS
                ],
            ),
        ]
    )
