# The front door: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# A key for local use and tests only; production sets SECRET_KEY itself.
DEV_ENV := DEBUG=1
TEST_ENV := SECRET_KEY=test-only-not-secret DEBUG=0
# Tests that commit (browser, migrations, threads) and tests that share a node
# id run afterwards in one process (tests/conftest.py says why).
TEST_WORKERS ?= 2

.PHONY: help run test lint format bench clean system-deps chromium backup-pg restore-pg messages

help:
	@echo "make run   - set up (virtualenv, install, migrate, demo content) and serve http://127.0.0.1:8000/"
	@echo "make test  - install the dev tools and run ruff, Django's checks and the test suite"

# Django 6.1 needs Python 3.12 or newer. Prefer the version .python-version
# names (through pyenv when present), then python3.13, python3.12, python3.
$(VENV)/bin/python:
	@set -e; \
	want=$$(cat .python-version 2>/dev/null || true); \
	candidates=""; \
	if [ -n "$$want" ]; then \
	  root=$$(pyenv root 2>/dev/null || echo "$${PYENV_ROOT:-$$HOME/.pyenv}"); \
	  candidates="$$root/versions/$$want/bin/python $$(ls -d $$root/versions/$$want.*/bin/python 2>/dev/null | sort -V | tail -1)"; \
	fi; \
	candidates="$$candidates python$$want python3.14 python3.13 python3.12 python3"; \
	for c in $$candidates; do \
	  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    echo "Using $$($$c --version) at $$(command -v $$c)"; \
	    $$c -m venv $(VENV); exit 0; \
	  fi; \
	done; \
	echo "ERROR: no Python 3.12 or newer found (tried: $$candidates)." >&2; \
	echo "Install Python 3.12+ (or 'pyenv install 3.13') and run make again." >&2; \
	exit 1

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

# Brief PDFs are rendered by WeasyPrint, which loads Pango, HarfBuzz and
# fontconfig from the operating system and needs a font (DejaVu). Check for
# them; as root on Debian/Ubuntu install what is missing, else say what to do.
PDF_LIBS := libgobject-2.0.so.0 libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz.so.0 libharfbuzz-subset.so.0 libfontconfig.so.1
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core
LDCONFIG := $(shell command -v ldconfig 2>/dev/null || echo /sbin/ldconfig)

system-deps:
	@missing=""; \
	libs="$$($(LDCONFIG) -p 2>/dev/null)"; \
	for lib in $(PDF_LIBS); do case "$$libs" in *"$$lib"*) ;; *) missing="$$missing $$lib";; esac; done; \
	[ -d /usr/share/fonts/truetype/dejavu ] || missing="$$missing fonts-dejavu"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	echo "PDF rendering (WeasyPrint) needs system libraries that are missing:$$missing"; \
	if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing $(PDF_PACKAGES)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(PDF_PACKAGES); \
	else \
	  echo "Install them: sudo apt-get install $(PDF_PACKAGES)   (macOS: brew install pango)" >&2; \
	  exit 1; \
	fi

run: $(VENV)/.installed system-deps
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py build_editions
	$(DEV_ENV) $(PY) manage.py load_demo
	@echo ""
	@echo "Serving http://127.0.0.1:8000/  (admin: http://127.0.0.1:8000/admin/)"
	@echo "No account exists yet. Create an admin account with:"
	@echo "    DEBUG=1 $(PY) manage.py createsuperuser"
	@echo ""
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Browser tests drive Debian's Chromium; install it when running as root (CI),
# otherwise say how. CHROMIUM points elsewhere if wanted.
CHROMIUM ?= /usr/bin/chromium

chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || { echo "ERROR: apt-get install chromium failed." >&2; exit 1; }; \
	  else \
	    echo "ERROR: the browser tests need Chromium at $(CHROMIUM)." >&2; \
	    echo "Install it with: sudo apt-get install chromium (or set CHROMIUM=/path)." >&2; \
	    exit 1; \
	  fi; \
	fi

test: $(VENV)/.installed-dev system-deps chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TEST_ENV) $(PY) manage.py check
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile --serial=skip $(PYTEST_ARGS)
	$(TEST_ENV) $(VENV)/bin/pytest --serial=only $(PYTEST_ARGS) || [ $$? -eq 5 ]

# Pages and API on SQLite and PostgreSQL (127.0.0.1:5432) side by side; see
# bench/README.md. The generated databases are kept and reused.
BENCH_BRIEFS ?= 1000
bench: $(VENV)/.installed-dev
	$(PY) bench/run.py --briefs $(BENCH_BRIEFS)

# PostgreSQL backups (README, Backups): everything, in pg_dump's custom format.
# DATABASE_URL names the database (postgres://user:password@host:port/name).
# Restore into an empty database (createdb): pg_restore stops at the first
# error and, in one transaction, leaves nothing behind; then every derived
# table is rebuilt and the page cache retired.
backup-pg:
	@test -n "$(FILE)" && test -n "$$DATABASE_URL" || { echo "usage: DATABASE_URL=postgres://... make backup-pg FILE=archive.dump" >&2; exit 1; }
	pg_dump --format=custom --no-owner --no-privileges --file="$(FILE)" "$$DATABASE_URL"

restore-pg:
	@test -n "$(FILE)" && test -n "$$DATABASE_URL" || { echo "usage: DATABASE_URL=postgres://... make restore-pg FILE=archive.dump" >&2; exit 1; }
	pg_restore --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$$DATABASE_URL" "$(FILE)"
	$(PY) manage.py rebuild_derived

# The interface in Serbian (README, Serbian in two scripts): gather the
# strings into the Cyrillic catalogue, which translators edit; write the Latin
# catalogue from it (every translation transliterated) and compile both. Needs
# GNU gettext (xgettext, msgfmt); the compiled .mo files are committed, so a
# machine without it still serves the translations.
messages: $(VENV)/.installed
	mkdir -p locale/sr/LC_MESSAGES
	$(DEV_ENV) $(PY) manage.py makemessages --locale sr --ignore 'tests/*' --ignore 'bench/*'
	$(DEV_ENV) $(PY) manage.py latinize_messages

lint:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
