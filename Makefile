# Kinerja: `make demo` runs the demo; `make test` runs every check. Nothing else is needed on a
# fresh Debian 12 machine with Python 3.11.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The default database of manage.py, so that every command in the README works on the demo.
DEMO_DB := $(CURDIR)/var/kinerja.sqlite3
# Debian packages: the virtualenv module and what WeasyPrint renders PDFs with; for the tests,
# also the browser, poppler (pdfsig, pdftotext), NSS tools (certutil) and gettext.
DEBIAN_BASE := python3-venv
DEBIAN_PDF := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
DEBIAN_TEST := $(DEBIAN_PDF) chromium poppler-utils libnss3-tools zbar-tools gettext

.PHONY: demo demo-reset test lint typecheck pytest test-pg messages clean help bench backup restore

help:
	@echo "make demo   - install, migrate, load the demo city and serve it at http://127.0.0.1:$(PORT)"
	@echo "make test   - install what the tests need and run lint, types and the whole suite"
	@echo "make bench  - load and scale benchmarks on PostgreSQL (writes bench/results.json)"

$(VENV)/bin/python:
	@$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c 'import ensurepip' 2>/dev/null \
		|| scripts/ensure-debian-packages $(DEBIAN_BASE)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed-app: $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-app
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

demo: $(VENV)/.installed-app
	@scripts/ensure-debian-packages $(DEBIAN_PDF)
	@mkdir -p var
	DATABASE_URL=sqlite:///$(DEMO_DB) $(PY) manage.py migrate --noinput -v0
	@# The QR codes on the demo's signed PDFs point at the port it is served on.
	PORT=$(PORT) DATABASE_URL=sqlite:///$(DEMO_DB) $(PY) manage.py load_demo
	@# The daily reminder to late units, run by the worker below each morning (mail to the console).
	DATABASE_URL=sqlite:///$(DEMO_DB) $(PY) manage.py send_reminders --schedule-only
	$(PY) manage.py collectstatic --noinput -v0
	@echo ""
	@echo "Kinerja demo: http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	@# A queue worker runs beside the server for background work (agreements, reminders).
	PORT=$(PORT) DATABASE_URL=sqlite:///$(DEMO_DB) $(PY) manage.py db_worker > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	PORT=$(PORT) DATABASE_URL=sqlite:///$(DEMO_DB) $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

demo-reset:
	rm -f $(DEMO_DB)

system-test-deps:
	@scripts/ensure-debian-packages $(DEBIAN_TEST)

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/djlint kinerja --check --quiet
	$(VENV)/bin/djlint kinerja --lint --quiet

typecheck: $(VENV)/.installed-dev
	$(PY) -m mypy

# The suite uses Redis when one answers on this machine (scripts/redis-url), the process's
# memory otherwise; its keys carry a prefix of their own run.
TEST_CACHE := REDIS_URL="$${REDIS_URL-$$(scripts/redis-url)}" KINERJA_CACHE_PREFIX="kinerja-test-$$$$"

pytest: $(VENV)/.installed-dev system-test-deps
	@mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(TEST_CACHE) $(PY) -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# The suite against PostgreSQL (DATABASE_URL must point at a server where we may create a db).
test-pg: $(VENV)/.installed-dev system-test-deps
	$(TEST_CACHE) $(PY) -m pytest $(PYTEST_ARGS)

# Load and scale benchmarks against PostgreSQL on loopback (BENCH_PG, default
# postgres://postgres@127.0.0.1:5432): fills kinerja_bench_city and kinerja_bench_national
# once (the national one takes a while), then gunicorn + wrk; writes bench/results.json.
bench: $(VENV)/.installed-app
	@scripts/ensure-debian-packages wrk $(DEBIAN_PDF)
	$(PY) bench/run.py

messages: $(VENV)/.installed-dev
	cd kinerja && ../$(PY) ../manage.py makemessages -l en --no-obsolete && ../$(PY) ../manage.py compilemessages

clean:
	rm -rf $(VENV) var/static .pytest_cache .mypy_cache .ruff_cache
