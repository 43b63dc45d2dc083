"""What a page asks the browser to load: plotly.js from assets/ before the Dash renderer (never
Dash's full bundle), dcc.Graph's code with the page, and static files compressed once and kept
for a year."""

from __future__ import annotations

import gzip
import re

import pytest

import web.staticzip
from app import PLOTLY_BUNDLE

YEAR = "max-age=31536000"


def _scripts(client) -> list[str]:
    page = client.get("/?lang=en").get_data(as_text=True)
    return re.findall(r'<script src="([^"]+)"', page)


def _styles(client) -> list[str]:
    page = client.get("/?lang=en").get_data(as_text=True)
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)


@pytest.mark.parametrize("view", ["public_client", "internal_client"])
def test_plotly_comes_from_assets_and_the_full_bundle_is_not_served(view, request):
    client = request.getfixturevalue(view)
    scripts = _scripts(client)
    plotly = [s for s in scripts if "plotly" in s]
    assert len(plotly) == 1 and re.fullmatch(
        rf"/assets/{re.escape(PLOTLY_BUNDLE)}\?m=[\d.]+", plotly[0]
    )
    renderer = next(i for i, s in enumerate(scripts) if "dash_renderer" in s)
    assert scripts.index(plotly[0]) < renderer
    assert [s for s in scripts if "/dcc/async-graph." in s]  # with the page, versioned
    full = "/_dash-component-suites/plotly/package_data/plotly.min.js"
    assert client.get(full).status_code == 404


def test_static_files_are_gzipped_once_and_kept_for_a_year(public_client, monkeypatch):
    compressed = []

    class CountedPayload(web.staticzip.Payload):
        @classmethod
        def build(cls, body, mimetype, headers=None):
            compressed.append(len(body))
            return super().build(body, mimetype, headers)

    monkeypatch.setattr(web.staticzip, "Payload", CountedPayload)
    files = _scripts(public_client) + _styles(public_client)
    assert len(files) >= 12
    gzipped = {}
    for address in files:
        plain = public_client.get(address, headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
        answer = public_client.get(address, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
        assert answer.status_code == 200, address
        assert answer.headers["Content-Encoding"] == "gzip", address
        assert gzip.decompress(answer.data) == plain.data, address
        assert YEAR in answer.headers["Cache-Control"], address
        assert "Accept-Encoding" in answer.headers["Vary"], address
        gzipped[address] = answer.data
    times = len(compressed)  # each file at most once (none if an earlier test asked for it)
    assert times <= len(files)
    for address, body in gzipped.items():
        assert public_client.get(address, headers={"Accept-Encoding": "gzip"}).data == body
    assert len(compressed) == times
