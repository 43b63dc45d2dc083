"""JSON errors for the data paths (/api/..., /download/...): a message, never a traceback.

Bad parameters give 400 naming the parameter; unknown addresses under these prefixes give 404
(instead of the dashboard's catch-all page); a database that cannot be read gives 503 here and
to Dash callbacks, with the reason in the log. Other paths keep Flask's and Dash's own error
handling.
"""

from __future__ import annotations

import logging

from dash.exceptions import DependencyException
from flask import Flask, Response, json, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from db.engine import HINTS, UNREADABLE, unreadable_reason
from web.params import ParameterError

DATA_PREFIXES = ("/api/", "/download/")
DATA_BLUEPRINTS = ("api", "downloads", "requests_api")
log = logging.getLogger(__name__)


def is_data_path(path: str) -> bool:
    return path.startswith(DATA_PREFIXES)


def json_error(status: int, message: str, headers: dict | None = None) -> Response:
    body = json.dumps({"error": message}, ensure_ascii=False)
    response = Response(body, status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


DASH_CALLBACK = "/_dash-update-component"
UNREADABLE_MESSAGE = "the database cannot be read right now; try again later"


def log_unreadable(error: SQLAlchemyError) -> None:
    """Log a database that cannot be read, with what the operator can do about it (and the
    traceback, unless the reason is known)."""
    reason = unreadable_reason(error)
    log.error(
        "the database cannot be read on %s: %s. %s",
        request.path,
        error,
        HINTS[reason],
        exc_info=error if reason == UNREADABLE else None,
    )


def database_unreadable(error: SQLAlchemyError) -> Response:
    """503 for a data path or callback whose database cannot be read; the reason is logged."""
    log_unreadable(error)
    return json_error(503, UNREADABLE_MESSAGE)


def register(server: Flask) -> None:
    @server.before_request
    def _unknown_data_path():
        """A data path no data route matched would fall to Dash's catch-all page: 404 instead."""
        if (
            is_data_path(request.path)
            and request.routing_exception is None
            and request.blueprint not in DATA_BLUEPRINTS
        ):
            return json_error(404, "no such address; see /api for what is served")
        return None

    @server.errorhandler(DependencyException)
    def _unknown_script(_error: DependencyException):
        """A component-suite path Dash does not serve (e.g. `../` tricks): not found."""
        return Response("Not found\n", status=404, mimetype="text/plain")

    @server.errorhandler(ParameterError)
    def _bad_parameter(error: ParameterError):
        return json_error(400, str(error))

    @server.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if not is_data_path(request.path):
            return error
        methods = getattr(error, "valid_methods", None)
        headers = {"Allow": ", ".join(methods)} if methods else {}
        message = {
            404: "no such address; see /api for what is served",
            405: f"method {request.method} is not allowed here",
        }.get(error.code, error.name)
        return json_error(error.code or 500, message, headers)

    @server.errorhandler(Exception)
    def _unexpected(error: Exception):
        served = request.path == DASH_CALLBACK or is_data_path(request.path)
        if served and isinstance(error, SQLAlchemyError):
            return database_unreadable(error)
        if request.path == DASH_CALLBACK:
            # the pages only send well-formed callbacks: anything else is a bad request
            log.warning("callback request failed on %s: %r", request.path, error)
            return json_error(400, "malformed callback request")
        if not is_data_path(request.path):
            raise error
        log.exception("unexpected error on %s", request.path)
        return json_error(500, "internal error; it has been logged")
