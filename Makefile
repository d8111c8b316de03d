# ictmonitor: `make demo` starts the demo, `make test` runs every test (SQLite, then PostgreSQL).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
REQUIREMENTS := $(wildcard requirements*.txt) constraints.txt pyproject.toml
LINT_PATHS := $(wildcard src tests bench agent)
PYTHON_CANDIDATES := python3.13 python3.12 \
	$(sort $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python)) \
	$(sort $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python))
DEMO_ARGS ?=
PYTEST_ARGS ?=

.PHONY: venv install install-dev system-deps demo test lint clean

venv: $(PY)

$(PY):
	@for p in $(PYTHON_CANDIDATES); do \
	  if "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    echo "Creating $(VENV) with $$p"; \
	    "$$p" -m venv $(VENV) && $(PY) -m pip install --quiet --upgrade pip \
	      || { rm -rf $(VENV); exit 1; }; \
	    exit 0; \
	  fi; \
	done; \
	echo "No Python >= 3.12 found (tried: $(PYTHON_CANDIDATES)); install Python 3.12 or 3.13." >&2; \
	exit 1

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: $(PY) $(REQUIREMENTS)
	$(PY) -m pip install --quiet -c constraints.txt -r requirements.txt -e .
	$(VENV)/bin/ictmonitor collectstatic --noinput --verbosity 0
	@touch $@

$(VENV)/.installed-dev: $(PY) $(REQUIREMENTS)
	$(PY) -m pip install --quiet -c constraints.txt -r requirements-dev.txt -e .
	$(VENV)/bin/ictmonitor collectstatic --noinput --verbosity 0
	@touch $@ $(VENV)/.installed

# Debian packages the tests need, installed only when missing.
system-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	pg=$$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sed 's|.*/postgresql/\([0-9]*\)/.*|\1|' \
	  | sort -n | tail -1); \
	[ -n "$$pg" ] || pg=$$(apt-cache depends postgresql 2>/dev/null \
	  | sed -n 's/.*Depends: postgresql-\([0-9][0-9]*\)$$/\1/p' | head -1); \
	ls /usr/share/postgresql/$$pg/extension/pg_partman.control >/dev/null 2>&1 \
	  || missing="$$missing postgresql-$${pg:-15}-partman"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -x /usr/bin/chromedriver ] || missing="$$missing chromium-driver"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	[ -z "$$missing" ] && exit 0; \
	sudo=""; \
	if [ "$$(id -u)" != 0 ]; then \
	  command -v sudo >/dev/null 2>&1 && sudo=sudo \
	    || { echo "Need root or sudo to install:$$missing" >&2; exit 1; }; \
	fi; \
	echo "Installing:$$missing"; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q \
	  && $$sudo env DEBIAN_FRONTEND=noninteractive \
	     apt-get install -y -q --no-install-recommends $$missing

demo: install
	$(VENV)/bin/ictmonitor migrate
	$(VENV)/bin/ictmonitor demo $(DEMO_ARGS)

# Both runs always happen; the target fails if either does. The tests keep their data in a
# temporary folder and never use a database named in ICTMONITOR_DATABASE_URL.
test: system-deps install-dev
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/lint-imports --no-cache
	@data=$$(mktemp -d); trap 'rm -rf "$$data"' EXIT; \
	export ICTMONITOR_DATA_DIR="$$data"; unset ICTMONITOR_DATABASE_URL; \
	echo "== mypy"; $(VENV)/bin/mypy || exit $$?; \
	echo "== agent (standard library only)"; \
	PYTHONPATH=agent/src $(VENV)/bin/python -S -m unittest discover -s agent/tests -t agent \
	  || exit $$?; \
	echo "== pytest on SQLite"; sqlite=0; $(VENV)/bin/pytest $(PYTEST_ARGS) || sqlite=$$?; \
	echo "== pytest on PostgreSQL"; pg=0; $(VENV)/bin/pytest --postgresql $(PYTEST_ARGS) || pg=$$?; \
	[ $$sqlite = 0 ] || echo "make test: the SQLite run failed (exit $$sqlite)" >&2; \
	[ $$pg = 0 ] || echo "make test: the PostgreSQL run failed (exit $$pg)" >&2; \
	[ $$sqlite = 0 ] && [ $$pg = 0 ]

# ruff's checks (style, imports, bugs, security), the layers (.importlinter: core imports no app,
# an app only another's selectors) and mypy on the domain code. The code is laid
# out by hand within ruff's 100 columns, not by `ruff format`, so the format check is not run.
lint: install-dev
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis bench/out src/*.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
