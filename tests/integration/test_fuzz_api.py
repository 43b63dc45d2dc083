"""Fuzzing the JSON API and the downloads: whatever the query string (any parameter name, any
unicode, huge values, repeated parameters, broken percent-encoding) and whatever the caching
headers, the answer is never a 500 or a traceback; a refusal is 4xx JSON with a message.

FUZZ_PROFILE=stress runs many more examples (the default keeps `make test` quick).
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from web.security import LIMITER_KEY

PROFILE = os.environ.get("FUZZ_PROFILE", "fast")
EXAMPLES = {"fast": 60, "stress": 2000}[PROFILE]
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the project
    derandomize=PROFILE == "fast",  # the quick run draws the same examples every time
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

DATA_PATHS = [
    "/api/v1/observations",
    "/api/v1/metrics",
    "/api/v1/sources",
    "/api/v1/events",
    "/download/observations.csv",
    "/download/events.csv",
    "/download/sources.csv",
    "/download/metrics.csv",
    "/download/datapackage.zip",
]
PARAMETERS = [
    "metric",
    "from",
    "to",
    "dimension",
    "category",
    "tier",
    "source",
    "headline_only",
    "format",
    "encoding",
    "limit",
    "offset",
]
REAL_VALUES = [
    "police_deepfake_cases_reported",
    "kcsc_sexual_deepfake_correction_requests,police_deepfake_cases_occurred",
    "2024",
    "2024-07",
    "2024-07-31",
    "2024-02-30",
    "2025-13",
    "official",
    "aggregator",
    "true",
    "false",
    "0",
    "csv",
    "json",
    "utf-8",
    "utf-8-sig",
    "age_group",
    "10s",
    "total",
    "10000",
    "10001",
    "-1",
    "https://imnews.imbc.com/news/2025/society/article/6686274_36719.html",
]
OK_STATUSES = {200, 304}
REFUSALS = {400, 404, 405, 429}

names = st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=30))
values = st.one_of(
    st.sampled_from(REAL_VALUES),
    st.text(max_size=80),
    st.text(min_size=200, max_size=2000),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.from_regex(r"\A\d{1,5}(-\d{1,3}(-\d{1,3})?)?\Z"),
    st.lists(st.sampled_from(REAL_VALUES), min_size=2, max_size=60).map(",".join),
    st.sampled_from(["x" * 100_000, "가" * 20_000, "\x00", "%", "\u202e", "\ufeff2024"]),
)
queries = st.lists(st.tuples(names, values), max_size=8)  # repeats come naturally
latin1 = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=120)
headers = st.fixed_dictionaries(
    {},
    optional={
        "If-None-Match": st.one_of(latin1, st.just("*"), st.just('W/"abc", "def"')),
        "Accept-Language": latin1,
        "Accept": latin1,
        "Range": latin1,
    },
)


def check(response) -> None:
    """No 500 and no traceback; a refusal is JSON with an error message."""
    body = response.get_data()
    assert b"Traceback" not in body and b'File "' not in body
    assert response.status_code in OK_STATUSES | REFUSALS, response.status_code
    if response.status_code in REFUSALS:
        document = json.loads(body)
        assert isinstance(document["error"], str) and document["error"].strip()


def client_of(app):
    app.server.extensions[LIMITER_KEY].reset()
    return app.server.test_client()


@FUZZ
@given(path=st.sampled_from(DATA_PATHS), query=queries, extra=headers)
def test_any_query_on_any_data_path(public_app, internal_app, path, query, extra):
    for app in (public_app, internal_app):
        check(client_of(app).get(path, query_string=query, headers=extra))


@FUZZ
@given(raw=st.binary(max_size=300), path=st.sampled_from(DATA_PATHS))
def test_broken_percent_encoding_in_the_query(public_app, raw, path):
    check(client_of(public_app).get(path + "?" + quote_from_bytes(raw, safe="=&%+")))


@FUZZ
@given(name=st.text(min_size=1, max_size=60), suffix=st.sampled_from([".csv", ".zip", ""]))
def test_any_dataset_or_api_name(public_app, name, suffix):
    client = client_of(public_app)
    encoded = quote_from_bytes(name.encode("utf-8"), safe="")
    for path in (f"/download/{encoded}{suffix}", f"/api/v1/{encoded}", f"/api/{encoded}"):
        check(client.get(path))


@FUZZ
@given(metric=values, tier=values, start=values, end=values)
def test_observation_filters_one_value_each(public_app, metric, tier, start, end):
    """The observation filters, each given once: a 200 answer holds only rows that fit."""
    response = client_of(public_app).get(
        "/api/v1/observations",
        query_string={"metric": metric, "tier": tier, "from": start, "to": end},
    )
    check(response)
    if response.status_code == 200:
        document = response.get_json()
        filters = document["filters"]
        assert document["count"] == len(document["data"]) <= document["total"]
        for column, key in (("tier", "tier"), ("metric", "metric")):
            if filters[key]:
                assert {r[column] for r in document["data"]} <= set(filters[key])
        assert not [r for r in document["data"] if r["is_unverified"]]  # the public view


@pytest.mark.parametrize("path", DATA_PATHS)
def test_repeated_parameters_are_refused_by_name(public_app, path):
    client = client_of(public_app)
    response = client.get(path, query_string=[("encoding", "utf-8"), ("encoding", "utf-8")])
    assert response.status_code == 400
    assert "encoding" in response.get_json()["error"].split(":")[0]
