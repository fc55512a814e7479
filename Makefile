# budgetperf: `make run` for the app, `make test` for everything (what CI runs).
#
#   make venv         .venv with requirements.txt and the budgetperf command (pip install -e .)
#   make system-deps  Debian chromium, Noto CJK font and LibreOffice (no GUI) via apt-get, when missing (never fails)
#   make store        build the DuckDB store from data/reports if it does not exist yet
#   make run          venv + system-deps + store, then streamlit run app.py
#   make test         the whole suite, browser tests included (CI: .ci/run)
#   make test-fast    the inner loop: pytest -m 'not browser'
#   make bench        python -m budgetperf bench --export: table + .bench/results.json
#   make accuracy     extraction accuracy on the seeds and the devset (every miss), and the layouts matrix
#   make audit-accuracy  audit findings against the seeds' and the devset's checks (recall, unmatched findings)
#   make links-accuracy  programme links across years: precision and recall on 60 synthetic regions
#   make clean        remove generated files (store, caches, screenshots, exports)
#   make distclean    clean + remove .venv and the benchmark's cache (.bench/)
#
# BUDGETPERF_DB / BUDGETPERF_CHROMIUM in the environment are honoured here as in the app
# (see budgetperf/settings.py); relative paths are relative to the repo root.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB := $(or $(BUDGETPERF_DB),data/budgetperf.duckdb)
CHROMIUM := $(or $(BUDGETPERF_CHROMIUM),/usr/bin/chromium)
# LibreOffice without its GUI (~300 MB): converts .doc/.wps/.et reports (budgetperf/reading/legacy.py)
LIBREOFFICE_PKGS := libreoffice-core-nogui libreoffice-writer-nogui libreoffice-calc-nogui

.PHONY: help venv system-deps store run test test-fast bench accuracy audit-accuracy links-accuracy clean distclean

help:
	@sed -n '3,14p' Makefile | sed 's/^# \{0,1\}//'

venv: $(STAMP)

# The stamp is touched only after a successful install, so a failed install is retried.
# Then budgetperf itself, editable (pyproject.toml): the `budgetperf` command in $(BIN).
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# Chromium renders PNG exports (kaleido) and runs the browser tests (Playwright);
# the Noto CJK font makes Chinese labels render instead of boxes; LibreOffice
# (headless, no GUI packages) converts .doc/.wps/.et reports. apt-get runs as
# root directly (CI containers), else through sudo when available; sudo is
# non-interactive (-n) when there is no terminal, so CI never hangs on a password.
# Every failure path prints a note and exits 0: tests that need the browser say so.
system-deps:
	@missing=""; \
	command -v "$(CHROMIUM)" >/dev/null 2>&1 || command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	{ fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; } || ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	lo=""; command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1 || lo=" $(LIBREOFFICE_PKGS)"; \
	if [ -z "$$missing$$lo" ]; then echo "system-deps: chromium, Noto CJK font and LibreOffice present"; exit 0; fi; \
	echo "system-deps: missing:$$missing$$lo"; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "NOTE: apt-get not available; install Chromium, the Noto Sans CJK font and LibreOffice with your package manager"; \
	  echo "      (browser tests and PNG export need the first two; .doc/.wps/.et reports need LibreOffice's soffice"; \
	  echo "      on PATH; set BUDGETPERF_CHROMIUM to the browser). Continuing."; \
	  echo "提示：本机没有 apt-get。请用本机的包管理器安装 Chromium、Noto Sans CJK 字体和 LibreOffice"; \
	  echo "      （PNG 导出与浏览器测试需要前两者；读取 .doc/.wps/.et 报告需要 LibreOffice 的 soffice 命令）。继续。"; \
	  exit 0; \
	fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then if [ -t 0 ]; then sudo="sudo"; else sudo="sudo -n"; fi; \
	else echo "NOTE: not root and no sudo; run as root: apt-get install -y$$missing$$lo. Continuing."; exit 0; fi; \
	{ $$sudo apt-get update \
	  && { [ -z "$$missing" ] || $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; } \
	  && { [ -z "$$lo" ] || $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$lo; }; } \
	  || echo "NOTE: apt-get install failed (offline? no permission?); install$$missing$$lo yourself. Continuing."

store: $(DB)

# Only when missing: rebuild explicitly with `.venv/bin/budgetperf build`.
# build exits 1 when some report failed to extract but still writes the store;
# the failures are listed above and shown in the app, so `make run` goes on.
$(DB): | $(STAMP)
	$(BIN)/budgetperf build || { test -f "$(DB)" && echo "WARNING: some reports failed to extract (listed above); store written anyway"; }

run: venv system-deps store
	$(BIN)/streamlit run app.py

test: venv system-deps
	$(BIN)/python -m pytest -q

test-fast: venv
	$(BIN)/python -m pytest -q -m 'not browser'

bench: venv
	$(BIN)/python -m budgetperf bench --export

# The devset's key and files are copied into tests/fixtures/devset (see its README).
accuracy: venv
	$(BIN)/python -m budgetperf score tests/seed_facts.json data/reports/*.txt --quiet | tail -n 1
	$(BIN)/python -m budgetperf score tests/fixtures/devset/expected.json $$(ls tests/fixtures/devset/* | grep -v -e expected.json -e README.md)
	$(BIN)/python -m budgetperf.bench.generality tests/seed_facts.json tests/fixtures/devset/expected.json

# The corpus is cached in .bench/ (BUDGETPERF_BENCH_DIR); the first run writes it (a minute or two).
links-accuracy: venv
	$(BIN)/python -m budgetperf bench --links

# The same pairing rules as the shared compare_checks.py (budgetperf/bench/checks.py).
audit-accuracy: venv
	$(BIN)/python -m budgetperf check-score tests/seed_facts.json data/reports/*.txt --quiet | tail -n 2
	$(BIN)/python -m budgetperf check-score tests/fixtures/devset/expected.json $$(ls tests/fixtures/devset/* | grep -v -e expected.json -e README.md)

clean:
	rm -rf data/*.duckdb data/*.duckdb.wal data/*.tmp data/*.tmp.wal data/*.lock screenshots/ exports/ .pytest_cache/
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) .bench/
