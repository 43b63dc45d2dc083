"""Cached answers of the public view's Dash callbacks.

In the public view every callback only reads, so its answer depends on nothing but the request
body (the inputs the browser sends), the language the browser asks for and the database's last
load. The answer's JSON is kept as it was sent (plain bytes, never pickled figure objects), in
the same kind of cache as the API's: shared by every worker through Redis when CACHE_REDIS_URL
is set, in-process otherwise (and each worker keeps the answers it used lately, compressed, so
a hit is served without a round trip or compressing again). A new ETL load changes the key, so
nothing stale is served.

Each answer says `X-Cache: hit` or `X-Cache: miss`.
"""

from __future__ import annotations

import hashlib

from flask import Flask, Response, current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from dashboards._shared.context import current
from dashboards._shared.i18n import pick_language
from db.queries.freshness import last_load
from web.httpcache import Payload, ResponseCache, payload_response

CACHE_KEY = "callback_response_cache"
CALLBACK_PATH = "/_dash-update-component"
MAX_BODY_BYTES = 200_000  # a callback request larger than this is answered, never cached
JSON_TYPE = "application/json"


def register(server: Flask, cache: ResponseCache) -> None:
    """Serve the public view's callbacks from `cache` and keep every new answer there."""
    server.extensions[CACHE_KEY] = cache
    server.before_request(_from_cache)
    server.after_request(_keep)


def _key() -> tuple | None:
    if request.method != "POST" or request.path != CALLBACK_PATH:
        return None
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return None
    context = current()
    body = request.get_data(cache=True)
    return (
        "callback",
        context.database_url,
        context.public,
        last_load(context.database_url, context.engine()),
        pick_language(None, request.headers.get("Accept-Language")),
        hashlib.sha256(body).hexdigest(),
    )


def _cache() -> ResponseCache:
    return current_app.extensions[CACHE_KEY]


def _from_cache() -> Response | None:
    if not current().public:
        return None
    try:
        key = _key()
    except SQLAlchemyError:
        return None  # the database cannot be read: the callback answers that, uncached
    if key is None:
        return None
    payload = _cache().get(key)
    if payload is None:
        g.callback_cache_key = key
        return None
    response = payload_response(request, payload)  # compressed once, when it was kept
    response.headers["X-Cache"] = "hit"
    return response


def forget() -> None:
    """Keep nothing of the answer to the callback being served (an answer saying the database
    cannot be read stays only as long as that is so)."""
    g.pop("callback_cache_key", None)


def _keep(response: Response) -> Response:
    key = g.pop("callback_cache_key", None)
    if key is None:
        return response
    response.headers["X-Cache"] = "miss"
    if response.status_code == 200 and response.mimetype == JSON_TYPE:
        _cache().put(key, Payload.build(response.get_data(), JSON_TYPE))
    return response
