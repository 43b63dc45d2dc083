"""The database's last load time, as every cache keys on it, without a query per request.

On SQLite the time is read again only when the database file changes (its size, modification
time or inode: every ETL commit changes one). A server database is asked every time (one
indexed query over the network costs little there, and no file tells of its changes), so a new
load is seen at once by every worker on either backend.
"""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy.engine import Engine

import config
from db.engine import sqlite_file
from db.queries.listings import last_load_time, metric_ids

_known: dict[str, tuple[object, dt.datetime | None]] = {}
_lock = threading.Lock()


def _witness(url: str) -> object | None:
    """What changes whenever the database does (None: nothing cheap to watch)."""
    path = sqlite_file(url)
    if path is None:
        return None  # a server database: ask it
    try:
        stat = path.stat()
    except OSError:
        return None  # no file: ask the database, which says what is wrong
    journal = path.with_name(path.name + "-wal")
    wal = journal.stat().st_mtime_ns if journal.exists() else 0
    return ("file", stat.st_ino, stat.st_size, stat.st_mtime_ns, wal)


def last_load(url: str, engine: Engine) -> dt.datetime | None:
    """`last_load_time(engine)` for the database at `url`, read again only when it may have
    changed."""
    url = url or config.database_url()
    witness = _witness(url)
    if witness is not None:
        known = _known.get(url)
        if known is not None and known[0] == witness:
            return known[1]
    value = last_load_time(engine)
    if witness is not None and _witness(url) == witness:  # unchanged while it was read
        with _lock:
            _known[url] = (witness, value)
    return value


_metrics: dict[tuple, frozenset[str]] = {}


def known_metric_ids(url: str, engine: Engine) -> frozenset[str]:
    """`metric_ids(engine)`, read once per load of the database (every request checks its
    metric names against them)."""
    key = (url or config.database_url(), last_load(url, engine))
    found = _metrics.get(key)
    if found is None:
        found = frozenset(metric_ids(engine))
        with _lock:
            if len(_metrics) > 16:
                _metrics.clear()
            _metrics[key] = found
    return found


def forget() -> None:
    """Read every database's last load again on the next request."""
    with _lock:
        _known.clear()
        _metrics.clear()
