"""GET /api/v1/requests/monthly: requests per platform and month from the record-level log.

In the public view the answer is the suppressed public table (real requests only; counts from 1
to SMALL_CELL_THRESHOLD - 1 and their complements hidden), the same cells the public pages draw.
In the internal view it is exact, with how many requests are synthetic. JSON or CSV, cached and
tagged like the rest of the API; bad parameters give 400.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Flask, Response, json, request
from sqlalchemy.engine import Engine

import config
from dashboards._shared.context import current
from db.queries import requests as queries
from db.requests_schema import ALL_PLATFORMS, PLATFORMS
from web.answercache import cached
from web.api import JSON_TYPE, json_body
from web.csvout import format_number, to_csv_bytes
from web.filenames import attachment, data_date
from web.httpcache import Payload
from web.params import (
    ParameterError,
    check_names,
    parse_date,
    parse_encoding,
    parse_format,
    quote,
    single,
)

bp = Blueprint("requests_api", __name__, url_prefix="/api/v1/requests")
PARAMETERS = ("platform", "from", "to", "format", "encoding")
PUBLIC_COLUMNS = queries.PUBLIC_COLUMNS
INTERNAL_COLUMNS = [
    "month",
    "platform",
    "request_count",
    "synthetic_count",
    "share_actioned_pct",
    "share_no_response_pct",
    "median_hours_to_action",
    "p90_hours_to_action",
]


def register(server: Flask) -> None:
    server.register_blueprint(bp)


def _platform(args) -> str | None:
    value = single(args, "platform", 30)
    if value is None:
        return None
    if value not in (*PLATFORMS, queries.ALL):
        raise ParameterError(
            "platform", f"{quote(value)} is not one of {', '.join((*PLATFORMS, queries.ALL))}"
        )
    return value


def _month(args, name: str, end: bool) -> dt.date | None:
    day = parse_date(name, single(args, name, 10), end=end)
    return day.replace(day=1) if day else None


def _clean(value):
    return format_number(value) if isinstance(value, int | float) and value is not None else value


def _internal_rows(engine: Engine, platform, month_from, month_to) -> list[dict]:
    card = queries.scorecard(engine, include_synthetic=True)
    if platform:
        card = card[card["platform"] == (ALL_PLATFORMS if platform == queries.ALL else platform)]
    if month_from:
        card = card[card["month_start"] >= month_from]
    if month_to:
        card = card[card["month_start"] <= month_to]
    rows = []
    for row in card.itertuples(index=False):
        rows.append(
            {
                "month": row.month_start.strftime("%Y-%m"),
                "platform": queries.ALL if row.platform == ALL_PLATFORMS else row.platform,
                "request_count": int(row.requests),
                "synthetic_count": int(row.synthetic_count),
                "share_actioned_pct": _round(row.share_actioned_pct, 1),
                "share_no_response_pct": _round(row.share_no_response_pct, 1),
                "median_hours_to_action": _round(row.median_hours, 2),
                "p90_hours_to_action": _round(row.p90_hours, 2),
            }
        )
    return rows


def _round(value, digits: int):
    if value is None or value != value:  # NaN
        return None
    return round(float(value), digits)


def _public_rows(engine: Engine, platform, month_from, month_to) -> list[dict]:
    frame = queries.public_monthly(
        engine,
        config.get_int("SMALL_CELL_THRESHOLD"),
        (platform,) if platform else (),
        month_from,
        month_to,
    )
    if platform and platform != queries.ALL:
        frame = frame[frame["platform"] == platform]
    rows = []
    for record in frame.to_dict("records"):
        rows.append({k: (None if v is None or v != v else v) for k, v in record.items()})
    for row in rows:
        if row["request_count"] is not None:
            row["request_count"] = int(row["request_count"])
    return rows


def _csv_rows(rows: list[dict], public: bool) -> list[dict]:
    """In CSV a hidden count is written as its marker ("<10", "suppressed")."""
    if not public:
        return rows
    return [
        {
            **row,
            "request_count": row["request_count_text"]
            if row["suppressed"]
            else row["request_count"],
        }
        for row in rows
    ]


@bp.get("/monthly")
def monthly() -> Response:
    """Requests per platform and month (suppressed in the public view)."""
    check_names(request.args, PARAMETERS)
    platform = _platform(request.args)
    month_from, month_to = _month(request.args, "from", False), _month(request.args, "to", True)
    if month_from and month_to and month_from > month_to:
        raise ParameterError("from", f"{month_from:%Y-%m} is after to={month_to:%Y-%m}")
    answer_format, encoding = parse_format(request.args), parse_encoding(request.args)
    public = current().public
    filters = {
        "platform": platform,
        "from": month_from.strftime("%Y-%m") if month_from else None,
        "to": month_to.strftime("%Y-%m") if month_to else None,
        "suppressed": public,
        "includes_synthetic": not public,
    }

    def build(engine: Engine, loaded: dt.datetime | None) -> Payload:
        chooser = _public_rows if public else _internal_rows
        rows = chooser(engine, platform, month_from, month_to)
        columns = PUBLIC_COLUMNS if public else INTERNAL_COLUMNS
        if answer_format == "csv":
            name = "requests_monthly" + (f"_{platform}" if platform else "")
            if filters["from"] or filters["to"]:
                name += f"_{filters['from'] or ''}-{filters['to'] or ''}"
            return Payload.build(
                to_csv_bytes(columns, _csv_rows(rows, public), encoding),
                "text/csv",
                {"Content-Disposition": attachment(f"{name}_{data_date(loaded)}.csv")},
            )
        document = {"data": rows, "count": len(rows), "filters": filters}
        return Payload.build(json_body(document), JSON_TYPE)

    key = (
        json.dumps(filters, sort_keys=True),
        answer_format,
        encoding,
        config.get_int("SMALL_CELL_THRESHOLD"),
    )
    return cached("requests_monthly", key, build)
