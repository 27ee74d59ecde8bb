# Portal SENAE — the two commands of the README:
#   make demo   starts the portal with demo data on embedded defaults (SQLite, tasks in-process)
#   make test   runs the whole test suite (PostgreSQL and Redis on 127.0.0.1, as on the dev/CI machines)
#   make bench  seeds the benchmark volumes (once) and measures the portal against a DRF baseline (bench/README.md)
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/senae_portal
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?= -n 2

.PHONY: demo test lint sistema bench bench-transparencia clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $@

sistema:
	bash scripts/paquetes_sistema.sh

demo: $(VENV)/.runtime
	env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL $(PY) manage.py migrate --noinput
	env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL $(PY) manage.py seed_demo
	env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL $(PY) manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

test: sistema $(VENV)/.dev lint
	env -u DJANGO_SETTINGS_MODULE DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(VENV)/bin/pytest $(PYTEST_ARGS)

# Benchmarks (not part of `make test`): BENCH_ARGS="--escala 0.05 --duracion 5" for a quick run.
bench: $(VENV)/.dev
	bash scripts/paquetes_sistema.sh wrk
	env -u DJANGO_SETTINGS_MODULE -u DATABASE_URL $(PY) -m bench.correr $(BENCH_ARGS)

# Transparency statistics against the bare SQL GROUP BY, on a separate PostgreSQL database (bench/README.md).
bench-transparencia: $(VENV)/.runtime
	env -u DJANGO_SETTINGS_MODULE $(PY) bench/transparencia.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media .pytest-media tests/e2e/capturas bench/.staticfiles bench/.resultados
