"""Shared fixtures: a database built by the real ETL from the shipped data, and the app on it."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = ROOT / "data"
FIXTURES = ROOT / "tests" / "fixtures"
REGISTRIES = ("units.csv", "metrics.csv", "sources.csv", "series_breaks.csv")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def registry_dir(tmp_path: Path) -> Path:
    """A folder holding only the shipped registries (units, metrics, sources, breaks)."""
    folder = tmp_path / "registries"
    folder.mkdir()
    for name in REGISTRIES:
        shutil.copy(DATA / name, folder / name)
    return folder


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty SQLite database selected through DATABASE_URL."""
    url = sqlite_url(tmp_path / "test.db")
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture(scope="session")
def loaded_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database loaded once per session with everything under data/ (read it, never write)."""
    from db.engine import create_schema, make_engine
    from etl import load

    url = sqlite_url(tmp_path_factory.mktemp("loaded") / "dashboard.db")
    engine = make_engine(url)
    create_schema(engine)
    report = load.run([str(DATA)], engine, write=True)
    assert not report.problems, [str(p) for p in report.problems[:5]]
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def internal_app(loaded_db: str):
    """The internal app on the loaded database (build the app before importing page modules)."""
    from app import create_app

    return create_app(public=False, database_url=loaded_db)


@pytest.fixture(scope="session")
def public_app(loaded_db: str):
    """The public read-only app on the loaded database."""
    from app import create_app

    return create_app(public=True, database_url=loaded_db)


@pytest.fixture
def internal_client(internal_app):
    return internal_app.server.test_client()


@pytest.fixture
def public_client(public_app):
    return public_app.server.test_client()


POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL.startswith("postgresql"),
    reason="set TEST_DATABASE_URL=postgresql+psycopg://USER@HOST:5432/DB to run PostgreSQL tests",
)


@pytest.fixture
def pg_url():
    """A URL of the TEST_DATABASE_URL database whose search path is a fresh schema, dropped
    after the test."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'create schema "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with admin.begin() as connection:
        connection.execute(text(f'drop schema "{schema}" cascade'))
    admin.dispose()
