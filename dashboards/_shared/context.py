"""The running app's context for pages and routes: public or internal, and the read engine.

Each app keeps its own context in its Flask config, so pages and routes serving a request
read the context of the app that serves it (`current()`), even with several apps in a process.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

import config
from db.engine import read_engine

CONFIG_KEY = "DASHBOARD_CONTEXT"


@dataclass(frozen=True)
class AppContext:
    public: bool = False
    database_url: str = ""

    def engine(self) -> Engine:
        return read_engine(self.database_url or config.database_url())

    @property
    def include_unverified(self) -> bool:
        """Unverified (aggregator-only) figures are never shown in the public view."""
        return not self.public


def make_context(public: bool, database_url: str | None = None) -> AppContext:
    return AppContext(public=public, database_url=database_url or config.database_url())


def current() -> AppContext:
    """The context of the app serving the current request (internal defaults outside one)."""
    from flask import current_app, has_app_context

    if has_app_context() and CONFIG_KEY in current_app.config:
        return current_app.config[CONFIG_KEY]
    return make_context(public=config.get_bool("DASHBOARD_PUBLIC"))
