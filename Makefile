# magnet-watch: `make reports` builds every report, `make test` runs every test.
# Both create the environment (.venv, from requirements.lock) when it is missing.
# `make help` lists the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# One environment, .venv, built with one Python. Supported: 3.11, 3.12 and 3.13
# (pyproject.toml's requires-python; docs/development.md). PYTHON names the interpreter to
# build it with (`make test PYTHON=python3.13`); a .venv built with another Python version is
# removed and built again with this one. Without PYTHON: the Python .venv already has, or else
# the first of python3.11, python3.12, python3.13 that runs.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= $(if $(wildcard $(BIN)/python),$(BIN)/python,$(firstword \
  $(foreach py,python3.11 python3.12 python3.13 python3,$(shell $(py) -c '' 2>/dev/null && command -v $(py)))))
PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
ENV_STAMP := $(VENV)/.installed-python$(PYTHON_VERSION)
KERNEL := magnet-watch
# The kernel's spec is a file target of its own: `make env` registers the kernel again
# whenever it is missing (deleted, or a new .venv), even when the packages are up to date.
KERNEL_SPEC := $(VENV)/share/jupyter/kernels/$(KERNEL)/kernel.json
# PYTHONDONTWRITEBYTECODE is set on these machines: compile at install time,
# or every import recompiles pandas and altair.
export UV_COMPILE_BYTECODE := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help env git-filter lock test test-fast lint format lab reports scenarios audit add-document candidates headlines artefacts bench browser clean

# The project's commands follow one convention, `python -m magnet_watch.<command>` (run them
# with .venv/bin/python); `make help` lists each with the targets that run it, read from the
# recipes below. scripts/ holds developer tools (benchmarks, nbval's copies) that only make runs.
help: ## List the targets, and the commands (python -m magnet_watch.<x>) they run
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'
	@echo "Commands (.venv/bin/python -m magnet_watch.<x> --help for their options):"
	@awk '/^[a-zA-Z_-]+:/ {target = $$1; sub(/:.*/, "", target)} \
	  /^\t\$$\(BIN\)\/python -m magnet_watch\./ {match($$0, /magnet_watch\.[a-z_.]+/); m = substr($$0, RSTART, RLENGTH); \
	    if (!(m in by)) {order[++n] = m; by[m] = "make " target} else by[m] = by[m] ", make " target} \
	  END {for (i = 1; i <= n; i++) printf "  python -m %-26s %s\n", order[i], by[order[i]]}' $(MAKEFILE_LIST)

$(ENV_STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON_VERSION)" || { echo "make: cannot run PYTHON=$(PYTHON); name a Python 3.11, 3.12 or 3.13" >&2; exit 2; }
	@if [ -x $(BIN)/python ] && [ "$$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')" != "$(PYTHON_VERSION)" ]; then \
	  echo "$(VENV) was built with another Python: building it again with Python $(PYTHON_VERSION)"; rm -rf $(VENV); fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "$$(grep -E '^uv==' requirements.lock)"
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@rm -f $(VENV)/.installed*
	@touch $@

$(KERNEL_SPEC): $(ENV_STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (magnet-watch)" >/dev/null

# Notebook outputs never reach a commit: .gitattributes sends every *.ipynb through the git
# filter "nbstripout", which `make env` installs in this clone's git config (what
# `nbstripout --install` writes, but with the command relative to the working tree, so every
# clone or worktree runs its own .venv's nbstripout). Reading a notebook in JupyterLab then
# leaves `git status` clean. Outside a git repository there is nothing to install.
GIT_FILTER := $(VENV)/.git-filter-installed
NBSTRIPOUT := $(BIN)/python -m nbstripout

$(GIT_FILTER): $(ENV_STAMP)
	@$(MAKE) --no-print-directory git-filter
	@touch $@

git-filter: ## Install nbstripout as this clone's git filter: outputs stripped on commit (make env does it)
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean '$(NBSTRIPOUT)' && \
	  git config filter.nbstripout.smudge cat && \
	  git config filter.nbstripout.required true && \
	  git config diff.ipynb.textconv '$(NBSTRIPOUT) -t'; fi

env: $(ENV_STAMP) $(KERNEL_SPEC) $(GIT_FILTER) ## Create or update .venv, its Jupyter kernel and the git filter (no-op when up to date)

# Packages the lock leaves out (uv's --no-emit-package): rfc3987-syntax, which jsonschema
# imports, if installed, only to check the "iri" format no schema here uses; its import builds
# 38 Lark parsers, 2 s of CPU in every process that imports altair, nbformat or jsonschema
# (every kernel, build and test subprocess; python-jsonschema/jsonschema#1428), and lark,
# which only it needs. Without it jsonschema checks every other format as before.
LOCK_LEAVES_OUT := rfc3987-syntax lark

lock: ## Re-pin requirements.lock from pyproject.toml (the one dependency list), one lock for every supported Python
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal $(LOCK_LEAVES_OUT:%=--no-emit-package %) -o requirements.lock --quiet

# axe-core, the accessibility checker the browser tests run in every page, pinned by
# tests/browser/package-lock.json and installed from it into tests/browser/node_modules/.
AXE := tests/browser/node_modules/axe-core/axe.min.js

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	@touch $@

browser: $(AXE) ## Install Debian's chromium for the browser tests, if missing, and axe-core
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }

