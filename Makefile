# Two commands: `make run` serves the app with demo data; `make test` runs the whole suite.
# Both set everything up first: system packages, .venv, the interface's assets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: help setup system-deps run test test-fast bench lint migration clean

help:
	@echo "make run    set up, migrate, load demo data if empty, serve at http://127.0.0.1:$(PORT) with the scheduler"
	@echo "make test   set up, then run the whole test suite (DATABASE_URL picks the database)"
	@echo "make bench  set up, then load-test key pages against baselines; writes docs/benchmarks.md"
	@echo "make lint   ruff over the code"
	@echo "make migration m='what changed'   autogenerate a migration from the models"

system-deps:
	@scripts/system-deps.sh

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

ASSET_SOURCES := $(shell find assets -type f) scripts/build-assets.mjs
monitoring/static/build/app.css: node_modules/.installed $(ASSET_SOURCES)
	node scripts/build-assets.mjs

setup: system-deps $(VENV)/.installed monitoring/static/build/app.css

# The scheduler (scheduled emails, background PDFs) runs beside the web server as its own process;
# Ctrl-C stops the web server and the trap stops the scheduler with it.
run: setup
	MONITORING_ENV=development $(BIN)/flask db upgrade
	MONITORING_ENV=development $(BIN)/flask demo --if-empty
	MONITORING_ENV=development $(BIN)/flask scheduler & scheduler=$$!; \
	trap 'kill -TERM $$scheduler 2>/dev/null; wait $$scheduler' EXIT INT TERM; \
	MONITORING_ENV=development $(BIN)/flask run --host 127.0.0.1 --port $(PORT) --no-reload

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup
	@scripts/system-deps.sh bench
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m monitoring.bench.run

lint: setup
	$(BIN)/ruff check monitoring tests

migration: setup
	MONITORING_ENV=development $(BIN)/flask db migrate -m "$(m)"

clean:
	rm -rf $(VENV) node_modules monitoring/static/build .pytest_cache
