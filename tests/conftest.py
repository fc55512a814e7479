"""Shared fixtures: reference tables, and paths to the bundled reports and fixtures."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from budgetperf.storing.reference import load_reference

ROOT = Path(__file__).resolve().parent.parent
REPORTS_DIR = ROOT / "data" / "reports"
FIXTURES_DIR = ROOT / "tests" / "fixtures" / "reports"


def ingest(db, paths, ref=None) -> list:
    """Add files to the store at `db` the way `budgetperf ingest` does, one write per
    file (intake: originals kept beside the store, each write logged); returns one
    IngestResult per path."""
    from budgetperf.storing import intake

    db = Path(db)
    results = []
    for path in paths:
        prepared = intake.prepare([intake.Incoming.from_path(path)], ref)
        report = intake.add_reports(prepared, "测试", via="test", db_path=db, reports_dir=db.parent / "originals",
                                    archive_dir=db.parent / "archive", ref=ref)
        results += [p.result for p in report.items]
    return results


def query_rows(db, sql, params=()) -> list[tuple]:
    """The rows of one SQL statement on the store at `db`, opened read-only and closed
    again (so a writer may follow)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def ref():
    """The bundled reference tables (data/regions.csv, data/unit_aliases.csv)."""
    return load_reference(str(ROOT / "data" / "regions.csv"), str(ROOT / "data" / "unit_aliases.csv"))


@pytest.fixture(scope="session", autouse=True)
def isolated_write_env(tmp_path_factory):
    """Writes made by tests (CLI subprocesses included: they inherit os.environ) keep
    originals, archive, write log and corrections under a temp folder, never in the
    repo's data/."""
    import os

    base = tmp_path_factory.mktemp("write_env")
    values = {
        "BUDGETPERF_REPORTS_DIR": str(base / "reports"),
        "BUDGETPERF_ARCHIVE_DIR": str(base / "archive"),
        "BUDGETPERF_WRITE_LOG": str(base / "write_log.jsonl"),
        "BUDGETPERF_CORRECTIONS": str(base / "corrections.jsonl"),
        "BUDGETPERF_FINDING_STATUSES": str(base / "finding_statuses.jsonl"),
        "BUDGETPERF_DUPLICATE_DECISIONS": str(base / "duplicate_decisions.jsonl"),
        "BUDGETPERF_REFERENCE_EDITS": str(base / "reference_edits.jsonl"),
        "BUDGETPERF_EDITORS": "",
    }
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    yield base
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def write_env(tmp_path, monkeypatch) -> dict[str, Path]:
    """A store, reports folder, archive and write log of this test's own (also set
    in the environment, so the app, intake and CLI subprocesses use them)."""
    paths = {
        "BUDGETPERF_DB": tmp_path / "store" / "budgetperf.duckdb",
        "BUDGETPERF_REPORTS_DIR": tmp_path / "reports",
        "BUDGETPERF_ARCHIVE_DIR": tmp_path / "archive",
        "BUDGETPERF_WRITE_LOG": tmp_path / "write_log.jsonl",
        "BUDGETPERF_FINDING_STATUSES": tmp_path / "finding_statuses.jsonl",
        "BUDGETPERF_DUPLICATE_DECISIONS": tmp_path / "duplicate_decisions.jsonl",
    }
    paths["BUDGETPERF_DB"].parent.mkdir()
    paths["BUDGETPERF_REPORTS_DIR"].mkdir()
    for key, value in paths.items():
        monkeypatch.setenv(key, str(value))
    return paths


# ---------------------------------------------------------------------------
# dashboard: a store built once from data/reports, and per-test variants

def pytest_configure(config):
    # pytest.ini registers `browser`; keep the marker known if it is run without it
    if not any(line.startswith("browser") for line in config.getini("markers")):
        config.addinivalue_line("markers", "browser: real-browser tests (Playwright + Debian chromium)")


