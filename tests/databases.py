"""Test databases on either backend the product supports.

TEST_BACKEND=sqlite (the default) gives each test a SQLite file; TEST_BACKEND=postgresql gives it
a fresh schema in the TEST_DATABASE_URL database (its URL sets the search path), dropped when
the session ends. Tests reach the data through these helpers, never through a backend's own
files, so the same test runs on both.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

BACKEND = os.environ.get("TEST_BACKEND", "sqlite")
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = BACKEND == "postgresql"
HOW_TO_ENABLE = (
    "set TEST_DATABASE_URL=postgresql+psycopg://USER@HOST:5432/DB to run PostgreSQL tests"
)
_schemas: list[str] = []

if BACKEND not in ("sqlite", "postgresql"):
    raise SystemExit(f"TEST_BACKEND must be sqlite or postgresql, not {BACKEND!r}")
if ON_POSTGRES and not POSTGRES_URL.startswith("postgresql"):
    raise SystemExit(f"TEST_BACKEND=postgresql: {HOW_TO_ENABLE}")


def postgres_schema_url(schema: str | None = None) -> str:
    """A URL of the TEST_DATABASE_URL database whose search path is a new schema."""
    schema = schema or "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'create schema "{schema}"'))
    admin.dispose()
    _schemas.append(schema)
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def drop_schema(url: str) -> None:
    schema = schema_of(url)
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'drop schema if exists "{schema}" cascade'))
    admin.dispose()
    if schema in _schemas:
        _schemas.remove(schema)


def schema_of(url: str) -> str:
    return make_url(url).query["options"].removeprefix("-csearch_path=")


@atexit.register
def _drop_leftover_schemas() -> None:
    for schema in list(_schemas):
        drop_schema(
            make_url(POSTGRES_URL)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def new_database(folder: Path, name: str) -> str:
    """A URL of a new, empty database named `name` (a file in `folder` on SQLite)."""
    if ON_POSTGRES:
        return postgres_schema_url()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / (name + '.db')}"


def copy_database(url: str, folder: Path, name: str) -> str:
    """A copy of the database at `url` that a test may change freely."""
    if is_sqlite(url):
        target = folder / (name + ".db")
        shutil.copy(sqlite_path(url), target)
        return f"sqlite:///{target}"
    copy = postgres_schema_url()
    source, target = schema_of(url), schema_of(copy)
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        # pg_dump-free copy: tables with their constraints, then rows in dependency order
        tables = inspect(connection).get_table_names(schema=source)
        for table in tables:
            connection.execute(
                text(f'create table "{target}"."{table}" (like "{source}"."{table}" including all)')
            )
        for table in _dependency_order(connection, source, tables):
            connection.execute(
                text(f'insert into "{target}"."{table}" select * from "{source}"."{table}"')
            )
        for table in tables:
            _own_sequences(connection, source, target, table)
    admin.dispose()
    return copy


def _dependency_order(connection, schema: str, tables: list[str]) -> list[str]:
    inspector = inspect(connection)
    ordered: list[str] = []
    pending = list(tables)
    while pending:
        for table in list(pending):
            parents = {
                fk["referred_table"]
                for fk in inspector.get_foreign_keys(table, schema=schema)
                if fk["referred_table"] != table
            }
            if parents <= set(ordered):
                ordered.append(table)
                pending.remove(table)
    return ordered


def _own_sequences(connection, source: str, target: str, table: str) -> None:
    """Give the copy's serial columns sequences of its own, continuing where the source's are."""
    columns = connection.execute(
        text(
            "select column_name, column_default from information_schema.columns "
            "where table_schema = :schema and table_name = :table "
            "and column_default like 'nextval(%'"
        ),
        {"schema": target, "table": table},
    ).all()
    for column, _default in columns:
        sequence = f"{table}_{column}_seq"
        connection.execute(text(f'create sequence "{target}"."{sequence}"'))
        connection.execute(
            text(
                f'alter table "{target}"."{table}" alter column "{column}" '
                f'set default nextval(\'"{target}"."{sequence}"\')'
            )
        )
        connection.execute(
            text(
                f'select setval(\'"{target}"."{sequence}"\', '
                f'coalesce((select max("{column}") from "{target}"."{table}"), 0) + 1, false)'
            )
        )
        connection.execute(
            text(f'alter sequence "{target}"."{sequence}" owned by "{target}"."{table}"."{column}"')
        )


def rows(url: str, sql: str, **params) -> list[tuple]:
    """The rows of one read query, on either backend."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def execute(url: str, sql: str, **params) -> None:
    """Run one writing statement (test set-up only: the product writes through the ETL)."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(sql), params)
    finally:
        engine.dispose()


def table_checksum(url: str) -> str:
    """A checksum of every table's content, whatever the schema and backend."""
    engine = create_engine(url)
    digest = hashlib.sha256()
    try:
        with engine.connect() as connection:
            for name in sorted(inspect(connection).get_table_names()):
                digest.update(name.encode())
                content = connection.execute(text(f'select * from "{name}"'))
                for row in sorted(repr(tuple(_plain(v) for v in r)) for r in content):
                    digest.update(row.encode())
    finally:
        engine.dispose()
    return digest.hexdigest()


def _plain(value: object) -> object:
    """Values as the same text on both backends (SQLite returns dates as strings)."""
    return None if value is None else str(value)


def integrity_ok(url: str) -> bool:
    """SQLite's own integrity check; PostgreSQL keeps every committed state consistent."""
    if not is_sqlite(url):
        return True
    return rows(url, "pragma integrity_check") == [("ok",)]


def plain(value: object) -> object:
    """A value as SQLite hands it back, whichever backend gave it: dates and times as the text
    SQLAlchemy stores in SQLite, booleans as 0/1, numerics as floats."""
    import datetime as dt
    from decimal import Decimal

    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def plain_rows(url: str, sql: str, **params) -> list[tuple]:
    """`rows`, with every value `plain`: the same assertions hold on both backends."""
    return [tuple(plain(v) for v in row) for row in rows(url, sql, **params)]


def plain_frame(url: str, sql: str):
    """The rows of one read query as a DataFrame of `plain` values."""
    import pandas as pd

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            result = connection.execute(text(sql))
            columns = list(result.keys())
            data = [tuple(plain(v) for v in row) for row in result]
    finally:
        engine.dispose()
    return pd.DataFrame(data, columns=columns)


# A load killed while it writes, as SQLite leaves it: with a small page cache the transaction's
# pages reach the database file before the commit, and the process dies holding the journal.
KILLED_WRITER = """
import os, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("pragma cache_size = 8")
connection.execute("begin")
connection.execute("create table unfinished (payload blob)")
connection.execute(
    "insert into unfinished select randomblob(4000) from (with recursive n(i) as "
    "(select 1 union all select i + 1 from n where i < 500) select i from n)"
)
os._exit(9)
"""


def leave_interrupted_load(url: str) -> None:
    """Leave the SQLite database at `url` as a load killed while it wrote leaves it: changed
    pages in the file and the journal that undoes them, waiting for a connection that may
    write (read-only ones are refused: SQLITE_READONLY_ROLLBACK)."""
    path = sqlite_path(url)
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(path)])
    assert killed.returncode == 9
    assert path.with_name(path.name + "-journal").exists()
