"""The cache of finished answers (API, small downloads): per app mode, normalised request and
database load, in Redis when CACHE_REDIS_URL is set (shared by every worker), in-process
otherwise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Response, current_app, request
from sqlalchemy.engine import Engine

import config
from dashboards._shared.context import current
from db.queries.freshness import last_load
from web.httpcache import Payload, ResponseCache, serve

CACHE_KEY = "api_response_cache"


def make_response_cache(entries: int = 256):
    """Redis (shared by every worker) when CACHE_REDIS_URL is set, else an in-process LRU of
    `entries` answers."""
    url = config.get("CACHE_REDIS_URL")
    if url:
        from web.rediscache import RedisResponseCache

        return RedisResponseCache(url, near_entries=entries)
    return ResponseCache(max_entries=entries)


def cached(
    name: str, key: tuple, build: Callable[[Engine, dt.datetime | None], Payload]
) -> Response:
    """Serve `build(engine, last_load)` for this request, from the cache when it is there."""
    context = current()
    engine = context.engine()
    loaded = last_load(context.database_url, engine)
    full_key = (context.database_url, context.public, name, key, loaded)
    cache: ResponseCache = current_app.extensions[CACHE_KEY]
    payload = cache.get(full_key) or cache.put(full_key, build(engine, loaded))
    return serve(request, payload, context.public)
