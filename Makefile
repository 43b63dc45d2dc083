# The single source of the project's commands; README and .ci/run call these targets.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8050

WORKERS ?= $(or $(GUNICORN_WORKERS),3)

.PHONY: run public serve serve-public test lint format db install install-dev clean bench bench-quick stress

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

## db: build or refresh the database from data/ (a no-op when no file changed)
db: install
	$(PY) -m etl load data/

## run: install, build the database if needed, serve the internal dashboard
run: db
	$(PY) app.py --host $(HOST) --port $(PORT)

## public: the same, as the public read-only view
public: db
	$(PY) app.py --public --host $(HOST) --port $(PORT)

## serve: the internal view under gunicorn with several workers (the grown deployment)
serve: db
	$(VENV)/bin/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --no-control-socket \
		--access-logfile - wsgi:server

## serve-public: the public read-only view under gunicorn
serve-public: db
	DASHBOARD_PUBLIC=1 $(VENV)/bin/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) \
		--no-control-socket --access-logfile - wsgi:server

## test: install the dev requirements and run the whole suite on SQLite; then, when
## TEST_DATABASE_URL names a PostgreSQL server (.ci/run makes sure one does), every test that
## touches a database again on PostgreSQL
test: install-dev
	$(PY) -m pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the same tests on PostgreSQL (TEST_BACKEND=postgresql)"; \
		TEST_BACKEND=postgresql $(PY) -m pytest -q tests/integration tests/browser; \
	else \
		echo "PostgreSQL pass skipped: set TEST_DATABASE_URL=postgresql+psycopg://USER@HOST:5432/DB to run it"; \
	fi

## bench: every benchmark at full size (10 M log rows; about an hour on 2 cores), each printing
## its figures beside a baseline run in the same script, and writing bench/results/NAME.json
bench: install-dev
	$(PY) bench/ingest.py
	$(PY) bench/callbacks.py --keep .bench-cache
	$(PY) bench/serving.py
	$(PY) bench/page.py --keep .bench-cache
	$(PY) bench/datasette.py

## bench-quick: the same benchmarks on small data (under two minutes; bench/results/NAME.quick.json)
bench-quick: install-dev
	$(PY) bench/ingest.py --quick
	$(PY) bench/callbacks.py --quick --keep .bench-cache
	$(PY) bench/serving.py --quick
	$(PY) bench/page.py --quick --keep .bench-cache
	$(PY) bench/datasette.py --quick

## stress: 50 clients for 60 s on the public view under gunicorn: errors, p50 and p99
stress: install-dev
	$(PY) bench/stress.py --clients 50 --seconds 60

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) data/dashboard.db
