# Two commands do all set-up on a fresh machine with Python 3.11:
#   make run   - create .venv, install the pinned requirements, start the app on the built-in SQLite store
#   make test  - the same install, then ruff and every test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint init bench clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

init: $(STAMP)
	$(BIN)/python -m dashboard init

run: init
	$(BIN)/streamlit run app.py

lint: $(STAMP)
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m dashboard bench

clean:
	rm -rf $(VENV) data/dashboard.sqlite
