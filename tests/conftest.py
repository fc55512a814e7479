"""Shared fixtures: reference tables, and paths to the bundled reports and fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetperf.reference import load_reference

ROOT = Path(__file__).resolve().parent.parent
REPORTS_DIR = ROOT / "data" / "reports"
FIXTURES_DIR = ROOT / "tests" / "fixtures" / "reports"


@pytest.fixture(scope="session")
def ref():
    """The bundled reference tables (data/regions.csv, data/unit_aliases.csv)."""
    return load_reference(str(ROOT / "data" / "regions.csv"), str(ROOT / "data" / "unit_aliases.csv"))


# ---------------------------------------------------------------------------
# dashboard: a store built once from data/reports, and per-test variants

def pytest_configure(config):
    # pytest.ini registers `browser`; keep the marker known if it is run without it
    if not any(line.startswith("browser") for line in config.getini("markers")):
        config.addinivalue_line("markers", "browser: real-browser tests (Playwright + Debian chromium)")


@pytest.fixture(scope="session")
def dash_store(tmp_path_factory, ref) -> Path:
    """The store built once per session from the four seed reports in data/reports."""
    from budgetperf.store import build_store

    db = tmp_path_factory.mktemp("dash") / "budgetperf.duckdb"
    results = build_store(REPORTS_DIR, db, ref)
    assert not [r for r in results if r.status == "failed"], results
    return db


@pytest.fixture
def dash_env(dash_store, monkeypatch) -> Path:
    """Point the app (settings BUDGETPERF_DB) at the seed store for this test."""
    monkeypatch.setenv("BUDGETPERF_DB", str(dash_store))
    return dash_store


@pytest.fixture(scope="session")
def make_store(tmp_path_factory, ref):
    """Factory for store variants: ``make_store([paths])`` builds a store from those
    report files (none: an empty store) and returns its path."""
    import shutil

    from budgetperf.store import build_store

    def build(reports: list[Path] = (), name: str = "variant") -> Path:
        folder = tmp_path_factory.mktemp(f"{name}_reports")
        for report in reports:
            shutil.copy(report, folder)
        db = tmp_path_factory.mktemp(name) / "budgetperf.duckdb"
        build_store(folder, db, ref)
        return db

    return build


@pytest.fixture(scope="session")
def scale_corpus(tmp_path_factory, ref) -> Path:
    """About 100× the seeds: ~400 synthetic reports (合成数据) of 20 regions, 2019-2025,
    written by `budgetperf synth` (reports/ and truth.json in the returned folder)."""
    from budgetperf.synth.corpus import write_corpus

    out = tmp_path_factory.mktemp("scale_corpus")
    write_corpus(out, regions=20, years=(2019, 2025), seed=1, ref=ref)
    return out


@pytest.fixture(scope="session")
def scale_store(tmp_path_factory, scale_corpus, ref) -> Path:
    """The store built once per session from `scale_corpus`: pages and queries at a
    province's scale."""
    from budgetperf.store import build_store

    db = tmp_path_factory.mktemp("scale") / "budgetperf.duckdb"
    results = build_store(scale_corpus / "reports", db, ref)
    assert not [r for r in results if r.status == "failed"], [r for r in results if r.status == "failed"][:3]
    return db
