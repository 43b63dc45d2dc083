"""How a page loads in real Chromium: plotly.js comes from the bundle in assets/ (the trace types
the charts draw, never Dash's full plotly.min.js), the charts still draw and export PNG, and a
first load draws the page once: its controls write the address only when a person changes them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs_version

from tests.browser.conftest import open_page, wait_until

pytestmark = pytest.mark.browser

ROUTER_OUTPUT = "_pages_content.children"
TREND = "#graph-police-cases-trend .js-plotly-plot"
TRACES = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
    .flatMap(gd => gd._fullData.map(t => ({type: t.type, name: t.name,
                                          x: Array.from(t.x), y: Array.from(t.y)})))"""
SHAPES = f"document.querySelector('{TREND}').layout.shapes.length"


class Requests:
    """The addresses a page asks for, and the outputs of its callback posts, in order."""

    def __init__(self, page):
        self.urls: list[str] = []
        self.outputs: list[str] = []
        page.on("request", self._seen)

    def _seen(self, request) -> None:
        self.urls.append(request.url)
        if request.method == "POST" and "/_dash-update-component" in request.url:
            self.outputs.append(json.loads(request.post_data)["output"])

    def router_posts(self) -> int:
        return sum(ROUTER_OUTPUT in output for output in self.outputs)


def _drawn_traces(page) -> list[dict]:
    page.wait_for_selector(f"{TREND} .main-svg g.trace", timeout=15000)
    return page.evaluate(TRACES)


def test_overview_draws_with_the_vendored_plotly_bundle(page, served_public):
    seen = Requests(page)
    open_page(page, served_public + "/?lang=en")
    traces = _drawn_traces(page)
    version = get_plotlyjs_version()
    assert not [url for url in seen.urls if "plotly.min.js" in url]
    bundle = [url for url in seen.urls if f"/assets/plotly-basic-{version}.min.js" in url]
    assert len(bundle) == 1, seen.urls
    assert page.evaluate("window.Plotly.version") == version
    assert sorted(page.evaluate("Object.keys(Plotly.PlotSchema.get().traces)")) == [
        "bar",
        "pie",
        "scatter",
    ]
    points = {(t["type"], t["name"], x, y) for t in traces for x, y in zip(t["x"], t["y"])}
    assert points == {
        ("bar", "Sexual-deepfake crimes recorded (police)", "2021", 156),
        ("bar", "Sexual-deepfake crimes recorded (police)", "2022", 160),
        (
            "bar",
            "Sexual-deepfake crimes recorded (police) (partial)",
            "2024 Jan–Jul (partial)",
            297,
        ),
        ("bar", "Sexual-deepfake cases reported to police", "2024", 1202),
    }
    # the full bundle is not served at all, and the small one is kept for a year
    full = page.request.get(
        served_public + "/_dash-component-suites/plotly/package_data/plotly.min.js"
    )
    assert full.status == 404
    asset = page.request.get(bundle[0])
    assert asset.status == 200
    assert "max-age=31536000" in asset.headers["cache-control"]


def test_png_button_downloads_the_chart(page, served_public):
    open_page(page, served_public + "/?lang=en")
    _drawn_traces(page)
    card = page.locator("section.chart-card", has=page.locator("#graph-police-cases-trend"))
    with page.expect_download() as caught:
        card.get_by_role("button", name="Download PNG").click()
    assert caught.value.suggested_filename == "police-cases-trend.png"
    assert Path(caught.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "address", ["/?lang=en", "/police?lang=ko&events=0", "/explorer?lang=en&tier=official"]
)
def test_a_first_load_posts_the_page_router_once(page, served_public, address):
    seen = Requests(page)
    open_page(page, served_public + address)
    page.wait_for_selector("#main h1")
    page.wait_for_load_state("networkidle")
    assert seen.router_posts() == 1, seen.outputs
    assert page.url == served_public + address  # no default written into the address


def test_a_changed_control_is_drawn_once_and_back_and_forward_redraw(page, served_public):
    seen = Requests(page)
    open_page(page, served_public + "/?lang=en")
    _drawn_traces(page)
    with_events = page.evaluate(SHAPES)
    page.click("text=Show events")
    page.wait_for_url(re.compile(r"\?lang=en&events=0$"))
    wait_until(page, f"{SHAPES} < {with_events}")
    page.wait_for_load_state("networkidle")
    assert seen.router_posts() == 2, seen.outputs
    assert not page.get_by_label("Show events").is_checked()
    page.go_back()
    page.wait_for_url(served_public + "/?lang=en")
    wait_until(page, f"{SHAPES} == {with_events}")
    assert page.get_by_label("Show events").is_checked()
    page.go_forward()
    page.wait_for_url(re.compile(r"\?lang=en&events=0$"))
    wait_until(page, f"{SHAPES} < {with_events}")
    page.wait_for_load_state("networkidle")
    assert not page.get_by_label("Show events").is_checked()
    assert seen.router_posts() == 4, seen.outputs  # one per address, nothing written back
