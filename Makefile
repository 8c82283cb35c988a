# zhibu — two commands: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install demo serve runserver worker bench-load test test-sqlite test-postgres lint api-fuzz bench bench-quick clean

$(STAMP): requirements.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Create the environment, migrate var/zhibu.sqlite3, load the demo (once) and serve http://127.0.0.1:8000 (another
# port: make demo DEMO_PORT=8080), with the background worker beside it (relights after a requirement change,
# reminders, exports); stopping the server (Ctrl-C) stops the worker too.
DEMO_PORT ?= 8000
DEMO_ADDR = 127.0.0.1:$(DEMO_PORT)
demo: install
	$(BIN)/zhibu migrate --noinput -v0
	$(BIN)/zhibu demo --address $(DEMO_ADDR)
	@$(BIN)/zhibu worker --interval 2 -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	ZHIBU_COOKIE_SECURE=false $(BIN)/zhibu runserver $(DEMO_ADDR) --noreload

serve: install
	$(BIN)/zhibu serve

worker: install
	$(BIN)/zhibu worker

runserver: install
	ZHIBU_COOKIE_SECURE=false $(BIN)/zhibu runserver 127.0.0.1:8000 --noreload

# Lint and format (ruff), import contracts, types of services and selectors (mypy, configured in
# pyproject.toml), Django's checks and the migrations check.
lint: install
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src
	$(BIN)/lint-imports
	$(BIN)/mypy
	DATABASE_URL=sqlite:///:memory: $(BIN)/zhibu check --fail-level WARNING
	DATABASE_URL=sqlite:///:memory: $(BIN)/zhibu makemigrations --check --dry-run

test-sqlite: install
	DATABASE_URL=sqlite:///:memory: $(BIN)/pytest

test-postgres: install
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

# Schemathesis over /api/v1/openapi.json as the demo secretary and district, on a throwaway copy of the demo
# database and a server on 127.0.0.1:$(API_FUZZ_PORT) that is stopped afterwards (about 2 minutes per persona).
API_FUZZ_PORT ?= 8711
api-fuzz: install
	$(BIN)/python -m zhibu.testing.schemathesis_run --port $(API_FUZZ_PORT)

# The whole suite: lint and checks, SQLite, and in CI (CI=true) PostgreSQL and the API fuzzing as well.
test: lint
	@if [ "$$CI" = "true" ]; then \
		$(MAKE) --no-print-directory test-sqlite && $(MAKE) --no-print-directory test-postgres \
			&& $(MAKE) --no-print-directory api-fuzz; \
	else \
		$(MAKE) --no-print-directory test-sqlite; \
	fi

bench: install
	$(BIN)/python -m zhibu.bench --full

# 200 Locust users for 60 s against gunicorn + PostgreSQL on a 1,000-branch district (LOAD_USERS, LOAD_SECONDS,
# LOAD_BRANCHES, BENCH_PG_URL to change); prints load_200u_p95_ms, load_200u_errors, load_200u_rps.
bench-load: install
	$(BIN)/python -m zhibu.loadtest

bench-quick: install
	$(BIN)/python -m zhibu.bench

clean:
	rm -rf $(VENV) var build src/*.egg-info
