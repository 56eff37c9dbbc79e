# Skills Portal — the commands a newcomer can guess.
#   make run    set everything up and start the portal on http://127.0.0.1:8000/ (PORT=8080 ...)
#   make demo-reset  delete the default SQLite database and its private files, load the demo again
#   make test   set everything up and run the whole test suite
#   make lint   ruff and the migrations check
#   make serve  production: gunicorn and the task worker (needs DATABASE_URL, SECRET_KEY, ...)
#   make bench  median times and query counts of the main operations
#   make loadtest  locust against gunicorn + PostgreSQL on loopback (not part of make test)
#   make lock   rewrite the dependency locks in requirements/ from pyproject.toml
#   make sso-demo  the demo with a local OpenID Connect provider: Northfield signs in through it

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Development defaults; every one can be overridden from the environment.
export DEBUG ?= 1
export DJANGO_SETTINGS_MODULE := skillsportal.settings
# The port of `make run` and `make serve`: `make run PORT=8080`, or PORT in the environment.
PORT ?= 8000

.PHONY: run serve test lint bench loadtest lock setup setup-test migrate demo demo-reset sso-demo

# The first Python >= 3.12 found: on PATH (pyenv shims included), then under pyenv.
FIND_PYTHON := for c in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.1[3-9]*/bin/python3 \
		$$HOME/.pyenv/versions/3.12*/bin/python3; do \
	"$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo "$$c"; break; }; \
	done

# Dependencies come from the hash-checked locks in requirements/ (`make lock` writes them
# from pyproject.toml): base.txt is the portal (`make run`, `make serve`), test.txt adds the
# test tools (`make test`), pip.txt is pip itself. Whenever pyproject.toml or a lock changes,
# the virtual environment is built again from scratch, so it holds exactly the lock.
# --build-constraint: XStatic-Bootstrap's sdist still builds with pkg_resources.
PIP_INSTALL := $(PY) -m pip install --quiet --require-hashes \
	--build-constraint .ci/build-constraints.txt
define NEW_VENV
	@py="$$($(FIND_PYTHON))"; \
	if [ -z "$$py" ]; then \
		echo "Skills Portal needs Python 3.12 or newer (python3.12 or python3.13 on PATH)." >&2; \
		echo "None was found: install one (e.g. apt-get install python3.12, or pyenv)." >&2; \
		exit 1; \
	fi; \
	rm -rf $(VENV) && "$$py" -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements/pip.txt
endef

$(VENV)/.installed-base: pyproject.toml requirements/pip.txt requirements/base.txt
	$(NEW_VENV)
	$(PIP_INSTALL) -r requirements/base.txt
	@touch $@

# test.txt holds base.txt's pins too, so a test environment serves `make run` as well.
$(VENV)/.installed-test: pyproject.toml requirements/pip.txt requirements/base.txt requirements/test.txt
	$(NEW_VENV)
	$(PIP_INSTALL) -r requirements/test.txt
	@touch $@ $(VENV)/.installed-base

setup: $(VENV)/.installed-base
setup-test: $(VENV)/.installed-test

# Rewrites the locks, keeping every pinned version that still satisfies pyproject.toml;
# `make lock UPGRADE=--upgrade` moves each to its newest. uv is installed for this only.
LOCK = $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.12 --generate-hashes \
	--custom-compile-command "make lock" $(UPGRADE)
lock: setup
	$(PY) -m pip install --quiet uv
	$(LOCK) requirements/pip.in -o requirements/pip.txt
	$(LOCK) pyproject.toml -o requirements/base.txt
	$(LOCK) pyproject.toml --extra test -c requirements/base.txt -o requirements/test.txt
	$(LOCK) pyproject.toml --extra load -c requirements/test.txt -o requirements/load.txt

# Development only: a git-ignored .env that makes a plain `manage.py` in this checkout run
# with DEBUG on (settings.read_local_env). `make serve` never writes one.
.env:
	@printf '# Written by make for development; never on a production machine.\nDEBUG=1\n' > $@

migrate: setup .env
	$(MANAGE) migrate --noinput

# Idempotent: natural keys make a second load update rows instead of adding new ones.
demo: migrate
	$(MANAGE) loaddata k12-it-leadership k12-it-leadership-2026-2
	$(MANAGE) load_demo

