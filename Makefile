# Two commands for a newcomer: `make site` and `make test` (see README.md).
# Each creates or refreshes .venv from the pinned requirements when they change.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
ARGS   ?=

.PHONY: site serve check test lint types format clean dist screenshots bench golden fuzz

$(VENV)/.runtime: requirements.txt
	@test -x $(PY) || $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "make: Scholion needs Python 3.11 or newer, and $(PYTHON) is $$($(PYTHON) --version 2>&1)." >&2; \
	  echo "      Install a newer Python, then run for example: make PYTHON=python3.12" >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Test-only tools from npm (axe-core, vnu-jar), exactly as package-lock.json pins them.
# --ignore-scripts: vnu-jar's postinstall would download a Java runtime; the machine's java is used.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

site: $(VENV)/.runtime  ## build the demo corpus into _site/
	$(PY) build.py build $(ARGS)

serve: $(VENV)/.runtime  ## build, serve on 127.0.0.1:8000, rebuild and reload on every change
	$(PY) build.py serve $(ARGS)

check: $(VENV)/.runtime  ## validate content only
	$(PY) build.py check $(ARGS)

lint: $(VENV)/.dev  ## ruff (lint + format check), and the pipeline's layers (no upward import)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

types: $(VENV)/.dev  ## mypy over scholion/
	$(PY) -m mypy

format: $(VENV)/.dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

test: lint types node_modules/.installed  ## lint, layers, types, then the whole pytest suite
	$(PY) -m pytest $(ARGS)

golden: $(VENV)/.dev  ## write tests/golden/ anew from the current engine, after a change to pages made on purpose
	$(PY) -m tests.golden

fuzz: $(VENV)/.dev  ## the property tests at length: hostile files, and what passes check builds (EXAMPLES=2000)
	SCHOLION_FUZZ_EXAMPLES=$(or $(EXAMPLES),500) $(PY) -m pytest -q tests/security/test_fuzz.py tests/test_check_builds.py

screenshots: $(VENV)/.dev  ## every page kind at 390 and 1280 px, light and dark, into screenshots/
	$(PY) -m tests.browser.screenshots screenshots

bench: $(VENV)/.dev  ## time builds of synthetic corpora beside the floor and Hugo + Pagefind (N=1,000 and 10,000; N="20 100" to choose)
	$(PY) -m benchmarks.run $(or $(N),1000 10000) $(ARGS)

clean:  ## remove _site/, what interrupted builds left, and the caches
	rm -rf _site _site.* .cache .pytest_cache .ruff_cache build dist *.egg-info

dist: $(VENV)/.dev  ## the wheel and sdist into dist/ (what `pip install scholion` installs)
	$(VENV)/bin/pyproject-build --no-isolation --outdir dist .  # python -m build: ./build.py
