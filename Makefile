# The verbs a newcomer types. `make run` and `make test` are the two that matter.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed-$(shell cat requirements.lock requirements-dev.lock | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
RUN_GROUP := var/run.pgid
# Every verb here runs on a developer's machine: without DATABASE_URL, use the embedded PostgreSQL.
# (The settings refuse to start without DATABASE_URL anywhere else.)
export DJANGO_EMBEDDED_DB ?= true

.PHONY: setup db run totp test test-fast bench lighthouse lint messages messages-check stop clean backup restore

# Development installs both locks: what production runs (requirements.lock) and the tools that test it.
$(STAMP): requirements.lock requirements-dev.lock
	@echo "Installing the Python packages into $(VENV) (the first time: about two minutes)..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
	  -r requirements.lock -r requirements-dev.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

# Migrate, create the cache table and load the demo content (every step is idempotent).
db: setup
	@echo "Starting the database and applying migrations (the first time: about a minute)..."
	@$(MANAGE) migrate --noinput
	@$(MANAGE) createcachetable
	@echo "Loading the demo content..."
	@$(MANAGE) load_demo

# Links in mail, calendars and the admin's "view on site" point where this server answers (make run
# PORT=8302), unless SITE_URL is set; the Site row follows it at the migrate in `db`.
run: export SITE_URL := $(or $(SITE_URL),http://$(HOST):$(PORT))
run: export DJANGO_DEBUG := $(or $(DJANGO_DEBUG),true)
# The web server and one job worker (which delivers the mail). Ctrl-C reaches both; the trap also
# stops the worker when the server ends any other way (its port taken, a crash): no orphan is left.
# Ctrl-C is how one stops it, so it ends quietly; `make stop` in another terminal ends the same group.
run: db
	@echo ""
	@echo "  One Team Gov Sverige runs at http://$(HOST):$(PORT)/ (the admin at /admin/)."
	@echo "  Sign in as one of the demo people listed above; the admin's second factor: 'make totp'."
	@echo "  Mail is written to var/mail/ by the job worker within a second."
	@echo "  Stop with Ctrl-C (or 'make stop' in another terminal)."
	@echo ""
	@ps -o pgid= $$$$ | tr -d ' ' > $(RUN_GROUP); \
	$(MANAGE) procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null; rm -f $(RUN_GROUP)' EXIT; \
	trap 'exit 0' INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT) || [ $$? -eq 143 ]

totp: setup
	@$(MANAGE) demo_totp

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check --fail-level WARNING

# The compiled .mo files are committed; where gettext is installed, check that they match the .po files.
messages-check:
	@if command -v msgfmt >/dev/null; then \
	  for po in locale/*/LC_MESSAGES/django.po; do \
	    msgfmt --check-format -o - "$$po" | cmp -s - "$${po%.po}.mo" \
	      || { echo "$${po%.po}.mo is stale: run 'make messages'"; exit 1; }; \
	  done; echo "Translations: .mo files match the .po files."; \
	else echo "Translations: gettext not installed, .mo check not run."; fi

messages: setup
	$(MANAGE) makemessages --locale sv --locale en --no-location --ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*'
	for po in locale/*/LC_MESSAGES/django.po; do msgfmt --check-format -o "$${po%.po}.mo" "$$po"; done

# The checkers tests/quality runs (the Nu Html Checker, Lighthouse for make bench), pinned in package-lock.json.
node_modules/.package-lock.json: package-lock.json
	@if command -v npm >/dev/null; then npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else echo "npm not installed: the Nu Html Checker tests will not run (sudo apt-get install -y npm)"; fi

# Two workers, one per core; a test file stays on one worker (its fixtures and live server with it).
# The whole suite in file order, then the fast tier again in a random order (pytest-randomly; its seed
# is printed; `--randomly-seed=N` repeats it), so that a test that passes only after
# another shows.
test: lint messages-check node_modules/.package-lock.json
	$(BIN)/pytest -n 2 --dist loadfile -p no:randomly
	$(BIN)/pytest -n 2 -m "not e2e" -q

# Everything but the e2e tier (browsers, servers, workers, processes): about a tenth of the time.
test-fast: setup
	$(BIN)/pytest -n 2 -m "not e2e"

# Benchmark at realistic volume through gunicorn (production settings) and wrk; writes var/bench/latest.md.
bench: setup node_modules/.package-lock.json
	$(BIN)/python -m tests.bench
	$(BIN)/python -m tests.bench.lighthouse

# Lighthouse (mobile) on home, the event list, an event page, an interview page and the directory: every
# category >= 95. Part of bench, not test: about five minutes, and the performance score follows the CPU
# load of the machine (on a busy shared box the same page scored 85 and 98).
lighthouse: setup node_modules/.package-lock.json
	$(BIN)/python -m tests.bench.lighthouse

# A pg_dump (custom format) and a tar.gz of the media under var/backups/, named by UTC time.
backup: setup
	$(MANAGE) backup

# Into an EMPTY database only (a fresh DATABASE_URL, or `make clean` first for the embedded one).
restore: setup
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/otg-<time>.dump"; exit 2; }
	$(MANAGE) restore "$(FILE)"

# Everything `make run` started (its server, autoreloader and worker, found in the process group noted in
# RUN_GROUP while it runs; a server ended so counts as stopped, not failed), then the embedded PostgreSQL.
stop:
	@if [ -s $(RUN_GROUP) ] && pkill -TERM -g "$$(cat $(RUN_GROUP))" -f "manage.py (runserver|procrastinate)"; then \
	  echo "Stopped make run (web server and job worker)."; \
	fi; rm -f $(RUN_GROUP)
	@$(BIN)/python -c "import os; from pathlib import Path; from otg.embedded_db import stop_server; \
	  stop_server(Path(os.environ.get('EMBEDDED_PG_DATA', 'var/pg')))"
	@echo "Stopped the embedded PostgreSQL."

clean: stop
	rm -rf var/pg var/media var/mail var/static
