# Portal Contador. `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
TEST_ENV := DJANGO_SETTINGS_MODULE=accountant_portal.settings.test
# pytest-xdist processes (each with its own test database and Redis database); 0 runs in one process.
TEST_WORKERS ?= 2

.PHONY: install run test lint bench loadtest messages worker clean

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	scripts/run.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install
	scripts/system-deps.sh
	$(BIN)/ruff check .
	bash -c 'source scripts/services.sh && $(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run && $(TEST_ENV) $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)'

bench: install
	bash -c 'source scripts/services.sh && $(TEST_ENV) $(BIN)/python bench/run.py'

# Locust against gunicorn + a worker on a seeded database (loadtest/run.sh); not part of `make test`.
loadtest: install
	PYTHON=$(PYTHON) bash loadtest/run.sh

messages: install
	cd accountant_portal/.. && $(BIN)/python manage.py makemessages -l es --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests
	$(BIN)/python manage.py compilemessages -l es --ignore=.venv

worker: install
	bash -c 'source scripts/services.sh && $(BIN)/celery -A accountant_portal worker -B --loglevel INFO'

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
