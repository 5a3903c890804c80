# Everyday chores. `make run` serves the demo site; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test lint format migrate demo backup search-eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

# The worker (emails, index updates: docs/operations.md) runs beside the server and stops with it.
# The demo's addresses are the one it is served on: links the site writes (PUBLIC_BASE_URL) and those Wagtail
# writes from its Site (the admin's links to live pages, workflow emails), also in a database made earlier.
# Served on every interface (HOST=0.0.0.0), the links name 127.0.0.1 unless PUBLIC_HOST names the machine.
PUBLIC_HOST ?= $(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST))
run: export PUBLIC_BASE_URL ?= http://$(PUBLIC_HOST):$(PORT)
run: $(VENV)/.installed ## Serve the demo site on http://127.0.0.1:8000/, with its background worker
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo --if-empty --hostname $(PUBLIC_HOST) --port $(PORT)
	$(MANAGE) run_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# The production configuration on this machine: DEBUG off, hashed and compressed static files, gunicorn.
# Plain HTTP on loopback (HTTPS_ONLY=off); a throwaway SECRET_KEY unless one is given. Set DATABASE_URL and
# REDIS_URL to serve from PostgreSQL with the shared cache (docs/deployment.md). Emails are written as files
# into var/mail/, a folder only you can read, never into the log (names, addresses and personal links).
serve: export DJANGO_SETTINGS_MODULE = cms.settings.production
serve: export HTTPS_ONLY ?= off
serve: export SECRET_KEY ?= $(shell $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))")
serve: export EMAIL_BACKEND ?= django.core.mail.backends.filebased.EmailBackend
serve: export EMAIL_FILE_PATH ?= $(CURDIR)/var/mail
serve: export LOG_FORMAT ?= text
serve: export SERVE_MEDIA ?= on
serve: export GUNICORN_BIND ?= $(HOST):$(PORT)
# In production the worker is a service of its own beside gunicorn (docs/deployment.md); here it is started
# beside it and stops with it.
serve: $(VENV)/.installed ## Serve the production configuration with gunicorn and the worker on http://127.0.0.1:8000/
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	mkdir -p "$$EMAIL_FILE_PATH" && chmod 700 "$$EMAIL_FILE_PATH"
	$(MANAGE) run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --config gunicorn.conf.py

test: $(VENV)/.installed-dev ## Run the whole test suite (SQLite unless DATABASE_URL is set)
	$(BIN)/python -m pytest -n auto

lint: $(VENV)/.installed-dev ## Check code style and the apps' import contracts (docs/architecture.md)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev ## Fix code style
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(VENV)/.installed
	$(MANAGE) migrate --noinput

demo: $(VENV)/.installed ## Rebuild demo content into the current database
	$(MANAGE) load_demo

backup: $(VENV)/.installed ## Back up the database, uploaded media and the catalog into backups/ (docs/backups.md)
	$(MANAGE) backup_site $(BACKUP_ARGS)

search-eval: $(VENV)/.installed-dev ## Print search quality (recall@10, MRR) on the evaluation set
	$(BIN)/python -m search.eval --verbose

clean: ## Remove the virtualenv, the embedded database and uploaded media
	rm -rf $(VENV) db.sqlite3 media staticfiles
