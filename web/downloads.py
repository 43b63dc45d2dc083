"""Downloads under /download: each dataset as a streamed CSV, and the whole data package as a zip.

CSV files are UTF-8 with a BOM unless `encoding=utf-8`; observations take the API's filters and
are fetched in chunks, so memory stays flat; a capped file says so in its name and in the
X-Rows-Capped header, never in a trailing line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import IO

from flask import Blueprint, Response, json, request
from sqlalchemy.engine import Engine

import config
from dashboards._shared.context import AppContext, current
from db.queries.listings import last_load_time, metric_ids
from db.queries.selection import ROW_COLUMNS, count_observations, stream_observations
from web import datapackage
from web.csvout import stream_csv
from web.datasets import registry_rows
from web.errors import json_error
from web.fields import DATASETS, names
from web.filenames import attachment, dataset_name, observations_name
from web.httpcache import cache_control, etag_for, etag_matches, not_modified
from web.params import check_names, parse_encoding, parse_observations

bp = Blueprint("downloads", __name__, url_prefix="/download")
CHUNK_BYTES = 64 * 1024


def _headers(response: Response, file_name: str, etag: str, public: bool) -> Response:
    response.headers["Content-Disposition"] = attachment(file_name)
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
    loaded = last_load_time(engine)
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
    return _headers(response, dataset_name(dataset, loaded), etag, context.public)


def _observations_csv(context: AppContext, engine: Engine, loaded: dt.datetime | None) -> Response:
    parsed = parse_observations(
        request.args, metric_ids(engine), include_unverified=context.include_unverified, paged=False
    )
    cap = max(1, config.get_int("DOWNLOAD_MAX_ROWS"))
    etag = _version_tag(
        context,
        loaded,
        "observations",
        json.dumps(parsed.filters(), sort_keys=True),
        parsed.encoding,
        cap,
    )
    if etag_matches(request, etag):
        return not_modified(etag, context.public)
    total = count_observations(engine, parsed.selection)
    capped = total > cap
    chunks = stream_observations(engine, parsed.selection, limit=cap if capped else None)
    response = Response(stream_csv(ROW_COLUMNS, chunks, parsed.encoding), mimetype="text/csv")
    response.headers["X-Rows-Total"] = str(total)
    if capped:
        response.headers["X-Rows-Capped"] = str(cap)
    file_name = observations_name(parsed, loaded, f"first-{cap}-rows" if capped else "")
    return _headers(response, file_name, etag, context.public)


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
    loaded = last_load_time(engine)
    etag = _version_tag(context, loaded, "datapackage", datapackage.PACKAGE_VERSION)
    if etag_matches(request, etag):
        return not_modified(etag, context.public)
    file = datapackage.build_zip(engine, context.include_unverified, loaded)
    response = Response(_read_chunks(file), mimetype="application/zip")
    return _headers(
        response, dataset_name(datapackage.PACKAGE_NAME, loaded, "zip"), etag, context.public
    )
