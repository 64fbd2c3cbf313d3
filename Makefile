# gongkai — two commands set everything up on a fresh machine:
#   make demo   venv + package + Debian tools, then `gongkai demo`
#   make test   venv + package + Debian tools, then the whole test suite
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test bench bench-quick setup system-deps clean

demo: setup
	$(BIN)/gongkai demo

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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
