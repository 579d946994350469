# OneTrip — `make run` serves the embedded stack; `make test` runs the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
ONETRIP := $(VENV)/bin/onetrip
SIM_PORT ?= 9100
K100_SIM_PORT ?= 9101
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: install run test test-fast lint format bench migrations drills clean web web-types web-test

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,drills]'
	touch $@

install: $(VENV)/.installed web

# -- the staff workbench (web/: Vue 3 + Vite + Element Plus), built into web/dist and served by the app at
# /workbench/ and /hall/{office_code}. npm ci runs when the lock changed, the build when a web source did
# (stamp files); without node/npm both are skipped with a message and the pages say how to build them.
NPM ?= npm
HAVE_NODE := $(shell command -v node >/dev/null 2>&1 && command -v $(NPM) >/dev/null 2>&1 && echo yes)
NO_NODE := echo "web: node/npm not found: the workbench is not built (install Node.js >= 20.19 and npm, then make install)"
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/hall.html \
	web/vite.config.ts web/tsconfig.json web/package.json

web/node_modules/.installed: web/package-lock.json web/package.json
	@if [ -z "$(HAVE_NODE)" ]; then $(NO_NODE); exit 0; fi; \
	cd web && $(NPM) ci --no-audit --no-fund && touch node_modules/.installed

web/.build-stamp: web/node_modules/.installed $(WEB_SOURCES)
	@if [ -z "$(HAVE_NODE)" ]; then $(NO_NODE); exit 0; fi; \
	cd web && $(NPM) run build && $(NPM) run --silent size && touch .build-stamp

web: web/.build-stamp

# regenerate web/src/api/schema.d.ts (and its digest) after an API change; tests/test_web_types.py checks it
web-types: $(VENV)/.installed web/node_modules/.installed
	cd web && PYTHON=$(abspath $(PY)) $(NPM) run gen:api

web-test: web/node_modules/.installed
	@if [ -z "$(HAVE_NODE)" ]; then echo "web: node/npm not found: Vitest skipped"; exit 0; fi; \
	cd web && $(NPM) test

# Embedded default: SQLite, jobs in-process, the local WeChat (and courier) simulators on loopback.
run: install
	$(ONETRIP) migrate
	$(ONETRIP) seed-demo
	@bash infra/run-local.sh $(PORT) $(SIM_PORT) $(K100_SIM_PORT)

test: install web-test
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) -q

test-fast: install
	$(VENV)/bin/pytest -x -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	@if [ -n "$(HAVE_NODE)" ]; then cd web && $(NPM) run --silent lint; fi

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	@for b in bench/*.py; do [ "$$(basename $$b)" = "_common.py" ] && continue; echo "== $$b"; $(PY) $$b || exit 1; done

# Fault drills of issue 8, each a script that prints its figures and exits non-zero when a goal fails:
# 1 schemathesis, 2 load (bench/load.py), 3 Redis outage, 4 worker SIGKILL (bench/notify.py), 5 PostgreSQL
# restart. All run even when one fails; the target fails if any did.
DRILLS ?= drills/schema_fuzz.py bench/load.py drills/redis_outage.py bench/notify.py drills/pg_restart.py
drills: install
	@failed=""; for d in $(DRILLS); do echo "== $$d"; $(PY) $$d || failed="$$failed $$d"; done; \
	if [ -n "$$failed" ]; then echo "drills failed:$$failed"; exit 1; fi; echo "all drills passed"

# Until the first release the schema is one initial migration, regenerated from the models (and split
# into parts under 400 lines, applied in order). The hand-written ones (0100_…: the rollup's triggers)
# follow the last part; they stand aside while the parts are written.
migrations: install
	flock /tmp/onetrip-migrations.lock bash -c 'set -e; keep=$$(mktemp -d); \
	  mv citizen_api/migrations/01*.py $$keep/; trap "mv $$keep/*.py citizen_api/migrations/" EXIT; \
	  rm -f citizen_api/migrations/0*_initial*.py; \
	  ONETRIP_DATABASE_URL=sqlite://:memory: $(ONETRIP) makemigrations --name initial; \
	  $(PY) -m citizen_api.cli.migration_split citizen_api/migrations/0001_initial.py'

clean:
	rm -rf var .pytest_cache
