"""Engines: a writing engine for the ETL and a read-only engine for the app."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import QueuePool

import config


@lru_cache(maxsize=16)
def _sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for another backend or memory), parsed once per URL: the
    last-load check of every request asks for it."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _enable_sqlite_foreign_keys(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - driver callback
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _read_only_url(url: str) -> str:
    """PostgreSQL: every transaction of the app's sessions is read-only (on top of the
    read-only role the README recommends for the public view)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return url
    options = parsed.query.get("options", "")
    options = f"{options} -c default_transaction_read_only=on".strip()
    return parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)


def make_engine(url: str | None = None, readonly: bool = False) -> Engine:
    """An engine for `url` (default: the DATABASE_URL setting).

    Read-only SQLite is opened with `mode=ro` and read-only PostgreSQL sessions refuse writes,
    so no code path of the app can write to the database.
    """
    url = url or config.database_url()
    path = _sqlite_path(url)
    if path is not None and readonly:
        # QueuePool: one thread at a time per connection. The default for a "sqlite://" URL,
        # SingletonThreadPool, closes other threads' connections once more than five threads
        # have one, and the threaded server then crashes (segfault) under concurrent requests.
        engine = create_engine(
            "sqlite://",
            creator=lambda: __import__("sqlite3").connect(
                f"file:{path}?mode=ro", uri=True, check_same_thread=False
            ),
            poolclass=QueuePool,
        )
    elif path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
    elif readonly:
        engine = create_engine(_read_only_url(url), pool_pre_ping=True)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    if path is not None:
        _enable_sqlite_foreign_keys(engine)
    return engine


@lru_cache(maxsize=4)
def read_engine(url: str | None = None) -> Engine:
    """The app's shared read-only engine (one per URL per process)."""
    return make_engine(url, readonly=True)


def create_schema(engine: Engine) -> None:
    """Create or upgrade every table through the migration history (db/migrations)."""
    from db.migrate import upgrade

    upgrade(engine)


def sqlite_file(url: str | None = None) -> Path | None:
    return _sqlite_path(url or config.database_url())


INTERRUPTED_LOAD = "interrupted_load"
UNREADABLE = "unreadable"
HINTS = {
    INTERRUPTED_LOAD: (
        "a load was stopped while it wrote (killed, or the machine went down): SQLite keeps "
        "its journal until a connection that may write rolls it back, and the app's read-only "
        "connections may not. Run `python -m etl status` as a user who may write the "
        "database file and its folder: it rolls the load back, and the database is again as "
        "the last complete load left it."
    ),
    UNREADABLE: (
        "the database cannot be read: check DATABASE_URL, that the file or server is there, "
        "and that the app may read it (`python -m etl status` tells what it finds)."
    ),
}


def unreadable_reason(error: BaseException) -> str:
    """Why the database could not be read, for the operator: INTERRUPTED_LOAD when SQLite
    refuses a read-only connection because a killed load left its journal to roll back,
    UNREADABLE otherwise (see HINTS)."""
    driver_error = getattr(error, "orig", error)
    if getattr(driver_error, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK":
        return INTERRUPTED_LOAD
    return UNREADABLE
