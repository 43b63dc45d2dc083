"""A load killed while it wrote, seen in real Chromium: the public page keeps its navigation and
says in both languages that the statistics cannot be read (accessibly), and after the next ETL
command the same page draws its charts again."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.browser.conftest import DATA, ROOT, Watch, _serve, axe_violations, open_page
from tests.databases import leave_interrupted_load, new_database

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]


def etl(url: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "etl", *args],
        env={**os.environ, "DATABASE_URL": url},
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def test_a_killed_load_is_said_on_the_page_and_undone_by_the_etl(browser, tmp_path):
    url = new_database(tmp_path, "interrupted")
    etl(url, "load", str(DATA))
    process, base = _serve(tmp_path, public=True, database_url=url)
    context = browser.new_context(locale="en-US", bypass_csp=True)  # axe is an inline script
    page = context.new_page()
    watch = Watch(page)
    try:
        leave_interrupted_load(url)
        open_page(page, base + "/police?lang=en")
        notice = page.locator("#data-unreadable")
        notice.wait_for(state="visible", timeout=15000)
        text = notice.inner_text()
        assert text.startswith("The statistics cannot be read right now")
        assert "지금은 통계를 읽을 수 없습니다" in text
        assert page.locator("#navbar nav a", has_text="Overview").count() == 1
        assert page.locator(".js-plotly-plot").count() == 0
        assert page.title().startswith("The statistics cannot be read right now")
        assert axe_violations(page) == []

        etl(url, "status")
        open_page(page, base + "/police?lang=en")
        page.locator(".js-plotly-plot").first.wait_for(timeout=15000)
        assert page.locator("#data-unreadable").is_hidden()
        assert watch.errors == [] and watch.external == set()
    finally:
        context.close()
        process.terminate()
        process.wait(timeout=10)
