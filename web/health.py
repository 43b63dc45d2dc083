"""GET /healthz: 200 with the database's row counts and last load time; 503 when unreadable."""

from __future__ import annotations

from flask import Flask, jsonify
from sqlalchemy.exc import SQLAlchemyError

from dashboards._shared.context import current
from db.queries.status import counts


def register(server: Flask) -> None:
    @server.get("/healthz")
    def healthz():
        context = current()
        try:
            summary = counts(context.engine())
        except SQLAlchemyError as error:
            return jsonify({"status": "error", "error": type(error).__name__}), 503
        return jsonify({"status": "ok", "public": context.public, **summary})
