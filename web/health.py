"""GET /healthz: 200 with the database's row counts and last load time; 503 when unreadable,
with the reason and what the operator can do about it."""

from __future__ import annotations

from flask import Flask, jsonify
from sqlalchemy.exc import SQLAlchemyError

from dashboards._shared.context import current
from db.engine import HINTS, unreadable_reason
from db.queries.status import counts


def register(server: Flask) -> None:
    @server.get("/healthz")
    def healthz():
        context = current()
        try:
            summary = counts(context.engine())
        except SQLAlchemyError as error:
            reason = unreadable_reason(error)
            body = {
                "status": "error",
                "error": type(error).__name__,
                "reason": reason,
                "hint": HINTS[reason],
            }
            return jsonify(body), 503
        return jsonify({"status": "ok", "public": context.public, **summary})
