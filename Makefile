# OneTrip — `make run` serves the embedded stack; `make test` runs the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
ONETRIP := $(VENV)/bin/onetrip
SIM_PORT ?= 9100
K100_SIM_PORT ?= 9101
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: install run test test-fast lint format bench migrations drills clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,drills]'
	touch $@

install: $(VENV)/.installed

# Embedded default: SQLite, jobs in-process, the local WeChat (and courier) simulators on loopback.
run: install
	$(ONETRIP) migrate
	$(ONETRIP) seed-demo
	@bash infra/run-local.sh $(PORT) $(SIM_PORT) $(K100_SIM_PORT)

test: install
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) -q

test-fast: install
	$(VENV)/bin/pytest -x -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

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
# into parts under 400 lines, applied in order).
migrations: install
	flock /tmp/onetrip-migrations.lock bash -c 'rm -f citizen_api/migrations/0*.py && \
	  ONETRIP_DATABASE_URL=sqlite://:memory: $(ONETRIP) makemigrations --name initial && \
	  $(PY) -m citizen_api.cli.migration_split citizen_api/migrations/0001_initial.py'

clean:
	rm -rf var .pytest_cache
