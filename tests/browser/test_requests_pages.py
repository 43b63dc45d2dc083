"""The platform scorecard in real Chromium, in both views: inside, exact figures under a
synthetic-data banner; in public, no synthetic row, small counts as "<10" in the table and the
CSV, and gaps in the chart."""

from __future__ import annotations

import re

import pytest

from db.engine import create_schema, make_engine
from etl import load
from etl.requests import synth
from tests.browser.conftest import _serve, axe_violations, open_page, wait_until
from tests.conftest import DATA
from tests.databases import copy_database, new_database
from tests.integration.test_requests_pages import real_log

pytestmark = pytest.mark.browser

MONTH_SELECT = 'select[id=\'{"param":"month","type":"state-control"}\']'
MEASURE_SELECT = 'select[id=\'{"param":"measure","type":"state-control"}\']'


@pytest.fixture(scope="module")
def log_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("request-logs")
    synth.write(synth.generate_table(3000, 31), folder / "synthetic.csv")
    real_log(folder / "agency_log.csv", 2500, 32)
    url = new_database(folder, "browser")
    engine = make_engine(url)
    create_schema(engine)
    report = load.run(
        [str(DATA), str(folder / "synthetic.csv"), str(folder / "agency_log.csv")],
        engine,
        write=True,
    )
    assert not report.problems
    engine.dispose()
    return url


def _served(tmp_path_factory, log_db, public: bool):
    folder = tmp_path_factory.mktemp("public" if public else "internal")
    url = copy_database(log_db, folder, "browser")
    process, base = _serve(folder, public=public, database_url=url)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def internal_base(tmp_path_factory, log_db):
    yield from _served(tmp_path_factory, log_db, public=False)


@pytest.fixture(scope="module")
def public_base(tmp_path_factory, log_db):
    yield from _served(tmp_path_factory, log_db, public=True)


def table_cells(page, chart_id: str) -> list[list[str]]:
    page.click(f"#heading-{chart_id} ~ details summary >> nth=0")
    return page.evaluate(
        """id => Array.from(document.querySelectorAll('#table-' + id + ' tbody tr'))
            .map(r => Array.from(r.querySelectorAll('td')).map(c => c.innerText.trim()))
            .filter(r => r.length)""",
        chart_id,
    )


def plotted(page, graph_id: str) -> list[dict]:
    page.wait_for_selector(f"#{graph_id} .js-plotly-plot .plot-container", timeout=15000)
    return page.evaluate(
        """sel => Array.from(document.querySelector(sel + ' .js-plotly-plot')._fullData)
            .map(t => ({name: t.name, y: Array.from(t.y || [])}))""",
        f"#{graph_id}",
    )


def test_internal_scorecard_is_exact_and_labels_synthetic_data(page, internal_base):
    open_page(page, internal_base + "/requests/scorecard?lang=en")
    banner = page.inner_text("#heading-requests-scorecard ~ .synthetic-banner")
    assert banner.startswith("Synthetic data")
    assert "are synthetic records" in banner
    page.select_option(MONTH_SELECT, "2024-09")
    page.wait_for_url(re.compile(r"month=2024-09"))
    wait_until(
        page, "document.querySelector('#heading-requests-scorecard').innerText.includes('2024-09')"
    )
    rows = table_cells(page, "requests-scorecard")
    assert [r[0] for r in rows][:2] == ["Telegram", "X (Twitter)"]
    assert all(re.fullmatch(r"[\d,]+", r[1]) for r in rows)  # exact counts, nothing hidden
    traces = plotted(page, "graph-requests-scorecard")
    assert [t["name"] for t in traces] == [
        "Median hours to action",
        "90th percentile hours to action",
    ]
    # the link reproduces the view
    page.goto(
        internal_base + "/requests/scorecard?lang=en&month=2024-09&measure=requests",
        wait_until="networkidle",
    )
    page.wait_for_selector("#graph-requests-scorecard-trend .plot-container", timeout=15000)
    assert page.input_value(MEASURE_SELECT) == "requests"


def test_public_scorecard_hides_small_counts_and_synthetic_rows(page, public_base):
    open_page(page, public_base + "/requests/scorecard?lang=en&measure=requests")
    assert page.locator(".synthetic-banner").count() == 0
    assert "Synthetic data" not in page.inner_text("body")
    rows = table_cells(page, "requests-scorecard")
    counts = [r[1] for r in rows]
    assert any(c == "<10" for c in counts) or all(re.fullmatch(r"[\d,]+", c) for c in counts)
    for count in counts:
        if re.fullmatch(r"[\d,]+", count):
            assert int(count.replace(",", "")) >= 10
    for trace in plotted(page, "graph-requests-scorecard-trend"):
        values = [y for y in trace["y"] if y is not None]
        assert not [y for y in values if 1 <= y <= 9], trace["name"]
        assert len(values) < len(trace["y"]) or trace["name"] == "All platforms"
    with page.expect_download() as download_info:
        page.click("#heading-requests-scorecard-trend ~ div button >> text=Download CSV")
    content = download_info.value.path().read_text(encoding="utf-8-sig")
    assert content.splitlines()[0] == (
        "month,platform,platform_label,requests,share_actioned_pct,share_no_response_pct,"
        "median_hours_to_action,p90_hours_to_action"
    )
    assert ",<10," in content
    for line in content.splitlines()[1:]:
        requests = line.split(",")[3]
        assert not (requests.isdigit() and 1 <= int(requests) <= 9), line


def test_internal_only_pages_are_out_of_the_public_view(page, public_base):
    open_page(page, public_base + "/requests/volume?lang=en")
    nav = page.inner_text("#navbar")
    assert "Platform scorecard" in nav and "Pending backlog" not in nav
    for path in ("/requests/backlog", "/requests/victims"):
        assert page.request.get(public_base + path).status == 404


@pytest.mark.parametrize(
    "view, paths",
    [
        (
            "internal",
            ("/requests/volume", "/requests/scorecard", "/requests/backlog", "/requests/victims"),
        ),
        ("public", ("/requests/volume", "/requests/scorecard")),
    ],
)
def test_request_pages_are_accessible_and_fit_a_phone(browser, request, view, paths):
    base = request.getfixturevalue(f"{view}_base")
    checker = browser.new_context(locale="en-US", bypass_csp=True)  # axe is an inline script
    page = checker.new_page()
    phone = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    for path in paths:
        for lang in ("en", "ko"):
            open_page(page, f"{base}{path}?lang={lang}")
            page.wait_for_selector(".js-plotly-plot .plot-container", timeout=15000)
            violations = axe_violations(page)
            assert violations == [], (path, lang, violations)
        open_page(phone, f"{base}{path}?lang=ko")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (path, width)
    phone.context.close()
    checker.close()
