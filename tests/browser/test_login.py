"""Logging in to the internal view in real Chromium: the redirect to the login page and back,
a wrong password, the roles, logging out; and local single-user mode's banner."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import USERS, axe_violations, open_page, wait_until

pytestmark = pytest.mark.browser

ANALYST, ADMIN = USERS


def log_in(page, name: str, password: str) -> None:
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_local_single_user_mode_shows_its_banner(page, served):
    open_page(page, served + "/police?lang=en")
    banner = page.locator("#local-mode-banner")
    banner.wait_for()
    assert banner.inner_text().startswith("Local single-user mode: no users exist")
    assert "python -m etl users add" in banner.inner_text()
    assert page.locator("#logout-button").count() == 0
    open_page(page, served + "/?lang=ko")
    wait_until(page, "document.querySelector('#local-mode-banner')")
    assert "로컬 단일 사용자 모드" in page.inner_text("#local-mode-banner")


def test_login_leads_back_to_the_page_and_logout_ends_it(page, served_with_users):
    base = served_with_users
    response = page.goto(base + "/police?lang=en", wait_until="networkidle")
    assert response.status == 200
    assert re.search(r"/login\?next=%2Fpolice%3Flang%3Den&lang=en$", page.url)
    assert page.get_attribute("html", "lang") == "en"
    assert axe_violations(page) == []
    name, role, password = ANALYST
    log_in(page, name, password)
    page.wait_for_url(base + "/police?lang=en")
    page.wait_for_selector("#navbar nav")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#signed-in-as") == f"Signed in as {name} (analyst)"
    assert page.locator("#local-mode-banner").count() == 0
    links = page.eval_on_selector_all("#navbar a[href]", "els => els.map(e => e.pathname)")
    assert "/police" in links and "/admin" not in links
    page.wait_for_selector("#graph-police-cases .js-plotly-plot", timeout=15000)
    assert page.request.get(base + "/admin").status == 403  # the analyst's own cookie
    assert page.request.get(base + "/api/v1/metrics").status == 200

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(base + "/login?lang=en")
    assert page.request.get(base + "/api/v1/metrics").status == 401
    page.goto(base + "/explorer", wait_until="networkidle")
    assert "/login?next=%2Fexplorer" in page.url


def test_a_wrong_password_is_refused_on_the_form(page, served_with_users):
    page.goto(served_with_users + "/login?lang=ko", wait_until="networkidle")
    assert page.get_attribute("html", "lang") == "ko"
    page.get_by_label("사용자 이름").fill(ANALYST[0])
    page.get_by_label("비밀번호").fill("not the password")
    page.get_by_role("button", name="로그인").click()
    page.wait_for_selector("[role=alert]")
    assert page.inner_text("[role=alert]") == "사용자 이름 또는 비밀번호가 맞지 않습니다."
    assert page.input_value("#login-username") == ANALYST[0]
    assert page.request.get(served_with_users + "/api/v1/metrics").status == 401
    # Chromium reports the form's 401 answer on the console; nothing else may be there
    page.watch.errors[:] = [e for e in page.watch.errors if "status of 401" not in e]


def test_an_admin_logs_in_with_the_keyboard_and_sees_the_runs(page, served_with_users):
    base = served_with_users
    page.goto(base + "/admin?lang=en", wait_until="networkidle")
    assert "/login?next=%2Fadmin" in page.url
    name, _, password = ADMIN
    page.keyboard.type(name)  # the name field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/admin?lang=en")
    page.wait_for_selector("#admin-runs td", timeout=15000)
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#signed-in-as") == f"Signed in as {name} (admin)"
    assert page.inner_text("h1") == "Admin: load history"
    files = page.eval_on_selector_all(
        "#admin-runs td[data-dash-column=file_name]", "tds => tds.map(td => td.innerText)"
    )
    assert {"published_figures.csv", "events.csv", "metrics.csv"} <= {
        f.rsplit("/", 1)[-1] for f in files
    }
    assert page.locator("#navbar .nav-link[href^='/admin']").count() == 1
    assert axe_violations(page) == []
