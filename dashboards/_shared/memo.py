"""Page pieces kept per database load: a chart or headline card depends only on its arguments,
the view (public or internal), the database's content, the day (cite text), the address the
page is served from (embed snippet) and the suppression threshold, so it is built once for each
of those and reused until the next ETL load changes the database. A piece is kept as the JSON
data the browser receives for it (what Dash would send). Keep a whole page that way too: a page
of components around kept pieces is turned into JSON by plotly's cleaner, which copies every
value inside it, pieces included (a chart page: ~9,000 values, most of its server time), while
a kept page is plain data that orjson writes out at once."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable

from plotly.io.json import to_json_plotly

import config
from dashboards._shared.context import current
from db.queries.freshness import last_load

PIECES_KEPT = 256  # per decorated function; a piece is a few kB to a few hundred kB
PAGES_KEPT = 64  # whole pages, one per address: fewer, as an address can be anything


class Piece(dict):
    """A kept piece of a page: the JSON data of a component tree, usable where one is."""

    def to_plotly_json(self) -> dict:
        return self


def load_key() -> tuple:
    """What every kept piece depends on besides its own arguments (looked up once a request)."""
    from flask import g, has_request_context, request

    if has_request_context() and "dashboard_load_key" in g:
        return g.dashboard_load_key
    context = current()
    key = (
        context.database_url,
        context.public,
        last_load(context.database_url, context.engine()),
        dt.date.today(),
        request.host_url if has_request_context() else "",
        config.get_int("SMALL_CELL_THRESHOLD"),
    )
    if has_request_context():
        g.dashboard_load_key = key
    return key


def per_load(
    function: Callable | None = None, *, as_json: bool = True, size: int = PIECES_KEPT
) -> Callable:
    """`function` (hashable arguments, a component tree as result), built once per `load_key()`
    and arguments; returned as its JSON data (a `Piece`), or with `as_json=False` as the same
    component tree every time (for callers that look into it; nobody may change it). At most
    `size` results are kept, the least recently used forgotten first.
    `function.cache_clear()` forgets every kept result."""
    if function is None:
        return functools.partial(per_load, as_json=as_json, size=size)

    @functools.lru_cache(maxsize=size)
    def kept(key: tuple, *args, **kwargs):
        del key  # only part of the cache key
        built = function(*args, **kwargs)
        return Piece(json.loads(to_json_plotly(built))) if as_json else built

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return kept(load_key(), *args, **kwargs)

    wrapper.cache_clear = kept.cache_clear
    return wrapper


def params_key(params: dict) -> tuple:
    """A page's query parameters as part of a cache key (`params_dict` gives them back)."""
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


def params_dict(key: tuple) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in key}
