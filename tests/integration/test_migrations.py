"""One migration history builds the schema the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from db.engine import create_schema, make_engine
from db.schema import Base

PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def _no_drift(engine) -> list:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def test_migrations_build_exactly_the_declared_schema_on_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    create_schema(engine)
    assert _no_drift(engine) == []
    with engine.connect() as connection:
        assert connection.execute(text("select version_num from alembic_version")).scalar() \
            == "0001"
    create_schema(engine)  # running it again changes nothing
    engine.dispose()


def test_a_database_built_before_migrations_is_adopted(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    Base.metadata.create_all(engine)
    create_schema(engine)
    assert "alembic_version" in inspect(engine).get_table_names()
    assert _no_drift(engine) == []
    engine.dispose()


@pytest.mark.skipif(not PG_URL.startswith("postgresql"),
                    reason="set TEST_DATABASE_URL to a PostgreSQL database to run this test")
def test_migrations_build_exactly_the_declared_schema_on_postgresql():
    schema = "m_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'create schema "{schema}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        create_schema(engine)
        assert _no_drift(engine) == []
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'drop schema "{schema}" cascade'))
        admin.dispose()
