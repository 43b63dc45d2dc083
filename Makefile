# The single source of the project's commands; README and .ci/run call these targets.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: run public test lint format db install install-dev clean

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

## test: install the dev requirements and run the whole suite
test: install-dev
	$(PY) -m pytest -q

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) data/dashboard.db
