# Réseau ACV — set-up commands. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install system run test lint check-services clean backup restore

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(shell command -v $(PYTHON) || echo python3) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock ".[dev]"
	@touch $(STAMP)

system:
	@bash scripts/install-system.sh

install: system $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo
	$(PY) manage.py runserver 127.0.0.1:8000

check-services:
	@bash scripts/check-services.sh

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) scripts/lint_conventions.py
	$(PY) -m djlint templates --lint --quiet
	DATABASE_URL=sqlite:///:memory: DJANGO_SETTINGS_MODULE=reseau_acv.settings.local $(PY) manage.py makemigrations --check --dry-run
	@bash scripts/check-compose.sh $(PY)

test: install check-services lint
	$(PY) -m pytest -n 2 --dist loadgroup --create-db -q $(PYTEST_ARGS)

# One dated archive of the database and the media in var/backups/ (BACKUP_KEEP are kept).
backup: $(STAMP)
	$(PY) manage.py backup $(if $(KEEP),--keep $(KEEP))

# Restore into an empty database: make restore FILE=var/backups/reseau-acv-….tar.gz [FORCE=1]
restore: $(STAMP)
	@test -n "$(FILE)" || { echo "Indiquez l'archive : make restore FILE=var/backups/reseau-acv-….tar.gz" >&2; exit 2; }
	$(PY) manage.py restore "$(FILE)" $(if $(FORCE),--force)

clean:
	rm -rf $(VENV) staticfiles var .pytest_cache
