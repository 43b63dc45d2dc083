"""Shared fixtures: a database built by the real ETL from the shipped data, and the app on it.

The database is SQLite, or PostgreSQL with TEST_BACKEND=postgresql (tests/databases.py); tests
marked `sqlite_only` check what only SQLite has (its files, journals, URLs) and are skipped
there."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.databases import (  # noqa: E402
    BACKEND,
    HOW_TO_ENABLE,
    ON_POSTGRES,
    POSTGRES_URL,
    drop_schema,
    new_database,
    postgres_schema_url,
)

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


def pytest_report_header(config) -> str:
    return f"database backend: {BACKEND} (TEST_BACKEND)"


def pytest_collection_modifyitems(config, items) -> None:
    """`needs_postgres` tests run in the SQLite pass when TEST_DATABASE_URL is set (they build
    what they need there); `sqlite_only` ones are skipped in the PostgreSQL pass."""
    no_server = pytest.mark.skip(reason=HOW_TO_ENABLE)
    ran_before = pytest.mark.skip(reason="PostgreSQL-specific: runs in the SQLite pass")
    sqlite_only = pytest.mark.skip(reason="SQLite-specific: runs in the SQLite pass")
    for item in items:
        if item.get_closest_marker("needs_postgres"):
            if not POSTGRES_URL.startswith("postgresql"):
                item.add_marker(no_server)
            elif ON_POSTGRES:
                item.add_marker(ran_before)
        if ON_POSTGRES and item.get_closest_marker("sqlite_only"):
            item.add_marker(sqlite_only)


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An empty database (of the backend under test) selected through DATABASE_URL."""
    url = new_database(tmp_path, "test")
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    if ON_POSTGRES:
        drop_schema(url)


@pytest.fixture(scope="session")
def loaded_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database loaded once per session with everything under data/ (read it, never write)."""
    from db.engine import create_schema, make_engine
    from etl import load

    url = new_database(tmp_path_factory.mktemp("loaded"), "dashboard")
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


needs_postgres = pytest.mark.needs_postgres  # skipped without TEST_DATABASE_URL (see above)


@pytest.fixture
def pg_url():
    """A URL of the TEST_DATABASE_URL database whose search path is a fresh schema, dropped
    after the test."""
    url = postgres_schema_url()
    yield url
    drop_schema(url)
