"""The API page: documents every endpoint and parameter, in Korean and English, accessibly."""

from __future__ import annotations

import dash
import pytest
from dash import html

from web.params import FILTER_PARAMETERS


def api_page_layout(app, lang: str):
    page = next(p for p in dash.page_registry.values() if p["path"] == "/api")
    assert page["name_key"] == "nav.api"
    with app.server.test_request_context(f"/api?lang={lang}", base_url="http://stats.example/"):
        return page["layout"](lang=lang)


def walk(component):
    yield component
    children = getattr(component, "children", None)
    if children is None or isinstance(children, str | int | float):
        return
    for child in children if isinstance(children, list | tuple) else [children]:
        if not isinstance(child, str | int | float):
            yield from walk(child)


def text_of(component) -> str:
    return "".join(
        c if isinstance(c, str) else text_of(c)
        for c in (
            component.children
            if isinstance(component.children, list | tuple)
            else [component.children or ""]
        )
    )


@pytest.mark.parametrize(
    ("lang", "title"), [("en", "Data API and downloads"), ("ko", "데이터 API와 내려받기")]
)
def test_page_documents_endpoints_parameters_and_examples(public_app, lang, title):
    layout = api_page_layout(public_app, lang)
    nodes = list(walk(layout))
    headings = [n for n in nodes if isinstance(n, html.H1 | html.H2 | html.H3)]
    assert isinstance(headings[0], html.H1) and text_of(headings[0]) == title
    assert all(isinstance(h, html.H2) for h in headings[1:]) and len(headings) == 8
    codes = {text_of(n) for n in nodes if isinstance(n, html.Code)}
    for path in (
        "/api/v1/metrics",
        "/api/v1/sources",
        "/api/v1/events",
        "/api/v1/observations",
        "/download/<dataset>.csv",
        "/download/datapackage.zip",
    ):
        assert path in codes
    for name in FILTER_PARAMETERS + ("format", "encoding", "limit", "offset"):
        assert name in codes
    assert (
        "curl 'http://stats.example/api/v1/observations?metric=police_deepfake_cases_"
        "reported&from=2024&to=2024'"
    ) in codes
    links = [n.href for n in nodes if isinstance(n, html.A)]
    assert links == [
        "/download/observations.csv",
        "/download/events.csv",
        "/download/sources.csv",
        "/download/metrics.csv",
        "/download/datapackage.zip",
    ]


def test_tables_have_column_and_row_headers(public_app):
    nodes = list(walk(api_page_layout(public_app, "en")))
    tables = [n for n in nodes if isinstance(n, html.Table)]
    assert len(tables) == 4
    for table in tables:
        inner = list(walk(table))
        assert any(isinstance(n, html.Caption) for n in inner)
        header_cells = [n for n in inner if isinstance(n, html.Th)]
        assert {n.scope for n in header_cells} == {"col", "row"}


def test_the_page_is_served_and_the_api_beside_it(public_client):
    assert public_client.get("/api").status_code == 200
    assert public_client.get("/api?lang=en").mimetype == "text/html"
    assert public_client.get("/api/v1/metrics").mimetype == "application/json"
