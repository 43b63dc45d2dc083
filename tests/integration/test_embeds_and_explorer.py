"""Embeds stand alone in an iframe; the explorer filters by source like the API does."""

from __future__ import annotations

import json

import dash
from plotly.utils import PlotlyJSONEncoder

KBS = "http://rki.kbs.co.kr/service/news_view.htm?Seq_Code=187563&lang=e"


def render(app, path: str, **params) -> str:
    page = next(p for p in dash.page_registry.values()
                if p.get("path_template", p["path"]) == path or p["path"] == path)
    with app.server.test_request_context(path):
        layout = page["layout"](**params)
    return json.dumps(layout.to_plotly_json(), cls=PlotlyJSONEncoder, ensure_ascii=False)


def test_embed_renders_one_chart_with_sources_and_a_link_back(public_app):
    text = render(public_app, "/embed/<chart_id>", chart_id="police-apprehended", lang="en")
    assert '"graph-police-apprehended"' in text
    assert "/police?lang=en&events=1" in text
    assert "Sources" in text and "Download CSV" not in text
    assert "theqoo" not in text  # unverified reposts never reach the public view


def test_unknown_embed_says_so(public_app):
    assert "There is no such chart." in render(public_app, "/embed/<chart_id>",
                                                chart_id="nope", lang="en")


def test_every_chart_offers_its_iframe_snippet(internal_app):
    text = render(internal_app, "/police", lang="en")
    assert '<iframe src=\\"http://localhost/embed/police-apprehended?lang=en&events=1\\"' in text


def test_embeds_may_be_framed_and_pages_may_not(public_client):
    embed = public_client.get("/embed/police-apprehended")
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    page = public_client.get("/police")
    assert page.headers["X-Frame-Options"] == "DENY"


def test_explorer_filters_by_source_and_links_the_same_download(internal_app, internal_client):
    text = render(internal_app, "/explorer", lang="en", source=KBS)
    assert "3 rows, 3 figures" in text
    assert "source=http%3A%2F%2Frki.kbs.co.kr" in text
    body = internal_client.get("/api/v1/observations", query_string={
        "source": KBS, "headline_only": "false"}).get_json()
    assert body["count"] == 3 and {r["source_url"] for r in body["data"]} == {KBS}
