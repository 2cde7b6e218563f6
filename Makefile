# ctodp — the two commands that matter are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= ctodp.settings.local

.PHONY: setup run test lint format migrations-check check-deploy static-check vendor seed clean lock

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

# The OpenID provider the tests sign in through (node-oidc-provider), in a folder of its own.
OIDC_PROVIDER := tests/oidc_provider
$(OIDC_PROVIDER)/node_modules/.installed: $(OIDC_PROVIDER)/package.json
	npm install --prefix $(OIDC_PROVIDER) --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/.copied: node_modules/.installed scripts/copy_vendor.py
	$(PY) scripts/copy_vendor.py
	touch $@

vendor: static/vendor/.copied

setup: $(VENV)/.installed vendor $(OIDC_PROVIDER)/node_modules/.installed

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	PORT=$(PORT) $(PY) scripts/run_dev.py

test: setup
	$(PY) scripts/run_tests.py $(ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(VENV)/.installed
	$(PY) manage.py makemigrations --check --dry-run

# Production settings with dummy secrets, as the image and `check --deploy` need them.
PRODUCTION_ENV := DJANGO_SETTINGS_MODULE=ctodp.settings.production \
	DJANGO_SECRET_KEY=ci-dummy-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG \
	DJANGO_ALLOWED_HOSTS=data.example.gov DATABASE_URL=sqlite:///var/check.sqlite3 \
	REDIS_URL=redis://127.0.0.1:6379/0 SOCRATA_DOMAIN=data.example.gov \
	CTODP_PUBLIC_BASE_URL=https://data.example.gov

check-deploy: $(VENV)/.installed
	$(PRODUCTION_ENV) $(PY) manage.py check --deploy --fail-level WARNING

# The production image runs collectstatic with the manifest storage: prove it works.
static-check: setup
	rm -rf var/static-check
	$(PRODUCTION_ENV) DJANGO_STATIC_ROOT=var/static-check $(PY) manage.py collectstatic --noinput -v0
	rm -rf var/static-check

# The image installs from these hashed locks (ADR 0024); regenerate after changing pyproject.toml
# or package.json. Only the public registries: the machine's own pip configuration is ignored.
LOCK := env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null $(VENV)/bin/pip-compile --quiet --generate-hashes \
	--strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
lock: $(VENV)/.installed
	$(LOCK) --output-file requirements.lock pyproject.toml
	$(LOCK) --extra dev --output-file requirements-dev.lock pyproject.toml
	npm install --package-lock-only --no-audit --no-fund --loglevel=error

seed: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

clean:
	rm -rf $(VENV) node_modules $(OIDC_PROVIDER)/node_modules static/vendor staticfiles var db.sqlite3
