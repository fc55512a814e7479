# budgetperf on a bureau's intranet: the dashboard (with uploads for editors), the
# `budgetperf` command, PNG/PPTX export through Debian's Chromium, Chinese fonts.
#
#   docker build -t budgetperf .
#   docker run -d --name budgetperf -p 8501:8501 -v budgetperf-data:/data \
#       -v /srv/budgetperf/secrets.toml:/app/.streamlit/secrets.toml:ro budgetperf
#
# Everything that changes lives in the /data volume: the store, the reports it is
# built from, archived originals, the write log, the corrections, the finding statuses
# and the reference-table edits (see README「部署」); tests/test_intake.py checks that
# every file a write keeps is set under /data. The port is
# PORT (default 8501). Written without a Docker engine at hand: build it once and
# open the app before relying on it.
FROM python:3.11-slim-bookworm

ENV DEBIAN_FRONTEND=noninteractive \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# What `make system-deps` installs: Chromium renders PNG exports (kaleido), the Noto CJK
# font draws Chinese labels, LibreOffice without its GUI (~300 MB) converts .doc/.wps/.et
# reports. tini reaps Chromium's and LibreOffice's child processes; util-linux gives
# prlimit, which bounds a conversion's memory.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-noto-cjk tini util-linux \
       libreoffice-core-nogui libreoffice-writer-nogui libreoffice-calc-nogui \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The pinned dependencies first, so a code change does not reinstall them (the same
# two steps as `make venv`).
COPY requirements.txt ./
RUN python -m venv .venv && .venv/bin/pip install -r requirements.txt

COPY . .
RUN .venv/bin/pip install --no-deps --no-build-isolation -e . \
    && touch .venv/.installed \
    && rm -f data/*.duckdb data/*.lock data/write_log.jsonl \
    && useradd --create-home --uid 1000 budgetperf \
    && mkdir -p /data \
    && chown budgetperf /data \
    && chmod +x docker-entrypoint.sh

ENV PATH=/app/.venv/bin:$PATH \
    PORT=8501 \
    BUDGETPERF_DB=/data/budgetperf.duckdb \
    BUDGETPERF_REPORTS_DIR=/data/reports \
    BUDGETPERF_ARCHIVE_DIR=/data/archive \
    BUDGETPERF_WRITE_LOG=/data/write_log.jsonl \
    BUDGETPERF_CORRECTIONS=/data/corrections.jsonl \
    BUDGETPERF_FINDING_STATUSES=/data/finding_statuses.jsonl \
    BUDGETPERF_DUPLICATE_DECISIONS=/data/duplicate_decisions.jsonl \
    BUDGETPERF_REFERENCE_EDITS=/data/reference_edits.jsonl \
    BUDGETPERF_OCR_CACHE_DIR=/data/ocr_cache \
    BUDGETPERF_CHROMIUM=/usr/bin/chromium

USER budgetperf
VOLUME /data
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${PORT}/_stcore/health', timeout=4)"

ENTRYPOINT ["tini", "--", "/app/docker-entrypoint.sh"]
