# Khlang: `make run` serves the demo site on SQLite; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test messages engine engine-stop clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Khlang is at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	bash scripts/test.sh

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=test-output --ignore=search/engine
	$(PY) manage.py compilemessages --ignore=.venv

engine:
	@search/engine/start.sh

engine-stop:
	@search/engine/stop.sh

clean:
	rm -rf $(VENV) test-output db.sqlite3 media
