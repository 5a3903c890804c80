# Everyday chores. `make run` serves the demo site; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format migrate demo search-eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed ## Serve the demo site on http://127.0.0.1:8000/
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo --if-empty
	$(MANAGE) runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev ## Run the whole test suite (SQLite unless DATABASE_URL is set)
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev ## Check code style
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev ## Fix code style
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(VENV)/.installed
	$(MANAGE) migrate --noinput

demo: $(VENV)/.installed ## Rebuild demo content into the current database
	$(MANAGE) load_demo

search-eval: $(VENV)/.installed-dev ## Print search quality (recall@10, MRR) on the evaluation set
	$(BIN)/python -m search.eval --verbose

clean: ## Remove the virtualenv, the embedded database and uploaded media
	rm -rf $(VENV) db.sqlite3 media staticfiles
