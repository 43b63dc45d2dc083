"""The JSON API under /api/v1: metrics, sources, events and observations, as JSON or CSV.

Every answer carries an ETag and Cache-Control and is cached per normalised request and
database load; a request repeated exactly as sent finds its answer without being parsed again.
In the public view no unverified figure is ever part of an answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Blueprint, Flask, Response, current_app, json, request
from sqlalchemy.engine import Engine

from dashboards._shared.context import current
from db.queries.freshness import known_metric_ids, last_load
from db.queries.selection import ROW_COLUMNS, count_observations, page_observations
from web import downloads, errors
from web.answercache import CACHE_KEY, make_response_cache
from web.csvout import to_csv_bytes
from web.datasets import json_record, metrics_with_breaks, registry_rows
from web.fields import DATASETS, names
from web.filenames import attachment, dataset_name, observations_name
from web.httpcache import REQUEST_KEYS_KEY, Payload, RequestKeys, answer_key, serve
from web.params import check_names, parse_encoding, parse_format, parse_observations

bp = Blueprint("api", __name__, url_prefix="/api/v1")
JSON_TYPE = "application/json"
Build = Callable[[Engine, dt.datetime | None], Payload]


def register(server: Flask) -> None:
    """Add the API and download routes, their JSON errors and their response cache."""
    server.extensions[CACHE_KEY] = make_response_cache()
    server.extensions[REQUEST_KEYS_KEY] = RequestKeys()
    server.register_blueprint(bp)
    server.register_blueprint(downloads.bp)
    errors.register(server)


def json_body(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode(
        "utf-8"
    )


def answer(name: str, parse: Callable[[], tuple[tuple, Build]]) -> Response:
    """This request's answer from the answer cache, built when missing. `parse` checks the
    request and gives its normalised key and the answer's builder; a request already answered
    in this load, exactly as sent, skips it."""
    context = current()
    engine = context.engine()
    loaded = last_load(context.database_url, engine)
    asked = (context.database_url, context.public, request.path, request.query_string, loaded)
    known: RequestKeys = current_app.extensions[REQUEST_KEYS_KEY]
    cache = current_app.extensions[CACHE_KEY]
    key = known.get(asked)
    payload = cache.get(key) if key is not None else None
    if payload is None:
        normalised, build = parse()
        key = answer_key(context.database_url, context.public, name, normalised, loaded)
        payload = cache.get(key) or cache.put(key, build(engine, loaded))
        known.put(asked, key)
    return serve(request, payload, context.public)


def _registry(dataset: str) -> Response:
    return answer(dataset, lambda: _parse_registry(dataset))


def _parse_registry(dataset: str) -> tuple[tuple, Build]:
    check_names(request.args, ("format", "encoding"))
    answer_format, encoding = parse_format(request.args), parse_encoding(request.args)
    include_unverified = current().include_unverified

    def build(engine: Engine, loaded: dt.datetime | None) -> Payload:
        if answer_format == "csv":
            rows = registry_rows(engine, dataset, include_unverified)
            return Payload.build(
                to_csv_bytes(names(DATASETS[dataset]), rows, encoding),
                "text/csv",
                {"Content-Disposition": attachment(dataset_name(dataset, loaded))},
            )
        rows = (
            metrics_with_breaks(engine)
            if dataset == "metrics"
            else registry_rows(engine, dataset, include_unverified)
        )
        return Payload.build(
            json_body({"data": [json_record(r) for r in rows], "count": len(rows)}), JSON_TYPE
        )

    return (answer_format, encoding), build


@bp.get("/metrics")
def metrics() -> Response:
    """The metric registry: names, units, definitions and series breaks."""
    return _registry("metrics")


@bp.get("/sources")
def sources() -> Response:
    """The source registry (in the public view: sources of verified figures and events)."""
    return _registry("sources")


@bp.get("/events")
def events() -> Response:
    """Dated events for annotating charts."""
    return _registry("events")


@bp.get("/observations")
def observations() -> Response:
    """Published figures with their sources, filtered; JSON (paged) or CSV."""
    return answer("observations", _parse_observations)


def _parse_observations() -> tuple[tuple, Build]:
    context = current()
    parsed = parse_observations(
        request.args,
        known_metric_ids(context.database_url, context.engine()),
        include_unverified=context.include_unverified,
    )

    def build(engine: Engine, loaded: dt.datetime | None) -> Payload:
        total = count_observations(engine, parsed.selection)
        rows = page_observations(engine, parsed.selection, parsed.limit, parsed.offset)
        if parsed.format == "csv":
            partial = len(rows) < total
            suffix = f"rows-{parsed.offset + 1}-{parsed.offset + len(rows)}" if partial else ""
            return Payload.build(
                to_csv_bytes(ROW_COLUMNS, rows, parsed.encoding),
                "text/csv",
                {
                    "Content-Disposition": attachment(observations_name(parsed, loaded, suffix)),
                    "X-Rows-Total": str(total),
                },
            )
        document = {
            "data": [json_record(r) for r in rows],
            "count": len(rows),
            "total": total,
            "filters": parsed.filters(),
        }
        if parsed.offset + len(rows) < total:
            document["next_offset"] = parsed.offset + len(rows)
        return Payload.build(json_body(document), JSON_TYPE, {"X-Rows-Total": str(total)})

    key = (json.dumps(parsed.filters(), sort_keys=True), parsed.format, parsed.encoding)
    return key, build
