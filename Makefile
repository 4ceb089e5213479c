# The daily verbs. Set-up is scripts/bootstrap's (PostgreSQL + PostGIS, .venv from uv.lock, dbt
# manifest); every other verb uses the venv's tools, so no activation is needed.
BIN := .venv/bin
UV ?= $(shell command -v uv || echo python3 -m uv)
# Extra pytest arguments for test and test-unit: make test ARGS='-k sla -x'
ARGS ?=

.PHONY: install lock lint test-unit test dev manifest demo

install:  ## set up (system packages, .venv exactly as uv.lock, dbt manifest); runs nothing
	scripts/bootstrap setup

lock:  ## re-resolve uv.lock after a dependency change in pyproject.toml (then make install)
	$(UV) lock

lint:  ## ruff, and sqlfluff over the dbt models (its dbt templater needs a server: the test starts one)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest tests -k sqlfluff -q

test-unit:  ## the tests that need no database (seconds)
	$(BIN)/pytest -m unit -q $(ARGS)

test:  ## the whole suite, as CI runs it (.ci/run)
	scripts/bootstrap test $(ARGS)

dev:  ## the Dagster UI and daemon over the configured database (http://127.0.0.1:3000)
	$(BIN)/cerniq ui

manifest:  ## rebuild the dbt manifest when a dbt file is newer than it
	$(BIN)/python -c "from dagster_cerniq.defs.dbt.project import ensure_manifest; ensure_manifest()"

demo:  ## set up, then the demo on the embedded database (about three minutes)
	scripts/bootstrap demo
