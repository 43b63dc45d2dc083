# The single source of the project's commands; README and .ci/run call these targets.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8050

WORKERS ?= $(or $(GUNICORN_WORKERS),3)

.PHONY: run public serve serve-public test lint format db install install-dev clean bench bench-quick

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

## bench: benchmarks that print their figures (ROWS=1000000 synthetic requests by default)
bench: install
	$(PY) bench/requests_load.py --rows $(or $(ROWS),1000000)

## bench-quick: the same on 200,000 rows (a couple of minutes at most)
bench-quick: install
	$(PY) bench/requests_load.py --rows 200000

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) data/dashboard.db
