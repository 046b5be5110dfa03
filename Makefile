# Better Together — every command the README names. `make help` lists them.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs in parallel, one worker per CPU (PYTEST_WORKERS=0 runs it in one process).
PYTEST_WORKERS ?= auto
PYTEST := BT_TESTING=true $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile

# Python keeps the bytecode it compiles (and pytest its rewritten test modules) even where
# the environment asks it not to: every worker of the suite would otherwise compile all of
# it again, and the second database's run could not reuse the first's.
export PYTHONDONTWRITEBYTECODE :=

.DEFAULT_GOAL := help
.PHONY: help run test test-fast lint fmt bench soak install install-test locale migrate demo backup restore clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.stamp-base: pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python.sh)" -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -e .
	@touch $@

$(VENV)/.stamp-test: $(VENV)/.stamp-base pyproject.toml
	$(PIP) install -e '.[test]'
	@touch $@

$(VENV)/.stamp-bench: $(VENV)/.stamp-base pyproject.toml
	$(PIP) install -e '.[bench]'
	@touch $@

$(VENV)/.stamp-soak: $(VENV)/.stamp-base pyproject.toml
	$(PIP) install -e '.[soak]'
	@touch $@

install: $(VENV)/.stamp-base ## Create .venv and install the app

install-test: $(VENV)/.stamp-test

# Each catalogue is compiled when its translations change (two runs of the suite at once
# never rewrite a catalogue the other is reading).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard bettertogether/locale/*/LC_MESSAGES/django.po))

locale: $(VENV)/.stamp-base $(MO_FILES)

bettertogether/locale/%/LC_MESSAGES/django.mo: bettertogether/locale/%/LC_MESSAGES/django.po
	@cd bettertogether && DEBUG=true ../$(PY) ../manage.py compilemessages -v 0 -l $*

migrate: install locale ## Apply database migrations (SQLite unless DATABASE_URL is set)
	DEBUG=true $(MANAGE) migrate --no-input -v 0

demo: migrate ## Load the small demo dataset (safe to run twice)
	DEBUG=true $(MANAGE) seed_demo --scale small

# A backup holds the database and every uploaded or generated file (see README, "Backups").
# The settings come from the environment as for any command; DEBUG defaults to on here, as
# for `make migrate`, so a developer's SQLite database needs nothing set.
BACKUP_FILE ?= backups/bettertogether-$(shell date +%Y%m%d-%H%M%S).zip

backup: install ## Back up the database and all files to one archive (FILE=… to name it)
	@mkdir -p $(dir $(or $(FILE),$(BACKUP_FILE)))
	DEBUG=$${DEBUG:-true} $(MANAGE) backup "$(or $(FILE),$(BACKUP_FILE))"

restore: install ## Restore a backup onto an empty server: make restore FILE=backups/….zip
	@test -n "$(FILE)" || { echo "Name the archive to restore: make restore FILE=backups/….zip"; exit 2; }
	DEBUG=$${DEBUG:-true} $(MANAGE) restore "$(FILE)" $(RESTORE_ARGS)

# The task worker runs beside the server and prints to this terminal too: with DEBUG on,
# email goes to the console, so invitations and password resets appear here. Ctrl+C stops both.
run: demo ## Install, migrate, load the demo and serve on http://127.0.0.1:8000
	@DEBUG=true $(MANAGE) demo_signins
	@echo "Serving on http://$(HOST):$(PORT)/ — emails are printed below. Press Ctrl+C to stop."
	@export DEBUG=true SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	  PYTHONUNBUFFERED=1 $(MANAGE) task_worker --interval 1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver $(HOST):$(PORT)

test: install-test locale ## Install test dependencies and run the whole suite
	$(PYTEST) $(PYTEST_ARGS)

test-fast: install-test locale ## The inner loop: everything but the demo seeders, PDFs and browser
	$(PYTEST) -m "not slow and not browser" $(PYTEST_ARGS)

lint: install-test ## Check style and common mistakes
	$(VENV)/bin/ruff check .
	BT_TESTING=true $(MANAGE) makemigrations --check --dry-run

fmt: install-test ## Fix what the linter can fix
	$(VENV)/bin/ruff check --fix .

bench: $(VENV)/.stamp-bench locale ## Build the district dataset in PostgreSQL and benchmark every page
	$(PY) -m bench.run $(BENCH_ARGS)

# Not part of the suite or CI: about 15 minutes, with a PostgreSQL of its own that it restarts.
soak: $(VENV)/.stamp-soak locale ## Load for 10 min with the worker killed and PostgreSQL restarted; is anything lost?
	$(PY) -m bench.soak $(if $(SOAK_MINUTES),--minutes $(SOAK_MINUTES)) \
	  $(if $(SOAK_USERS),--users $(SOAK_USERS)) $(SOAK_ARGS)

clean: ## Remove the virtualenv, the SQLite database and collected files
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles
