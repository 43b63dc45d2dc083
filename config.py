"""The only reader of environment variables: every setting, with its default and help text."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent
DATA_DIR = PROJECT_ROOT / "data"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        "sqlite:///data/dashboard.db",
        "SQLAlchemy URL of the database used by the ETL and the app. A relative SQLite path "
        "is resolved against the project folder.",
    ),
    Setting(
        "DASHBOARD_PUBLIC",
        "0",
        "1 to serve the public read-only view (same as `python app.py --public`).",
    ),
    Setting("DASHBOARD_HOST", "127.0.0.1", "Address the app listens on (`--host` overrides)."),
    Setting("DASHBOARD_PORT", "8050", "Port the app listens on (`--port` overrides)."),
    Setting(
        "SECRET_KEY",
        "",
        "Key that signs session cookies in the internal view. Empty: a random key per start "
        "(logins then end at a restart; set one, the same in every worker, when several "
        "processes serve the app).",
    ),
    Setting(
        "SMALL_CELL_THRESHOLD",
        "10",
        "Counts from 1 to this value minus one, built from record-level data, are suppressed "
        "in public outputs.",
    ),
    Setting(
        "PUBLIC_RATE_LIMIT_PER_MINUTE",
        "120",
        "In the public view, API and download requests allowed per client address per minute "
        "(a token bucket: bursts up to this many); more get 429 with Retry-After. 0 disables.",
    ),
    Setting(
        "DOWNLOAD_MAX_ROWS",
        "1000000",
        "Most rows one CSV download holds; a capped file says so in its name and in the "
        "X-Rows-Capped header.",
    ),
    Setting(
        "CACHE_REDIS_URL",
        "",
        "Redis URL (redis://host:6379/0) for the API and download cache shared by every "
        "gunicorn worker. Empty: each process keeps its own in-memory cache.",
    ),
    Setting(
        "GUNICORN_WORKERS",
        "3",
        "Worker processes for `make serve` (gunicorn).",
    ),
    Setting(
        "TRUSTED_PROXIES",
        "0",
        "Reverse proxies (nginx ...) in front of the app whose X-Forwarded-For and "
        "X-Forwarded-Proto it believes. With 1 behind one proxy, the public rate limit and the "
        "login throttle count each visitor's own address instead of the proxy's. Leave 0 "
        "when nothing stands in front: the headers could then be forged.",
    ),
    Setting(
        "HTTPS",
        "0",
        "1 when the app is served over HTTPS: session cookies are then marked Secure.",
    ),
    Setting(
        "SESSION_LIFETIME_MINUTES",
        "480",
        "Internal view: minutes without a request after which a login session ends (checked "
        "on the signed cookie, so it holds even if the browser keeps the cookie).",
    ),
)

_DEFAULTS = {s.name: s.default for s in SETTINGS}


def get(name: str) -> str:
    """Return a setting from the environment, or its declared default."""
    if name not in _DEFAULTS:
        raise KeyError(f"unknown setting {name}")
    return os.environ.get(name, _DEFAULTS[name])


def get_bool(name: str) -> bool:
    return get(name).strip().lower() in {"1", "true", "yes", "on"}


def get_int(name: str) -> int:
    return int(get(name))


def database_url() -> str:
    """DATABASE_URL with a relative SQLite path resolved against the project folder."""
    url = get("DATABASE_URL")
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/"):
        path = url[len(prefix) :]
        if path and path != ":memory:":
            return prefix + str(PROJECT_ROOT / path)
    return url
