# Khlang: `make run` serves the demo site on SQLite; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-test run test test-fast lint messages engine engine-stop clean

install: $(VENV)/.installed-base

install-test: $(VENV)/.installed-test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(VENV)/.installed-base: requirements/base.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.installed-test: requirements/base.txt requirements/test.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements/test.txt
	touch $(VENV)/.installed-base $@

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --base-url http://$(HOST):$(PORT)
	@echo "Khlang is at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Everything: ruff, then pytest on SQLite with the engine and Chromium, then on PostgreSQL.
test: install-test
	bash scripts/test.sh

# The tests that need no server (engine, nginx, Chromium) and make no backups, on SQLite.
test-fast: install-test lint
	$(VENV)/bin/pytest -m "not slow" -q

lint: install-test
	$(VENV)/bin/ruff check .

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=test-output --ignore=search/engine
	$(PY) manage.py compilemessages --ignore=.venv

engine:
	@search/engine/start.sh

engine-stop:
	@search/engine/stop.sh

clean:
	rm -rf $(VENV) test-output db.sqlite3 media
