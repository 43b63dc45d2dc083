"""Controls whose values live in the URL: each has the id {"type": "state-control", "param": P}
and, beside it, a store of the value the page drew it with (read from the address, defaults
included); one callback writes every change into the address, and the page is drawn again from
it. A page just drawn from its address leaves the address alone, so it is drawn once."""

from __future__ import annotations

import json

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, dcc, html, no_update

from dashboards._shared.i18n import t
from dashboards._shared.shell import query_params, with_params


def state_id(param: str) -> dict:
    return {"type": "state-control", "param": param}


def drawn_id(param: str) -> dict:
    return {"type": "state-drawn", "param": param}


def _drawn(param: str, value) -> dcc.Store:
    """The control's value as the page drew it, in the text the address holds."""
    return dcc.Store(id=drawn_id(param), data={param: _as_text(value)})


def dom_id(component_id: dict) -> str:
    """The id Dash gives a pattern-matching component in the page (for labels' `for`)."""
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


def wants_events(value: str | None) -> bool:
    return value != "0"


def events_switch(lang: str, show: bool) -> html.Div:
    return html.Div(
        [
            dbc.Checklist(
                id=state_id("events"),
                options=[{"label": t("control.show_events", lang), "value": "1"}],
                value=["1"] if show else [],
                switch=True,
            ),
            _drawn("events", ["1"] if show else []),
        ],
        className="mb-2",
    )


def select(param: str, label: str, options: list[dict], value: str | None) -> html.Div:
    """A native <select> with a visible label (keyboard and screen-reader friendly)."""
    return html.Div(
        [
            dbc.Label(label, html_for=dom_id(state_id(param)), className="form-label small mb-0"),
            dbc.Select(
                id=state_id(param),
                options=options,
                value=value or "",
                html_size=None,
                className="form-select-sm",
            ),
            _drawn(param, value or ""),
        ],
        className="me-2 mb-2",
        style={"minWidth": "12rem"},
    )


def _as_text(value) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value) if value else "0"
    return "" if value is None else str(value)


@callback(
    Output("url", "search", allow_duplicate=True),
    Input(state_id(ALL), "value"),
    State(state_id(ALL), "id"),
    State(drawn_id(ALL), "data"),
    State("url", "search"),
    prevent_initial_call=True,
)
def write_state_to_url(values, ids, drawn, search):
    """The address with every control's value, once one differs from what the page drew.

    Dash calls this also when a page's controls appear (a first load, a new address): their
    values are then the ones the page drew from the address, and writing them (defaults such
    as events=1) would only draw the page a second time."""
    chosen = {control["param"]: _as_text(value) for control, value in zip(ids, values)}
    drawn_values = {}
    for stored in drawn if isinstance(drawn, list) else []:
        drawn_values.update(stored if isinstance(stored, dict) else {})
    if chosen == drawn_values:
        return no_update
    params = {**query_params(search), **chosen}
    new = with_params("", params)
    return no_update if new == (search or "") else new
