# The two commands of the README: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export DJANGO_SETTINGS_MODULE ?= config.settings.local
# `make run PORT=8123`: the web server's port; links in e-mails follow it (SITE_URL) unless
# SITE_URL is set.
PORT ?= 8000
export PORT
export SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: help run test install lint typecheck pytest migrate demo lock serve clean

help:
	@echo "make run   - install, migrate, load demo data, start web + worker + beat (Ctrl-C stops all); PORT=8123 for another port"
	@echo "make demo  - install, migrate and load the demo data only (guidance, screening list, demo accounts)"
	@echo "make test  - lint (ruff), type-check (mypy) and the whole test suite (pytest)"
	@echo "make lock  - re-resolve requirements/*.lock from pyproject.toml"

$(STAMP): requirements/dev.lock package.json package-lock.json
	@python_bin=$$(scripts/find-python); \
	if [ ! -x "$(PY)" ] || ! "$(PY)" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then \
		echo "Creating $(VENV) with $$python_bin"; rm -rf "$(VENV)"; "$$python_bin" -m venv "$(VENV)"; \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.lock
	@command -v npm >/dev/null || { echo "error: npm (Node.js) is needed to install the US Web Design System assets" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@test -f node_modules/@uswds/uswds/dist/css/uswds.min.css || { echo "error: USWDS assets missing after npm ci" >&2; exit 1; }
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --no-input

# Real screening lists for the demo, read in place if this machine has them (never copied).
DEMO_SANCTIONS ?= ../shared/data/sanctions

demo: migrate
	$(PY) manage.py load_education_content
	@if [ -f "$(DEMO_SANCTIONS)/ofac-2024-05/sdn.csv" ]; then \
		$(PY) manage.py import_screening_list --format ofac "$(DEMO_SANCTIONS)/ofac-2024-05/sdn.csv"; \
	else \
		echo "No screening list at $(DEMO_SANCTIONS): screening checks will ask officers for a manual check until one is imported (README: Screening lists)."; \
	fi
	$(PY) manage.py seed_demo

run: demo
	@echo "Starting web ($(SITE_URL)), Celery worker and Celery beat. Ctrl-C stops all."
	$(VENV)/bin/honcho start -f Procfile.dev -p $(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy .

pytest: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

lock:
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-find-links --no-emit-index-url \
		--output-file requirements/prod.lock pyproject.toml
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-find-links --no-emit-index-url \
		--extra dev --output-file requirements/dev.lock pyproject.toml

clean:
	rm -rf $(VENV) node_modules staticfiles var
