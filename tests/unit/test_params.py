"""Query-string parsing for the API and downloads, file names, and the token bucket."""

from __future__ import annotations

import datetime as dt

import pytest
from werkzeug.datastructures import MultiDict

from web.filenames import observations_name, slug
from web.params import ParameterError, parse_date, parse_observations
from web.ratelimit import RateLimiter, retry_after

KNOWN = {"police_deepfake_cases_reported", "kcsc_sexual_deepfake_correction_requests"}


def parse(query: list[tuple[str, str]], paged: bool = True, include_unverified: bool = False):
    return parse_observations(MultiDict(query), KNOWN, include_unverified, paged=paged)


def error_of(query: list[tuple[str, str]], paged: bool = True) -> str:
    with pytest.raises(ParameterError) as caught:
        parse(query, paged)
    return str(caught.value)


def test_years_mean_whole_years_and_months_whole_months():
    assert parse_date("from", "2024", end=False) == dt.date(2024, 1, 1)
    assert parse_date("to", "2024", end=True) == dt.date(2024, 12, 31)
    assert parse_date("to", "2024-02", end=True) == dt.date(2024, 2, 29)
    assert parse_date("from", "2024-02", end=False) == dt.date(2024, 2, 1)
    assert parse_date("to", "2024-08-28", end=True) == dt.date(2024, 8, 28)


def test_defaults():
    parsed = parse([])
    assert parsed.selection.headline_only is True
    assert parsed.selection.include_unverified is False
    assert (parsed.format, parsed.encoding, parsed.limit, parsed.offset) == (
        "json",
        "utf-8-sig",
        1000,
        0,
    )


def test_repeatable_and_comma_separated_values_are_normalised():
    parsed = parse(
        [
            ("metric", "police_deepfake_cases_reported,kcsc_sexual_deepfake_correction_requests"),
            ("metric", "police_deepfake_cases_reported"),
            ("tier", "wire"),
            ("tier", "official,wire"),
        ]
    )
    assert parsed.selection.metrics == (
        "kcsc_sexual_deepfake_correction_requests",
        "police_deepfake_cases_reported",
    )
    assert parsed.selection.tiers == ("official", "wire")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ([("from", "banana")], 'from: "banana" is not a date as YYYY, YYYY-MM or YYYY-MM-DD'),
        ([("to", "99999999")], 'to: "99999999" is not a date as YYYY, YYYY-MM or YYYY-MM-DD'),
        ([("to", "2024-02-30")], 'to: "2024-02-30" is not a calendar date'),
        ([("from", "2024-13")], 'from: "2024-13" is not a calendar date'),
        ([("from", "2024"), ("to", "2020")], "from: 2024-01-01 is after to=2020-12-31"),
        (
            [("metric", "';drop table x;--")],
            'metric: unknown metric "\';drop table x;--"; GET /api/v1/metrics lists them',
        ),
        ([("metric", "\u202e" * 50)], "metric: holds control or invisible formatting characters"),
        ([("from", "\x00")], "from: holds control or invisible formatting characters"),
        ([("format", "exe")], 'format: "exe" is not one of json, csv'),
        ([("headline_only", "maybe")], 'headline_only: "maybe" is not one of true, false, 1, 0'),
        ([("dimension", "x" * 5000)], "dimension: longer than 60 characters"),
        ([("tier", "blog")], 'tier: "blog" is not one of official, wire, press, aggregator'),
        ([("limit", "0")], 'limit: "0" is not a whole number from 1 to 10000'),
        ([("limit", "-1")], 'limit: "-1" is not a whole number from 1 to 10000'),
        ([("offset", "1e3")], 'offset: "1e3" is not a whole number from 0 to 10000000'),
        ([("encoding", "latin-1")], 'encoding: "latin-1" is not one of utf-8-sig, utf-8'),
        ([("from", "2020"), ("from", "2021")], "from: given more than once"),
        (
            [("metrics", "x")],
            '"metrics": unknown parameter; allowed here: metric, from, to, '
            "dimension, category, tier, source, headline_only, format, encoding, "
            "limit, offset",
        ),
    ],
)
def test_bad_parameters_are_named(query, message):
    assert error_of(query) == message


def test_downloads_take_no_paging_or_format():
    assert error_of([("limit", "5")], paged=False).startswith('"limit": unknown parameter')
    assert parse([("encoding", "utf-8")], paged=False).limit is None


def test_file_name_says_what_the_file_holds():
    loaded = dt.datetime(2026, 11, 25, 15, 47, 3)
    parsed = parse(
        [("metric", "police_deepfake_cases_reported"), ("from", "2024"), ("to", "2024")],
        paged=False,
    )
    assert observations_name(parsed, loaded) == (
        "observations_police_deepfake_cases_reported_2024-2024_data-2026-11-25.csv"
    )
    parsed = parse(
        [
            ("from", "2024-08"),
            ("tier", "official,wire"),
            ("headline_only", "false"),
            ("dimension", "age_group"),
            ("category", "10대"),
        ],
        paged=False,
    )
    assert observations_name(parsed, loaded, "first-5-rows") == (
        "observations_from-2024-08_age_group_category-687de873_tier-official-wire_all-rows"
        "_first-5-rows"
        "_data-2026-11-25.csv"
    )
    assert observations_name(parse([], paged=False), None) == "observations_data-none.csv"
    assert slug("../../etc/passwd") == "etc-passwd"


def test_token_bucket_allows_a_burst_then_the_rate():
    now = [100.0]
    limiter = RateLimiter(clock=lambda: now[0])
    assert [limiter.check("1.2.3.4", 3) for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.check("1.2.3.4", 3)
    assert wait == pytest.approx(20.0)
    assert retry_after(wait) == "20"
    assert limiter.check("5.6.7.8", 3) == 0.0  # another address has its own bucket
    now[0] += 20.0
    assert limiter.check("1.2.3.4", 3) == 0.0
    assert limiter.check("1.2.3.4", 0) == 0.0  # 0 disables the limit


def test_token_bucket_forgets_idle_addresses_past_its_bound():
    now = [0.0]
    limiter = RateLimiter(max_clients=2, clock=lambda: now[0])
    for address in ("a", "b", "c"):
        limiter.check(address, 60)
        now[0] += 0.5
    assert len(limiter._buckets) == 2
