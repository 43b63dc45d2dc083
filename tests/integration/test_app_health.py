"""The app's entry point: health, the overview page, and every setting documented."""

from __future__ import annotations

import re

import config
from tests.conftest import ROOT
from tests.databases import new_database


def test_healthz_reports_counts_and_last_load(internal_client):
    response = internal_client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert (body["observations"], body["events"], body["metrics"]) == (527, 32, 104)
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", body["last_load"])


def test_healthz_is_503_when_the_database_is_missing(tmp_path):
    from app import create_app

    app = create_app(public=True, database_url=new_database(tmp_path, "absent"))
    response = app.server.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"


def test_index_sets_html_lang_from_the_request(internal_client):
    assert '<html lang="en">' in internal_client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="ko">' in internal_client.get("/").get_data(as_text=True)
    english_browser = internal_client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="en">' in english_browser.get_data(as_text=True)


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [s.name for s in config.SETTINGS if f"`{s.name}`" not in readme]
    assert missing == []


def test_relative_sqlite_urls_resolve_against_the_project(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///data/dashboard.db")
    assert config.database_url() == f"sqlite:///{ROOT / 'data' / 'dashboard.db'}"
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/x.db")
    assert config.database_url() == "sqlite:////tmp/x.db"
