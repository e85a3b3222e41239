# The two commands a new user needs: `make run` and `make test`.
# Each creates .venv and installs the project into it when needed.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint format i18n bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)

run: $(STAMP)  ## run the bot (the local sandbox when BOT_TOKEN is empty)
	$(PY) -m bot run

TEST_WORKERS ?= 4
# The suite starts some thirty Python processes (the workers, the bots the crash
# tests kill). Without bytecode each compiles every module of the project and
# pytest rewrites every test module again: about 25 s of CPU a run where
# PYTHONDONTWRITEBYTECODE is set. The bytecode is kept in .venv, not in the tree.
TEST_ENV := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/$(VENV)/pycache

test: $(STAMP)  ## the whole test suite (TEST_WORKERS=0 runs it in one process)
	$(TEST_ENV) $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal

lint: $(STAMP)  ## ruff and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)  ## benchmarks that print their figures (speed goals live here, not in timed tests)
	$(PY) tests/bench/bench_faq.py
	$(PY) tests/bench/bench_broadcast.py
	$(PY) tests/bench/bench_startup.py
	$(PY) tests/bench/bench_latency.py
	$(PY) tests/bench/bench_consultations.py

i18n: $(STAMP)  ## extract texts and update the catalogs in content/locale
	$(PY) -m bot.core.i18n_tool

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
