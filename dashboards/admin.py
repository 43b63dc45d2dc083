"""Admin (internal view, admin role): the ETL's recent runs and its rejected rows."""

from __future__ import annotations

import datetime as dt

import dash
import pandas as pd
from dash import dash_table, html

from dashboards._shared.context import current
from dashboards._shared.i18n import request_language, t
from db.queries.status import recent_runs, rejected_rows
from web.auth import current_user

dash.register_page(
    __name__,
    path="/admin",
    name="Admin",
    name_key="nav.admin",
    order=100,
    internal_only=True,  # hidden and 404 in the public view
    admin_only=True,  # in the navigation of admins only; web/security.py answers 403 to others
)

RUN_LIMIT = 50
REJECTED_LIMIT = 200
RUN_COLUMNS = (
    ("run_id", "admin.col.run"),
    ("file_name", "admin.col.file"),
    ("file_kind", "admin.col.kind"),
    ("finished_at", "admin.col.finished"),
    ("rows_read", "admin.col.read"),
    ("rows_loaded", "admin.col.loaded"),
    ("rows_superseded", "admin.col.superseded"),
    ("rows_rejected", "admin.col.rejected"),
    ("outcome", "admin.col.outcome"),
)
REJECTED_COLUMNS = (
    ("run_id", "admin.col.run"),
    ("file_name", "admin.col.file"),
    ("row_number", "admin.col.row"),
    ("column_name", "admin.col.column"),
    ("reason", "admin.col.reason"),
)


def _cell(value):
    if isinstance(value, dt.datetime):  # pandas' Timestamp too
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _records(frame: pd.DataFrame, columns: tuple) -> list[dict]:
    return [{key: _cell(row.get(key)) for key, _ in columns} for row in frame.to_dict("records")]


def _table(
    table_id: str, frame: pd.DataFrame, columns: tuple, lang: str, caption_key: str, empty_key: str
) -> html.Div:
    """A DataTable with a visible caption naming it, or a sentence when there is nothing."""
    if frame.empty:
        return html.P(t(empty_key, lang), id=f"{table_id}-empty")
    caption_id = f"{table_id}-caption"
    return html.Div(
        [
            html.P(t(caption_key, lang, count=len(frame)), id=caption_id, className="small mb-1"),
            html.Div(
                dash_table.DataTable(
                    id=table_id,
                    data=_records(frame, columns),
                    columns=[{"id": key, "name": t(label, lang)} for key, label in columns],
                    style_table={"overflowX": "auto"},
                    style_cell={
                        "textAlign": "left",
                        "whiteSpace": "normal",
                        "height": "auto",
                        "fontFamily": "inherit",
                        "fontSize": "0.85rem",
                    },
                    style_header={"fontWeight": "bold"},
                    page_action="none",
                    cell_selectable=False,
                ),
                role="region",
                tabIndex="0",
                **{"aria-labelledby": caption_id},
            ),
        ],
        className="mb-4",
    )


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = request_language(lang)
    if current().public:  # the route answers 404 first; this guards client-side navigation
        return html.Div(html.P(t("admin.not_found", lang)))
    user = current_user()
    if user is None or not user.is_admin:
        return html.Div(
            [
                html.H1(t("auth.forbidden.title", lang), className="h3"),
                html.P(t("auth.forbidden.text", lang)),
            ]
        )
    engine = current().engine()
    return html.Div(
        [
            html.H1(t("admin.title", lang), className="h3"),
            html.P(t("admin.intro", lang)),
            html.H2(t("admin.runs", lang), className="h5 mt-3"),
            _table(
                "admin-runs",
                recent_runs(engine, RUN_LIMIT),
                RUN_COLUMNS,
                lang,
                "admin.runs_caption",
                "admin.no_runs",
            ),
            html.H2(t("admin.rejected", lang), className="h5 mt-3"),
            _table(
                "admin-rejected",
                rejected_rows(engine, REJECTED_LIMIT),
                REJECTED_COLUMNS,
                lang,
                "admin.rejected_caption",
                "admin.no_rejected",
            ),
        ]
    )
