"""What a person does in the dashboard, in real Chromium: read, switch language, filter, share
a link, download, and use it with a keyboard, a screen reader or a phone."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.browser.conftest import axe_violations, open_page, wait_until

pytestmark = pytest.mark.browser

PLOTTED = """sel => Array.from(document.querySelector(sel + ' .js-plotly-plot')._fullData)
    .map(t => ({name: t.name, x: Array.from(t.x), y: Array.from(t.y)}))"""
CATALOGUE_KEY = re.compile(r"\b(nav|chart|kpi|compare|explorer|police|event|col|tier|cat)\.[a-z_]")


def plotted(page, graph_id: str) -> list[dict]:
    page.wait_for_selector(f"#{graph_id} .js-plotly-plot .plot-container", timeout=15000)
    return page.evaluate(PLOTTED, f"#{graph_id}")


def test_overview_reads_1202_and_marks_january_to_july_partial(page, served):
    open_page(page, served + "/?lang=en")
    card = page.inner_text("#kpi-police-cases")
    assert "1,202" in card and "2024" in card
    assert "Not comparable" in card  # 2023 counted a different thing
    traces = plotted(page, "graph-police-cases-trend")
    points = {(t["name"], x, y) for t in traces for x, y in zip(t["x"], t["y"])}
    assert ("Sexual-deepfake cases reported to police", "2024", 1202) in points
    assert (
        "Sexual-deepfake crimes recorded (police) (partial)",
        "2024 Jan–Jul (partial)",
        297,
    ) in points
    for year, value in (("2021", 156), ("2022", 160), ("2023", 180)):
        assert ("Sexual-deepfake crimes recorded (police)", year, value) in points
    kcsc = page.inner_text("#kpi-kcsc")
    assert "vs same months a year earlier (2024 Jan–Jul: 6,434)" in kcsc
    assert "vs previous year (2023: 7,187)" in kcsc


def test_language_switch_changes_every_label(page, served):
    open_page(page, served + "/?lang=en")
    assert page.inner_text("h1") == "Digital sex crime & deepfake statistics"
    assert page.get_attribute("html", "lang") == "en"
    page.click("#navbar a[lang=ko]")
    page.wait_for_url(re.compile(r"lang=ko"))
    wait_until(
        page, "(document.querySelector('h1') || {innerText: ''}).innerText.includes('디지털')"
    )
    body = page.inner_text("body")
    assert "Overview" not in body and "개요" in body
    assert not CATALOGUE_KEY.search(body), CATALOGUE_KEY.search(body)


def _table_cells(page, table_id: str) -> list[list[str]]:
    return page.evaluate(
        """id => Array.from(document.querySelectorAll('#' + id + ' tbody tr'))
            .map(r => Array.from(r.querySelectorAll('td')).map(c => c.innerText.trim()))
            .filter(r => r.length)""",
        table_id,
    )


def test_filter_changes_table_and_url_and_the_url_reproduces_the_view(page, browser, served):
    open_page(page, served + "/explorer?lang=en")
    page.select_option(
        'select[id=\'{"param":"metric","type":"state-control"}\']', "police_deepfake_cases_reported"
    )
    page.wait_for_url(re.compile(r"metric=police_deepfake_cases_reported"))
    wait_until(page, "document.querySelector('#explorer-summary').innerText.startsWith('15 rows')")
    rows = _table_cells(page, "explorer-table")
    assert rows and all(r[0] == "Sexual-deepfake cases reported to police" for r in rows)
    shared = page.url
    fresh = browser.new_context(locale="ko-KR").new_page()
    open_page(fresh, shared)
    fresh.wait_for_selector("#explorer-table tbody tr td")
    assert (
        fresh.input_value('select[id=\'{"param":"metric","type":"state-control"}\']')
        == "police_deepfake_cases_reported"
    )
    assert _table_cells(fresh, "explorer-table") == rows
    assert fresh.inner_text("#explorer-summary") == page.inner_text("#explorer-summary")
    fresh.context.close()


def test_events_layer_toggles_and_is_kept_in_the_url(page, served):
    open_page(page, served + "/?lang=en")
    plotted(page, "graph-police-cases-trend")
    count = (
        "document.querySelector('#graph-police-cases-trend .js-plotly-plot').layout.shapes.length"
    )
    with_events = page.evaluate(count)
    page.click("text=Show events")
    page.wait_for_url(re.compile(r"events=0"))
    wait_until(page, f"{count} < {with_events}")
    assert page.evaluate(count) == 2  # the two series breaks stay


def test_chart_csv_is_exactly_the_rows_in_its_table(page, served):
    open_page(page, served + "/police?lang=en")
    plotted(page, "graph-police-apprehended")
    card = page.locator("section.chart-card", has=page.locator("#graph-police-apprehended"))
    with page.expect_download() as download_info:
        card.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    assert re.match(
        r"police-apprehended_\d{4}-\d{4}_\d{4}-\d\d-\d\d\.csv$", download.suggested_filename
    )
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    exported = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    card.get_by_text("View as table").click()
    shown = _table_cells(page, "table-police-apprehended")
    assert [(r[0], r[3]) for r in shown] == [
        (r["period"], f"{int(float(r['value'])):,}") for r in exported
    ]
    assert all(r["source_url"].startswith("http") for r in exported)
    traces = plotted(page, "graph-police-apprehended")
    assert sorted(y for t in traces for y in t["y"]) == sorted(float(r["value"]) for r in exported)


def _pages(page, served) -> list[str]:
    open_page(page, served + "/?lang=en")
    links = page.eval_on_selector_all("#navbar a[href]", "els => els.map(e => e.pathname)")
    return sorted(set(links))


def test_every_page_is_accessible_and_fits_a_phone(page, browser, served):
    paths = _pages(page, served)
    assert {"/", "/police", "/explorer"} <= set(paths)
    phone = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    for path in paths:
        for lang in ("en", "ko"):
            open_page(page, f"{served}{path}?lang={lang}")
            violations = axe_violations(page)
            assert violations == [], (path, lang, violations)
            assert not CATALOGUE_KEY.search(page.inner_text("body")), (path, lang)
        open_page(phone, f"{served}{path}?lang=ko")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (path, width)
    phone.context.close()