# Two xdist workers, each sent whole modules (--dist loadscope), so a module's fixtures are set
# up once, in the order tests/conftest.py gives them (modules with slow or browser tests first:
# --no-loadscope-reorder keeps it); the builds several modules read (project_build, ...) are
# made once per run for both workers (tests/helpers/shared.py). Not --dist loadgroup: with
# pytest 9.2 and xdist 3.8 it ignores every xdist_group mark (pytest-dev/pytest-xdist#1386;
# docs/performance.md, "The test suite"). nbval's copies of the notebooks (build/nbval, each a
# module of its own, run last) go in the same run: they fill the workers' last minutes instead
# of running alone after them.
test: env browser lint ## Run the whole test suite (lint and layers, library, data, notebooks, reports, browser)
	$(BIN)/python scripts/nbval_reference.py --out build/nbval
	$(BIN)/python -m pytest -n 2 --dist loadscope --no-loadscope-reorder \
	  --nbval-lax --nbval-kernel-name $(KERNEL) tests build/nbval

test-fast: $(ENV_STAMP) ## Unit tests only (tests/unit: no build, no notebook kernel, no browser), about a minute
	$(BIN)/python -m pytest -n 2 tests/unit

lint: $(ENV_STAMP) ## Lint, check formatting (ruff) and the layer contract (import-linter, .importlinter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(ENV_STAMP) ## Format code with ruff and strip notebook outputs
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/nbstripout notebooks/*.ipynb

reports: env ## Run every notebook (base scenario) into offline HTML reports in reports/ (ARGS=--force ...)
	$(BIN)/python -m magnet_watch.report_build $(ARGS)

scenarios: env ## Run every scenario in scenarios/ into reports/scenarios/ (SCENARIO=name for one)
	$(BIN)/python -m magnet_watch.report_build --scenario $${SCENARIO:-all} $(ARGS)

audit: $(ENV_STAMP) ## Audit curation: coverage, conflicts, consistency checks (non-zero on failure; ARGS=--all)
	$(BIN)/python -m magnet_watch.audit $(ARGS)

# FILE and SOURCE reach the command through the environment, never through the shell's
# parser: $(value ...) takes them unexpanded, `export` hands them over as they are, and
# "$$VAR" in the recipe is expanded once by the shell without running anything in it.
# So a file named `a $(rm -rf x) b.txt` is just a file name.
add-document: export MAGNET_WATCH_FILE = $(value FILE)
add-document: $(ENV_STAMP) ## Add a new article: make add-document FILE=path/to/article.txt
	$(BIN)/python -m magnet_watch.curation add -- "$$MAGNET_WATCH_FILE"

candidates: export MAGNET_WATCH_SOURCE = $(value SOURCE)
candidates: $(ENV_STAMP) ## (Re)write a source's candidates file: make candidates SOURCE=source-id
	$(BIN)/python -m magnet_watch.curation candidates -- "$$MAGNET_WATCH_SOURCE"

# Screenshots (at 390 and 1280 px, in print, without JavaScript, in JupyterLab) and A4 PDFs of
# every page, for a person to look at; no test reads them, so `make test` does not make them.
artefacts: env browser ## Run the browser tests keeping screenshots and A4 PDFs of every page in build/test-artefacts/
	MAGNET_WATCH_ARTEFACTS=1 $(BIN)/python -m pytest -n 2 --dist loadscope tests/browser
	@echo "screenshots and PDFs: build/test-artefacts/"

bench: env ## Benchmarks: report build vs floor and peer; curation at scale; explorer redraw, page sizes; the Replay grid's cost; pages on a phone
	$(BIN)/python scripts/bench_reports.py
	$(BIN)/python scripts/bench_curation.py
	$(BIN)/python scripts/bench_explore.py --repeat 5
	$(BIN)/python scripts/bench_replay.py --repeat 3
	$(BIN)/python -m magnet_watch.report_build && $(BIN)/python scripts/bench_pages.py --runs 5

headlines: env ## Re-record the headline figures nbval checks (after a deliberate data change)
	$(BIN)/python scripts/nbval_reference.py --update $(STEMS)

lab: env ## Open JupyterLab on the notebooks (kernel: "Python (magnet-watch)")
	$(BIN)/jupyter lab --notebook-dir=notebooks $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

clean: ## Remove generated output (build/, reports/); keeps .venv
	rm -rf build reports
