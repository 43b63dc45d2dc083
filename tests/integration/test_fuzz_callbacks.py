"""Fuzzing Dash's callback endpoint with the requests the pages really send (shapes captured
from Chromium: the page router, the navbar, the URL-state controls and a chart's CSV button),
their values drawn by hypothesis: any address and query, any control value, any stored rows.
No answer is a 500 or holds a traceback.

FUZZ_PROFILE=stress runs many more examples (the default keeps `make test` quick).
"""

from __future__ import annotations

import csv
import io
import json
import os
from urllib.parse import urlencode

import dash
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.test_leakage import (
    csv_download_request,
    dash_response,
    navbar_request,
    page_request,
    state_output,
    state_request,
    with_shared_callbacks,
)
from web.csvout import FORMULA_STARTS

PROFILE = os.environ.get("FUZZ_PROFILE", "fast")
EXAMPLES = {"fast": 60, "stress": 2000}[PROFILE]
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=PROFILE == "fast",  # the quick run draws the same examples every time
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# drawing whole pages costs up to a few seconds each (the explorer's default view): fewer
PAGES = settings(FUZZ, max_examples=max(12, EXAMPLES // 2))
CALLBACK = "/_dash-update-component"
PAGE_PARAMETERS = [
    "lang", "events", "metric", "source", "tier", "from", "to", "dimension", "view", "page",
    "platform", "month", "measure", "grain", "by",
]  # fmt: skip
WORDS = [
    "en", "ko", "xx", "0", "1", "rows", "official", "aggregator", "2017", "2024", "2026",
    "none", "region", "police_deepfake_cases_reported", "-1", "999999999999", "telegram",
]  # fmt: skip

texts = st.one_of(st.sampled_from(WORDS), st.text(max_size=60), st.just("x" * 20_000))
searches = st.one_of(
    # each parameter once: a repeated one is a known defect (test_repeated_page_parameters)
    st.dictionaries(st.sampled_from(PAGE_PARAMETERS), texts, max_size=6).map(
        lambda params: "?" + urlencode(params)
    ),
    st.text(max_size=200),
    st.just(""),
)


def page_paths() -> list[str]:
    paths = [p["path"] for p in dash.page_registry.values() if not p.get("path_template")]
    return paths + ["/embed/police-cases-trend", "/embed/no-such-chart", "/login", "/admin"]


pathnames = st.one_of(  # a browser's location.pathname always starts with /
    st.deferred(lambda: st.sampled_from(page_paths())),  # pages exist once an app does
    st.text(max_size=60).map(lambda t: "/" + t),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=0, max_value=2**53),  # the figures are never negative
    st.floats(min_value=0, allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(["=1+1", "+cmd|' /C calc'!A0", "@SUM(1)", "-2", "\t=x", "<script>x</script>"]),
)
keys = st.one_of(st.sampled_from(["metric", "value", "period", "source_title"]), st.text())
stored_rows = st.fixed_dictionaries(
    {
        "name": st.text(max_size=80),
        "columns": st.lists(keys, max_size=6),
        "data": st.lists(st.lists(scalars, max_size=6), max_size=20),
    }
)
control_values = st.one_of(
    st.none(), texts, st.lists(st.text(max_size=10), max_size=4), st.integers()
)
controls = st.lists(
    st.tuples(st.one_of(st.sampled_from(PAGE_PARAMETERS), st.text(max_size=20)), control_values),
    min_size=1,
    max_size=8,
)


@pytest.fixture(scope="module")
def apps(public_app, internal_app):
    return [with_shared_callbacks(public_app), with_shared_callbacks(internal_app)]


def post(app, body: dict):
    """Send `body` as the browser does and check the answer: never a 500 or a traceback."""
    response = app.server.test_client().post(CALLBACK, json=body)
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and 'File "' not in text
    assert response.status_code in (200, 204), (response.status_code, text[:300])
    if response.status_code == 200:
        json.loads(text)
    return response


@PAGES
@given(path=pathnames, search=searches)
def test_page_router_with_any_address(apps, path, search):
    for app in apps:
        post(app, page_request(path, search))


@FUZZ
@given(path=pathnames, search=searches)
def test_navbar_with_any_address(apps, path, search):
    for app in apps:
        post(app, navbar_request(path, search))


@FUZZ
@given(values=controls, search=st.one_of(st.none(), searches))
def test_url_state_with_any_control_values(apps, values, search):
    for app in apps:
        output = state_output(app.server.test_client())
        response = post(app, state_request(output, values, search))
        for written in dash_response(response) if response.status_code == 200 else []:
            assert isinstance(written, str) and (written == "" or written.startswith("?"))


@FUZZ
@given(chart=st.text(max_size=40), clicks=st.integers(min_value=1), stored=stored_rows)
def test_chart_csv_button_with_any_stored_rows(apps, chart, clicks, stored):
    for app in apps:
        response = post(app, csv_download_request(chart, stored, clicks))
        download = dash_response(response)[0]
        assert download["filename"] == stored["name"] + ".csv"
        rows = list(csv.reader(io.StringIO(download["content"].removeprefix("\ufeff"))))
        cells = [cell for row in rows for cell in row]  # the header too
        assert not [c for c in cells if c.startswith(FORMULA_STARTS)]


@pytest.mark.parametrize(
    "search", ["?metric=a&metric=b", "?source=a&source=b", "?dimension=a&dimension=b",
               "?page=1&page=2"],
)  # fmt: skip
def test_repeated_page_parameters(apps, search):
    """Found by FUZZ_PROFILE=stress: a hand-edited link with a parameter twice."""
    post(apps[0], page_request("/explorer", search))


MALFORMED = {
    "a list": [1, 2],
    "no output": {"inputs": []},
    "an unknown output": {**page_request("/", ""), "output": "nope.children"},
    "no inputs": {**page_request("/", ""), "inputs": []},
    "a null pathname": page_request(None, None),
    "a relative pathname": page_request("police", "?lang=en"),
    "a number as pathname": page_request(5, ["?lang=en"]),
    "no stored rows": csv_download_request("x", None),
    "stored rows as text": csv_download_request("x", "rows"),
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_callback_bodies_never_show_a_traceback(public_app, body):
    response = public_app.server.test_client().post(CALLBACK, json=body)
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "body, content_type",
    [(b"{", "application/json"), (b"", "application/json"), (b"x=1", "text/plain")],
    ids=["broken JSON", "empty", "not JSON"],
)
def test_undecodable_callback_bodies_are_4xx(public_app, body, content_type):
    response = public_app.server.test_client().post(CALLBACK, data=body, content_type=content_type)
    assert response.status_code in (400, 415)
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_callback_bodies_are_4xx(public_app, body):
    response = public_app.server.test_client().post(CALLBACK, json=body)
    assert 400 <= response.status_code < 500
