# gongkai — two commands set everything up on a fresh machine:
#   make demo   venv + package + Debian tools, then `gongkai demo`
#   make test   venv + package + Debian tools, then the whole test suite
# and for development:
#   make lint       ruff (lint, format check), mypy and the layers (lint-imports), as CI runs them before the tests
#   make test-fast  the tests that start no server, subprocess, LibreOffice, OCR or browser (-m "not slow")
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast lint bench bench-quick setup system-deps clean

# what `ruff format --check` and mypy hold: the whole tree is formatted; mypy's strict flags hold on
# pipeline/, warehouse/ and runner/ (see pyproject.toml)
FORMATTED ?= .
TYPED ?= pipeline warehouse runner

demo: setup
	$(BIN)/gongkai demo

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(VENV)/.installed
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check $(FORMATTED)
	$(BIN)/mypy $(TYPED)
	$(BIN)/lint-imports --no-cache

bench: setup
	$(BIN)/python -m bench --json bench/results/latest.json

bench-quick: setup
	$(BIN)/python -m bench --quick --out /tmp/gongkai-bench.md

setup: system-deps $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

system-deps:
	@sh scripts/install-system-deps.sh

clean:
	rm -rf $(VENV) data test-artifacts .pytest_cache
