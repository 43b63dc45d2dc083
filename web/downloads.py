"""Downloads under /download: each dataset as a streamed CSV, and the whole data package as a zip.

CSV files are UTF-8 with a BOM unless `encoding=utf-8`; observations take the API's filters. A
small selection is written once per database load and served from the answer cache in one
piece (gzip-compressed once); the same request repeated exactly finds it without being parsed
again. A larger one is fetched and written in chunks, straight from the database driver's rows,
so memory stays flat. A capped file says so in its name and in the X-Rows-Capped header, never
in a trailing line.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from typing import IO

from flask import Blueprint, Response, current_app, json, request
from sqlalchemy.engine import Engine

import config
from dashboards._shared.context import AppContext, current
from db.queries.freshness import known_metric_ids, last_load
from db.queries.selection import (
    ROW_COLUMNS,
    ObservationFilter,
    count_observations,
    fetch_stored_rows,
)
from web import datapackage
from web.answercache import CACHE_KEY
from web.csvout import stream_csv, stream_csv_rows
from web.datasets import registry_rows
from web.errors import json_error
from web.fields import DATASETS, names
from web.filenames import attachment, dataset_name, observations_name
from web.httpcache import (
    REQUEST_KEYS_KEY,
    Payload,
    answer_key,
    cache_control,
    etag_for,
    etag_matches,
    not_modified,
    serve,
)
from web.params import ObservationRequest, check_names, parse_encoding, parse_observations

bp = Blueprint("downloads", __name__, url_prefix="/download")
CHUNK_BYTES = 64 * 1024
# Selections of at most this many rows are written once and cached: their files stay under the
# answer cache's 2 MB a body (a row averages under 500 bytes); larger ones stream.
CACHED_MAX_ROWS = 4000
STREAMED_CHUNK_ROWS = 5000


def _headers(response: Response, disposition: str, etag: str, public: bool) -> Response:
    response.headers["Content-Disposition"] = disposition
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = cache_control(public)
    return response


def _version_tag(context: AppContext, loaded: dt.datetime | None, *parts: object) -> str:
    """An ETag from what the file is a function of: mode, database, load time and request."""
    return etag_for(repr((context.database_url, context.public, loaded, parts)))


@bp.get("/<dataset>.csv")
def dataset_csv(dataset: str) -> Response:
    """One dataset as CSV: observations (filtered), events, sources or metrics."""
    if dataset not in DATASETS:
        return json_error(404, f"no such dataset; one of: {', '.join(DATASETS)}")
    context = current()
    engine = context.engine()
    loaded = last_load(context.database_url, engine)
    if dataset == "observations":
        return _observations_csv(context, engine, loaded)
    check_names(request.args, ("encoding",))
    encoding = parse_encoding(request.args)
    etag = _version_tag(context, loaded, dataset, encoding)
    if etag_matches(request, etag):
        return not_modified(etag, context.public)
    rows = registry_rows(engine, dataset, context.include_unverified)
    response = Response(stream_csv(names(DATASETS[dataset]), [rows], encoding), mimetype="text/csv")
    response.headers["X-Rows-Total"] = str(len(rows))
    return _headers(response, attachment(dataset_name(dataset, loaded)), etag, context.public)


def _observations_csv(context: AppContext, engine: Engine, loaded: dt.datetime | None) -> Response:
    cap = max(1, config.get_int("DOWNLOAD_MAX_ROWS"))
    asked = (context.database_url, context.public, request.path, request.query_string, loaded, cap)
    known = current_app.extensions[REQUEST_KEYS_KEY]
    cache = current_app.extensions[CACHE_KEY]
    key = known.get(asked)
    payload = cache.get(key) if key is not None else None
    if payload is not None:  # asked before in this load, and still cached
        return serve(request, payload, context.public)
    parsed = parse_observations(
        request.args,
        known_metric_ids(context.database_url, engine),
        include_unverified=context.include_unverified,
        paged=False,
    )
    filters = json.dumps(parsed.filters(), sort_keys=True)
    etag = _version_tag(context, loaded, "observations", filters, parsed.encoding, cap)
    if etag_matches(request, etag):
        return not_modified(etag, context.public)
    total = _total(engine, context.database_url, loaded, parsed.selection)
    headers, limit = _observations_headers(parsed, loaded, total, cap)
    if min(total, cap) <= CACHED_MAX_ROWS:
        key = answer_key(
            context.database_url,
            context.public,
            "observations.csv",
            (filters, parsed.encoding, cap),
            loaded,
        )
        payload = cache.get(key)
        if payload is None:
            rows = fetch_stored_rows(engine, parsed.selection, limit, CACHED_MAX_ROWS)
            body = b"".join(
                stream_csv_rows(ROW_COLUMNS, rows.chunks, parsed.encoding, rows.readers)
            )
            payload = Payload.restore(body, "text/csv", tuple(headers.items()), etag)
            cache.put(key, payload)
        known.put(asked, key)
        return serve(request, payload, context.public)
    rows = fetch_stored_rows(engine, parsed.selection, limit, STREAMED_CHUNK_ROWS)
    response = Response(
        stream_csv_rows(ROW_COLUMNS, rows.chunks, parsed.encoding, rows.readers),
        mimetype="text/csv",
    )
    response.headers["X-Rows-Total"] = headers["X-Rows-Total"]
    if "X-Rows-Capped" in headers:
        response.headers["X-Rows-Capped"] = headers["X-Rows-Capped"]
    return _headers(response, headers["Content-Disposition"], etag, context.public)


@functools.lru_cache(maxsize=1024)
def _total(
    engine: Engine, database_url: str, loaded: dt.datetime | None, selection: ObservationFilter
) -> int:
    """How many rows `selection` holds in this load of the database (counted once per load)."""
    return count_observations(engine, selection)


def _observations_headers(
    parsed: ObservationRequest, loaded: dt.datetime | None, total: int, cap: int
) -> tuple[dict[str, str], int | None]:
    """The headers of an observations file of `total` rows, and the row limit when capped."""
    capped = total > cap
    file_name = observations_name(parsed, loaded, f"first-{cap}-rows" if capped else "")
    headers = {"Content-Disposition": attachment(file_name), "X-Rows-Total": str(total)}
    if capped:
        headers["X-Rows-Capped"] = str(cap)
    return headers, cap if capped else None


def _read_chunks(file: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := file.read(CHUNK_BYTES):
            yield chunk
    finally:
        file.close()


@bp.get("/datapackage.zip")
def datapackage_zip() -> Response:
    """Every dataset with its Table Schema, data dictionary and README, as a Frictionless
    data package."""
    check_names(request.args, ())
    context = current()
    engine = context.engine()
    loaded = last_load(context.database_url, engine)
    etag = _version_tag(context, loaded, "datapackage", datapackage.PACKAGE_VERSION)
    if etag_matches(request, etag):
        return not_modified(etag, context.public)
    file = datapackage.build_zip(engine, context.include_unverified, loaded)
    response = Response(_read_chunks(file), mimetype="application/zip")
    file_name = dataset_name(datapackage.PACKAGE_NAME, loaded, "zip")
    return _headers(response, attachment(file_name), etag, context.public)
