"""A short loopback load on the public view under gunicorn (2 workers): the stress benchmark's
mix of page loads, callbacks, API calls and downloads, for 5 seconds from 10 clients, answers
every request (no error status, connection error or timeout). No timing is asserted."""

from __future__ import annotations

import shutil

import pytest

from bench import _load, _serve, _visits, stress

CLIENTS = 10
SECONDS = 5
ACTIONS = 15


@pytest.fixture(scope="module")
def server(loaded_db):
    settings = {"PUBLIC_RATE_LIMIT_PER_MINUTE": "6000"}
    with _serve.start_gunicorn(loaded_db, workers=2, settings=settings) as running:
        yield running


def test_the_stress_mix_answers_every_request(server):
    steps, description = stress.build_plan(server.base_url, ACTIONS, seed=3)
    routes = {step.request.route for step in steps}
    for route in (_visits.ROUTE_HTML, _visits.ROUTE_LAYOUT, _visits.ROUTE_DEPENDENCIES,
                  _visits.ROUTE_ROUTER, _visits.ROUTE_NAVBAR, _visits.ROUTE_STATE):  # fmt: skip
        assert route in routes, description
    assert any(r.startswith(("GET /api/", "GET /download/")) for r in routes), description

    result = _load.run(server.base_url, steps, CLIENTS, SECONDS, seed=3, loader="python")

    assert result.requests > CLIENTS, result
    assert result.error_count == 0, (result.error_lines(), result.samples, server.log_tail())


LOADERS = ["python", pytest.param("wrk", marks=pytest.mark.skipif(
    not shutil.which("wrk"), reason="wrk is not installed (apt-get install wrk)"))]  # fmt: skip


@pytest.mark.parametrize("loader", LOADERS)
def test_errors_are_counted_by_route(server, loader):
    """Each loader reports what the server refuses, by route: a 404 and a 405 are errors."""
    steps = [
        _load.Step(_load.Request("missing", "/api/v1/no-such-route")),
        _load.Step(_load.Request("written", "/api/v1/metrics", "DELETE")),
        _load.Step(_load.Request("fine", "/healthz")),
    ]
    result = _load.run(server.base_url, steps, 2, 1, stagger=False, loader=loader)
    assert set(result.errors) == {"missing", "written"}
    assert set(result.errors["missing"]) == {"404"} and set(result.errors["written"]) == {"405"}
    assert len(result.latencies_ms["fine"]) >= 1