# Starts the demo over: only for the default SQLite file (db.sqlite3) and the default private
# folder (var/private); with DATABASE_URL or PRIVATE_STORAGE_ROOT set, it deletes nothing.
demo-reset: setup .env
	@$(PY) -c 'from django.conf import settings as s; import sys; sys.exit(not (str(s.DATABASES["default"]["NAME"]) == str(s.BASE_DIR / "db.sqlite3") and s.PRIVATE_STORAGE_ROOT == s.BASE_DIR / "var" / "private"))' \
		|| { echo "make demo-reset deletes only the default SQLite file and var/private: DATABASE_URL or PRIVATE_STORAGE_ROOT is set, so nothing was deleted." >&2; exit 1; }
	rm -rf db.sqlite3 db.sqlite3-journal db.sqlite3-wal db.sqlite3-shm var/private
	$(MAKE) --no-print-directory demo

run: demo
	@echo ""
	@echo "Skills Portal is starting on http://127.0.0.1:$(PORT)/"
	@echo "Sign in with the password skills-demo-2026 as, for example:"
	@echo "  cto@northfield.example (district CTO and team lead), netadmin@northfield.example (staff),"
	@echo "  superintendent@, hr@ or admin@northfield.example, root@skillsportal.example (platform admin)."
	@echo "Demo accounts only: README.md lists them all. Stop with Ctrl-C."
	@echo ""
	@# The task worker runs beside the server and stops with it (the EXIT trap).
	@trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT; trap 'exit 143' TERM; \
	$(MANAGE) db_worker --no-reload & worker=$$!; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# `make run` with single sign-on: a local OpenID Connect provider on SSO_PORT (tests/oidc)
# knows every demo account, and Northfield signs in through it (`manage.py sso_demo`).
# Its sign-in form takes any password: it stands in for Google or Entra ID on this machine.
SSO_PORT ?= 8200
sso-demo: demo $(OIDC_PROVIDER)
	$(MANAGE) sso_demo --issuer http://127.0.0.1:$(SSO_PORT) --portal http://127.0.0.1:$(PORT) \
		--provider-config var/sso-demo-provider.json
	@echo ""
	@echo "Skills Portal is starting on http://127.0.0.1:$(PORT)/ with Northfield's single sign-on"
	@echo "through the provider on http://127.0.0.1:$(SSO_PORT)/. Sign in as netadmin@northfield.example:"
	@echo "type the email, choose \"Use my district's sign-in\", then sign in at the provider."
	@echo ""
	@trap 'kill $$worker $$provider 2>/dev/null; wait' EXIT; trap 'exit 130' INT; trap 'exit 143' TERM; \
	node tests/oidc/provider.mjs var/sso-demo-provider.json & provider=$$!; \
	$(MANAGE) db_worker --no-reload & worker=$$!; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# Production: gunicorn on 0.0.0.0:$(PORT) (8000 by default) and a task worker, DEBUG off,
# static files served by the app. Needs DATABASE_URL, SECRET_KEY and ALLOWED_HOSTS (README,
# "Deployment"). Both processes stop together. gunicorn's limits: skillsportal/gunicorn.conf.py.
serve: export DEBUG := 0
serve: setup
	@test -n "$$DATABASE_URL" || { echo "make serve needs DATABASE_URL, e.g. postgres://user:password@host:5432/skillsportal" >&2; exit 1; }
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	@trap 'kill $$web $$worker 2>/dev/null; wait' EXIT; trap 'exit 130' INT; trap 'exit 143' TERM; \
	$(MANAGE) db_worker --no-reload & worker=$$!; \
	$(VENV)/bin/gunicorn skillsportal.wsgi -c skillsportal/gunicorn.conf.py \
		--bind 0.0.0.0:$(PORT) --access-logfile - & web=$$!; \
	wait $$web

# The OpenID Connect provider the SSO tests and `make sso-demo` run (tests/oidc): the
# certified `oidc-provider` npm package, installed from its lock. Needs Node.js 20+ and npm.
OIDC_PROVIDER := tests/oidc/node_modules/.package-lock.json
$(OIDC_PROVIDER): tests/oidc/package.json tests/oidc/package-lock.json
	@command -v npm >/dev/null || { echo "The SSO tests need Node.js 20+ and npm (apt-get install nodejs npm)." >&2; exit 1; }
	npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error
	@touch $@

test: setup-test .env $(OIDC_PROVIDER)
	$(MANAGE) makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup-test .env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

# Timings only (never pass/fail): a throwaway SQLite file, or DATABASE_URL when set.
bench: setup-test .env
	$(PY) -m tests.benchmarks.run

# Load test (not part of `make test`): a throwaway PostgreSQL database, gunicorn and the
# task worker on 127.0.0.1, locust for DURATION seconds; README, "Load test".
loadtest: setup
	$(PY) -c 'import locust' 2>/dev/null || $(PIP_INSTALL) -r requirements/load.txt
	bash loadtest/run.sh
