"""The API page in real Chromium: it renders under the Content-Security-Policy (the `page`
fixture fails on any console error, CSP violations included) and its download links work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import open_page

pytestmark = pytest.mark.browser


def test_api_page_renders_under_the_csp_and_downloads_work(page, served_public):
    served = served_public
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    open_page(page, served + "/api?lang=en")
    assert page.inner_text("h1") == "Data API and downloads"
    assert "curl '" + served + "/api/v1/metrics'" in page.inner_text("main")
    with page.expect_download() as caught:
        page.click("a[href='/download/events.csv']")
    download = caught.value
    assert re.fullmatch(r"events_data-\d{4}-\d\d-\d\d\.csv", download.suggested_filename)
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfdate_text,date_precision,date_start,date_end")
    with page.expect_download() as caught:
        page.click("a[href='/download/datapackage.zip']")
    assert Path(caught.value.path()).read_bytes()[:2] == b"PK"
    assert violations == []


def test_charts_draw_under_the_public_csp(page, served_public):
    open_page(page, served_public + "/police?lang=en")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=15000)
    assert page.locator(".js-plotly-plot").count() >= 1
