# Two commands for a newcomer: `make site` and `make test` (see README.md).
# Each creates or refreshes .venv from the pinned requirements when they change.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
ARGS   ?=

.PHONY: site check test lint format clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

site: $(VENV)/.runtime  ## build the demo corpus into _site/
	$(PY) build.py build $(ARGS)

check: $(VENV)/.runtime  ## validate content only
	$(PY) build.py check $(ARGS)

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

test: lint  ## ruff (lint + format check), then the whole pytest suite
	$(PY) -m pytest $(ARGS)

clean:
	rm -rf _site _site.* .cache .pytest_cache .ruff_cache