@pytest.fixture(scope="session")
def dash_store(tmp_path_factory, ref) -> Path:
    """The store built once per session from the four seed reports in data/reports."""
    from budgetperf.storing.building import build_store

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

    from budgetperf.storing.building import build_store

    def build(reports: list[Path] = (), name: str = "variant") -> Path:
        folder = tmp_path_factory.mktemp(f"{name}_reports")
        for report in reports:
            shutil.copy(report, folder)
        db = tmp_path_factory.mktemp(name) / "budgetperf.duckdb"
        build_store(folder, db, ref)
        return db

    return build


@pytest.fixture(scope="session")
def province_store(tmp_path_factory, ref) -> Path:
    """A province-sized store, about 100× the seeds: every seed report copied under
    about 250 other counties and districts with years shifted (tests/province.py),
    built once per session (issue 9's scenario: ~400 reports)."""
    from budgetperf.storing.building import build_store
    from tests.province import write_corpus

    folder = tmp_path_factory.mktemp("province_reports")
    write_corpus(folder, copies=100)
    db = tmp_path_factory.mktemp("province") / "budgetperf.duckdb"
    results = build_store(folder, db, ref)
    assert not [r for r in results if r.status == "failed"], [r for r in results if r.status == "failed"][:3]
    return db


@pytest.fixture
def province_env(province_store, monkeypatch) -> Path:
    """Point the app at the province-sized store for this test."""
    monkeypatch.setenv("BUDGETPERF_DB", str(province_store))
    return province_store


# ---------------------------------------------------------------------------
# writing from the app: editor accounts and the 数据管理 page

EDITOR, PASSWORD = "张三", "correct horse battery"


@pytest.fixture(scope="session")
def editor_hash() -> str:
    from budgetperf.changes.editors import hash_password

    return hash_password(PASSWORD)


@pytest.fixture
def editor_env(write_env, dash_store, editor_hash, monkeypatch) -> dict[str, Path]:
    """write_env with the seed store copied in and one editor (EDITOR/PASSWORD)
    configured; the login limiter starts fresh."""
    import shutil

    from budgetperf.changes import editors

    shutil.copy(dash_store, write_env["BUDGETPERF_DB"])
    monkeypatch.setenv("BUDGETPERF_EDITORS", f"{EDITOR}={editor_hash}")
    monkeypatch.setattr(editors, "LIMITER", editors.LoginLimiter())
    return write_env


@pytest.fixture(scope="module")
def editor_env_module(tmp_path_factory, dash_store, editor_hash):
    """editor_env for a whole module (one upload shared by parametrized tests)."""
    import os
    import shutil

    base = tmp_path_factory.mktemp("editor_env")
    paths = {
        "BUDGETPERF_DB": base / "store" / "budgetperf.duckdb",
        "BUDGETPERF_REPORTS_DIR": base / "reports",
        "BUDGETPERF_ARCHIVE_DIR": base / "archive",
        "BUDGETPERF_WRITE_LOG": base / "write_log.jsonl",
    }
    paths["BUDGETPERF_DB"].parent.mkdir()
    paths["BUDGETPERF_REPORTS_DIR"].mkdir()
    shutil.copy(dash_store, paths["BUDGETPERF_DB"])
    values = {k: str(v) for k, v in paths.items()} | {"BUDGETPERF_EDITORS": f"{EDITOR}={editor_hash}"}
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    yield paths
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def open_manage(timeout: int = 60):
    """The 数据管理 page under AppTest (from app.py, as users reach it)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.switch_page("pages/manage.py")
    return at.run()


def login(at, name: str = EDITOR, password: str = PASSWORD):
    """Fill the login form and submit it."""
    at.text_input(key="admin.login.name").input(name)
    at.text_input(key="admin.login.password").input(password)
    next(b for b in at.button if b.label == "登录").click()
    return at.run()


def preview_table(at):
    """The upload preview shown on the page (a DataFrame with Chinese headers)."""
    return next(df.value for df in at.dataframe if "预计结果" in df.value.columns)
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
    from budgetperf.storing.building import build_store

    db = tmp_path_factory.mktemp("scale") / "budgetperf.duckdb"
    results = build_store(scale_corpus / "reports", db, ref)
    assert not [r for r in results if r.status == "failed"], [r for r in results if r.status == "failed"][:3]
    return db
