# ACVS — every command bootstraps what it needs: uv (from PyPI), Python deps (uv.lock), Chromium for browser tests,
# the RUM index extension for a local PostgreSQL server.
SHELL := /bin/bash
export PATH := $(HOME)/.local/bin:$(PATH)
export UV_PYTHON_DOWNLOADS := never
# Every command here runs on a development machine: plain http on 127.0.0.1, the development secret key
# (production is the settings' default: see docs/deployment.md).
export ACVS_ENV ?= development
UV := uv
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/acvs
# The whole suite runs on every core (pytest-xdist): each process has its own test database. Tests of a module that
# loads the demo once carry an xdist_group mark, so that module stays in one process.
JOBS ?= auto
SUITE := $(UV) run pytest -p no:cacheprovider -n $(JOBS) --dist loadgroup

.PHONY: run demo test test-sqlite test-postgres deploy-check restore-check lint format messages bench bench-availability bench-counter bench-booklet bench-contacts bench-observatory bench-exports uv deps chromium dovecot rum

## run: install, create the SQLite database with the demo network, serve on http://127.0.0.1:$(PORT) and run the
## background worker beside it (Procfile; Ctrl-C stops both)
run: demo
	$(UV) run honcho start --port $(PORT)

demo: deps rum
	$(UV) run python manage.py migrate --no-input -v0
	$(UV) run python manage.py load_reference
	$(UV) run python manage.py load_demo

## test: the whole suite (lint, catalogues, unit and browser tests) on SQLite and, when reachable, PostgreSQL
test: deps chromium dovecot rum lint
	@# The compiled catalogue is committed; recompile it when gettext is there, so that tests see the .po.
	@if command -v msgfmt >/dev/null; then $(UV) run python manage.py compilemessages -v0 --ignore=.venv; fi
	$(SUITE)
	@if pg_isready -q -h 127.0.0.1 -p 5432; then \
		DATABASE_URL=$(PG_URL) $(SUITE); \
	else echo "PostgreSQL not reachable on 127.0.0.1:5432: PostgreSQL run skipped"; fi

test-sqlite: deps dovecot
	$(UV) run pytest -p no:cacheprovider $(ARGS)

test-postgres: deps dovecot rum
	DATABASE_URL=$(PG_URL) $(UV) run pytest -p no:cacheprovider $(ARGS)

## deploy-check: Django's deployment checks with production settings (docs/deployment.md)
deploy-check: deps
	ACVS_ENV=production SECRET_KEY=$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))') \
		ALLOWED_HOSTS=acvs.example.org $(UV) run python manage.py check --deploy --fail-level WARNING

## restore-check: back up a demo database and its media, restore them elsewhere, compare (docs/deployment.md)
restore-check: deps
	bin/restore-check

## lint: ruff, and the apps' one-way import order (import-linter's contract in pyproject.toml)
lint: deps
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run lint-imports --no-cache

format: deps
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

## messages: refresh the French catalogues after changing translatable strings (and the booklet's other languages:
## acvs/booklet/locale, the texts a visitor reads in en, de, it, es, nl)
messages: deps
	$(UV) run python manage.py makemessages -l fr --no-location --ignore=.venv --ignore=var --ignore=bench
	cd acvs/booklet && $(UV) run python ../../manage.py makemessages -l en -l de -l it -l es -l nl --no-location
	$(UV) run python manage.py compilemessages --ignore=.venv

bench: deps rum
	$(UV) run python bench/search.py $(ARGS)

bench-availability: deps
	$(UV) run python bench/availability.py $(ARGS)

bench-counter: deps
	$(UV) run python bench/counter.py $(ARGS)

bench-observatory: deps
	$(UV) run python bench/observatory.py $(ARGS)

bench-booklet: deps
	$(UV) run python bench/booklet.py $(ARGS)

bench-contacts: deps
	$(UV) run python bench/contacts.py $(ARGS)

bench-exports: deps
	$(UV) run python bench/exports.py $(ARGS)

uv:
	@command -v uv >/dev/null || python3 -m pip install --quiet --user uv

deps: uv
	@$(UV) sync --frozen --quiet

# The answers' mailbox tests run Debian's dovecot as a local IMAP server (in a temporary directory, not system-wide).
dovecot:
	@command -v /usr/sbin/dovecot >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null; \
		else echo "Install Debian's dovecot-imapd package (sudo apt-get install dovecot-imapd)"; exit 1; fi; }

# Browser tests drive Debian's Chromium (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Install Debian's chromium package (sudo apt-get install chromium)"; exit 1; fi; }
	@# The booklet tests render PDF pages to PNG with poppler's pdftoppm.
	@command -v pdftoppm >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
		else echo "Install Debian's poppler-utils package (sudo apt-get install poppler-utils)"; exit 1; fi; }

# The offer search's RUM index (migration offer/0008) needs Debian's postgresql-<version>-rum on the server: installed
# here for every PostgreSQL server of this machine that lacks it (none installed: nothing to do, SQLite needs none).
rum:
	@for version in $$(ls /usr/lib/postgresql 2>/dev/null); do \
		[ -f /usr/share/postgresql/$$version/extension/rum.control ] && continue; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-$$version-rum >/dev/null; \
		else echo "Install Debian's postgresql-$$version-rum package (sudo apt-get install postgresql-$$version-rum)"; exit 1; fi; \
	done
