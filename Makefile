# Two commands: `make lab` (set up, then open the course in JupyterLab) and `make test`
# (set up, then run every test). Set-up is skipped when pyproject.toml has not changed.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HASH   := $(shell cat pyproject.toml Makefile | sha256sum | cut -c1-16)
STAMP  := $(VENV)/.installed-$(HASH)
PORT   ?= 8888
PYTEST_ARGS ?=
# nbgrader runs `alembic` by name when it creates a gradebook: the venv's tools go on PATH.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: setup lab test quick exam-demo site benchmarks clean

setup: $(STAMP)

$(STAMP):
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m mlcourse.setup_env
	@rm -f $(VENV)/.installed-*
	@touch $@
	@echo "mlcourse: environment ready in $(VENV)"

lab: setup
	$(VENV)/bin/jupyter lab --port=$(PORT) --ServerApp.root_dir="$(CURDIR)" \
	    --LabApp.default_url=/lab/tree/notebooks/00_why_hard.ipynb $(if $(filter 0,$(shell id -u)),--allow-root)

# Tests run on every core (pytest-xdist). A module's tests share one worker (--dist loadscope), so
# its fixtures (a graded class, a JupyterLab server) are built once; every test has a timeout.
TEST_WORKERS ?= auto
test: setup
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

quick: setup
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope -m "not slow and not browser" -x -q $(PYTEST_ARGS)

exam-demo: setup
	$(PY) -m mlcourse.exam.demo

# The course as a static website in _site/ (every lecture executed; offline; see README "Site").
SITE_ARGS ?=
site: setup
	$(PY) -m mlcourse.site --out _site $(SITE_ARGS)

# Every benchmark runs even when one misses its target; the exit status says whether any did.
# Grading runs a class of 20 here (stock nbgrader alone needs ~35 min for the default 200:
# `.venv/bin/python benchmarks/grading.py`).
GRADING_BENCH_ARGS ?= -n 20
benchmarks: setup
	@status=0; for f in benchmarks/*.py; do case $$f in */_*) continue;; esac; echo "== $$f"; \
	    case $$f in */grading.py) args="$(GRADING_BENCH_ARGS)";; *) args="";; esac; \
	    $(PY) $$f $$args || status=1; done; exit $$status

clean:
	rm -rf $(VENV) artifacts .pytest_cache _site
