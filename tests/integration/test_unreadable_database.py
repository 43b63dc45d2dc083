"""A database the app cannot read: the pages say so in both languages instead of staying blank,
scripts get 503, /healthz names the reason; a load killed while it wrote is named as such and
undone by the next ETL command."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy.engine import make_url

from db.engine import HINTS, INTERRUPTED_LOAD
from tests.conftest import ROOT
from tests.dash_requests import page_request
from tests.databases import (
    copy_database,
    is_sqlite,
    leave_interrupted_load,
    new_database,
    table_checksum,
)

NOTICE_ID = "data-unreadable"
TITLES = ("지금은 통계를 읽을 수 없습니다", "The statistics cannot be read right now")


def unreachable_database(tmp_path) -> str:
    """A database of the backend under test that cannot be read: a SQLite file that is not
    there, or a PostgreSQL server that does not answer (nothing listens on port 9)."""
    url = new_database(tmp_path, "absent")
    if is_sqlite(url):
        return url
    return make_url(url).set(port=9).render_as_string(hide_password=False)


def public_client(url: str):
    from app import create_app

    return create_app(public=True, database_url=url).server.test_client()


def notice_of(response) -> dict:
    """The notice a callback's answer shows, which must be all it changes."""
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert "response" not in body or not body["response"]
    return body["sideUpdate"][NOTICE_ID]


def notice_text(notice: dict) -> str:
    paragraphs = notice["children"]
    return " ".join(
        str(part.get("props", {}).get("children", part) if isinstance(part, dict) else part)
        for paragraph in paragraphs
        for part in paragraph["props"]["children"]
    )


def test_the_page_says_the_database_cannot_be_read(tmp_path):
    client = public_client(unreachable_database(tmp_path))

    english = client.post(
        "/_dash-update-component",
        json=page_request("/", "?lang=en"),
        headers={"Referer": "http://localhost/?lang=en"},
    )
    notice = notice_of(english)
    assert notice["hidden"] is False
    assert [p["props"]["lang"] for p in notice["children"]] == ["en", "ko"]
    text = notice_text(notice)
    assert all(title in text for title in TITLES)
    korean = client.post(
        "/_dash-update-component",
        json=page_request("/", "?lang=ko"),
        headers={"Referer": "http://localhost/?lang=ko"},
    )
    assert [p["props"]["lang"] for p in notice_of(korean)["children"]] == ["ko", "en"]
    # the navigation needs no data: it is drawn, so the visitor can still go elsewhere (called
    # directly: Dash hands the shell's callbacks to the first app of the process)
    from dashboards._shared.shell import render_navbar

    with client.application.test_request_context("/_dash-update-component", method="POST"):
        assert client.application.preprocess_request() is None
        assert "Overview" in str(render_navbar("/", "?lang=en"))


def test_scripts_get_503_and_the_answer_is_not_kept(tmp_path):
    client = public_client(unreachable_database(tmp_path))
    api = client.get("/api/v1/observations")
    assert api.status_code == 503
    assert api.get_json() == {"error": "the database cannot be read right now; try again later"}
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["reason"] == "unreadable"
    for _ in range(2):
        answer = client.post("/_dash-update-component", json=page_request("/police"))
        assert answer.headers.get("X-Cache") != "hit"
        assert notice_of(answer)["hidden"] is False


@pytest.mark.sqlite_only
def test_a_load_killed_while_writing_is_named_and_undone_by_the_next_etl_command(
    loaded_db, tmp_path
):
    url = copy_database(loaded_db, tmp_path, "interrupted")
    before = table_checksum(url)
    leave_interrupted_load(url)

    client = public_client(url)
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["reason"] == INTERRUPTED_LOAD
    assert health.get_json()["hint"] == HINTS[INTERRUPTED_LOAD]
    assert "python -m etl status" in HINTS[INTERRUPTED_LOAD]
    page = client.post("/_dash-update-component", json=page_request("/"))
    assert all(title in notice_text(notice_of(page)) for title in TITLES)

    status = subprocess.run(
        [sys.executable, "-m", "etl", "status"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
    )
    assert status.returncode == 0, status.stderr
    assert table_checksum(url) == before
    assert client.get("/healthz").status_code == 200
    page = client.post("/_dash-update-component", json=page_request("/"))
    assert page.status_code == 200 and NOTICE_ID not in page.get_json().get("sideUpdate", {})


def test_the_internal_view_answers_a_page_and_scripts_with_503(tmp_path):
    from app import create_app

    client = create_app(public=False, database_url=unreachable_database(tmp_path))
    client = client.server.test_client()
    page = client.get("/police?lang=en")
    assert page.status_code == 503
    html = page.get_data(as_text=True)
    assert '<html lang="en">' in html and TITLES[1] in html
    assert TITLES[0] in client.get("/police?lang=ko").get_data(as_text=True)
    layout = client.get("/_dash-layout")
    assert layout.status_code == 503
    assert layout.get_json()["error"].startswith("the database cannot be read")
