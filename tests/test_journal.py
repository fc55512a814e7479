"""Kill windows (issue 19 item 7): every write is one journaled step (intent, publish,
commit), so the reports folder, the corrections and reference-edit logs, the write
log and the store agree whatever moment a writer dies at.

Each write runs in its own process told to die by SIGKILL at one step
(``BUDGETPERF_TEST_DIE_AT``, `journal.checkpoint`); then the next start recovers
(`publish.recover_pending`, as the CLI and the app do) and everything must agree: a
write killed before its commit point never happened, one killed after it happened
exactly once (no log entry twice, no original missing, no record lost).

Before the fix: originals were placed before the store was published, a correction
appended before its publish (2 of 6 kills left it in the file but not in the
store), and the write log appended after publishing (a published write unlogged).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from budgetperf.changes import corrections, reference_edits, writelog
from budgetperf.storing import extracting, intake, journal, loading, publish, store
from tests.conftest import FIXTURES_DIR, ROOT

KEPT = [FIXTURES_DIR / "special_fund_expenses_mismatch.txt", FIXTURES_DIR / "pipe_table.txt"]
NEW = FIXTURES_DIR / "several_projects_in_narrative.txt"
CORRECTED_FILE, CORRECTED_PROJECT = KEPT[0].name, "农村公路养护专项资金"
NEW_REGION = "临江新区"

UPLOAD = """
import sys
from pathlib import Path
from budgetperf.storing import intake
p = Path(sys.argv[1])
intake.add_reports([intake.prepare_one(intake.Incoming(p.name, data=p.read_bytes()), intake.load_reference())],
                   "张三", via="app")
"""
REFERENCE = f"""
from budgetperf.changes import reference_edits
from budgetperf.storing import committing
edit = reference_edits.make_region("{NEW_REGION}", "district", "滨海市", "某某省", "999901", reason="新设", editor="张三")
committing.submit_reference([edit], "张三")
"""
WRITES = {
    "ingest": ([sys.executable, "-m", "budgetperf", "ingest", str(NEW)], "add"),
    "upload": ([sys.executable, "-c", UPLOAD, str(NEW)], "add"),
    "delete": ([sys.executable, "-m", "budgetperf", "delete", KEPT[1].name], "delete"),
    "correction": ([sys.executable, "-m", "budgetperf", "corrections", "add", CORRECTED_FILE, "budget_initial", "123",
                    "--project", CORRECTED_PROJECT, "--reason", "核对原文"], "correct"),
    "reference": ([sys.executable, "-c", REFERENCE], "reference"),
    "build": ([sys.executable, "-m", "budgetperf", "build"], "build"),
}
# Every write at every step; the writes that share their moves with another (an
# upload is an ingest, a build and a reference edit only append) at the steps
# around the commit point.
CASES = [(w, s) for w in ("ingest", "delete", "correction") for s in journal.STEPS] + [
    (w, s) for w in ("upload", "reference", "build") for s in ("intent", "publish", "commit")]


def _paths(base: Path) -> dict[str, Path]:
    return {
        "BUDGETPERF_DB": base / "store" / "budgetperf.duckdb",
        "BUDGETPERF_REPORTS_DIR": base / "reports",
        "BUDGETPERF_ARCHIVE_DIR": base / "archive",
        "BUDGETPERF_WRITE_LOG": base / "write_log.jsonl",
        "BUDGETPERF_CORRECTIONS": base / "corrections.jsonl",
        "BUDGETPERF_FINDING_STATUSES": base / "finding_statuses.jsonl",
        "BUDGETPERF_REFERENCE_EDITS": base / "reference_edits.jsonl",
    }


@pytest.fixture(scope="module")
def base(tmp_path_factory, ref) -> Path:
    """A store of two reports, their originals in the reports folder, written once."""
    folder = tmp_path_factory.mktemp("journal_base")
    paths = _paths(folder)
    paths["BUDGETPERF_DB"].parent.mkdir()
    paths["BUDGETPERF_REPORTS_DIR"].mkdir()
    with pytest.MonkeyPatch.context() as mp:
        for key, value in paths.items():
            mp.setenv(key, str(value))
        report = intake.add_reports(intake.prepare([intake.Incoming.from_path(p) for p in KEPT], ref), "测试")
        assert [p.result.status for p in report.items] == ["added", "added"]
    return folder


@pytest.fixture
def env(base, tmp_path, monkeypatch) -> dict[str, Path]:
    folder = tmp_path / "w"
    shutil.copytree(base, folder)
    paths = _paths(folder)
    for key, value in paths.items():
        monkeypatch.setenv(key, str(value))
    return paths


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _state(env: dict[str, Path]) -> dict:
    """Everything a write may change, in comparable form."""
    db = env["BUDGETPERF_DB"]
    with store.connect(db) as con:
        docs = dict(con.execute("select file, content_hash from documents").fetchall())
        budget = con.execute("select budget_initial_wan from projects join documents using (doc_id) "
                             "where file = ? and name = ?", [CORRECTED_FILE, CORRECTED_PROJECT]).fetchone()
        regions = {r for (r,) in con.execute("select region from regions where region = ?", [NEW_REGION]).fetchall()}
        stale = loading.stale_corrections(con, extracting.current_corrections())
    reports = env["BUDGETPERF_REPORTS_DIR"]
    return {
        "docs": docs,
        "folder": {p.name: _sha(p) for p in reports.iterdir() if not p.name.startswith(".")},
        "staged": sorted(p.name for p in reports.iterdir() if p.name.startswith(".")),
        "archive": sorted(p.name for p in env["BUDGETPERF_ARCHIVE_DIR"].glob("*")),
        "corrections": [c.id for c in corrections.load()],
        "edits": [e.id for e in reference_edits.load()],
        "log": [e.action for e in writelog.read()],
        "budget": budget[0] if budget else None,
        "regions": regions,
        "stale_corrections": stale,
        "journal": journal.journal_path(db).exists(),
        "drafts": [p.name for p in publish.draft_paths(db)],
    }


def _agrees(state: dict) -> None:
    """The invariants after any recovery: the store holds exactly the originals in
    the folder, carries exactly the corrections kept, and nothing is left half-done."""
    assert state["docs"] == state["folder"], "store and reports folder disagree"
    assert state["stale_corrections"] == [], "the store does not carry the corrections kept"
    assert state["staged"] == [] and not state["journal"] and state["drafts"] == []
    assert bool(state["regions"]) == bool(state["edits"]), "region table and reference edits disagree"


def _expected(write: str, before: dict) -> dict:
    """The state after the write took effect once."""
    after = {**before, "log": before["log"] + [WRITES[write][1]]}
    if write in ("ingest", "upload"):
        after["docs"] = {**before["docs"], NEW.name: _sha(NEW)}
        after["folder"] = {**before["folder"], NEW.name: _sha(NEW)}
    elif write == "delete":
        after["docs"] = {k: v for k, v in before["docs"].items() if k != KEPT[1].name}
        after["folder"] = {k: v for k, v in before["folder"].items() if k != KEPT[1].name}
    elif write == "correction":
        after["budget"] = 123
    elif write == "reference":
        after["regions"] = {NEW_REGION}
    return after


def _comparable(state: dict) -> dict:
    # ids of new records and archive names are made by the write: compare their number
    return {**state, "corrections": len(state["corrections"]), "edits": len(state["edits"]),
            "archive": len(state["archive"])}


@pytest.mark.parametrize("write, step", CASES, ids=[f"{w}-{s}" for w, s in CASES])
def test_a_write_killed_at_any_step_is_finished_or_undone_by_the_next_start(env, write, step):
    before = _state(env)
    command, _ = WRITES[write]
    killed = subprocess.run(command, cwd=ROOT, env={**os.environ, journal.DIE_AT: step}, capture_output=True,
                            text=True, timeout=600)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert publish.recover_pending(env["BUDGETPERF_DB"]) in (None, "forward", "back")
    state = _state(env)
    _agrees(state)
    published = journal.STEPS.index(step) >= journal.STEPS.index("publish")
    expected = _expected(write, before) if published else before
    got, want = _comparable(state), _comparable(expected)
    if write == "correction" and published:
        want["corrections"] += 1
    if write == "reference" and published:
        want["edits"] += 1
    if write == "delete" and published:
        want["archive"] += 1
    assert got == want


def test_the_cli_recovers_when_it_starts(env):
    killed = subprocess.run(WRITES["ingest"][0], cwd=ROOT, env={**os.environ, journal.DIE_AT: "publish"},
                            capture_output=True, timeout=600)
    assert killed.returncode == -signal.SIGKILL
    assert journal.journal_path(env["BUDGETPERF_DB"]).exists()
    info = subprocess.run([sys.executable, "-m", "budgetperf", "info"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert info.returncode == 0, info.stderr
    state = _state(env)
    _agrees(state)
    assert NEW.name in state["folder"] and state["log"].count("add") == 3


def test_the_app_recovers_when_it_opens_the_store(env):
    from streamlit.testing.v1 import AppTest

    killed = subprocess.run(WRITES["delete"][0], cwd=ROOT, env={**os.environ, journal.DIE_AT: "commit"},
                            capture_output=True, timeout=600)
    assert killed.returncode == -signal.SIGKILL
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    state = _state(env)
    _agrees(state)
    assert KEPT[1].name not in state["folder"] and state["log"][-1] == "delete"


def test_a_failed_write_keeps_no_record(env, monkeypatch):
    """A correction whose publish fails (the disk full at the commit point) leaves
    neither a record nor an undo record behind."""
    import errno

    from budgetperf.storing import committing

    with store.connect(env["BUDGETPERF_DB"]) as con:
        content_hash = con.execute("select content_hash from documents where file = ?", [CORRECTED_FILE]).fetchone()[0]
    record = corrections.make(content_hash, "budget_initial", "123", project=CORRECTED_PROJECT, reason="核对",
                              file=CORRECTED_FILE)
    real = publish.os.replace

    def full(src, dst):
        if str(dst) == str(env["BUDGETPERF_DB"]):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(publish.os, "replace", full)
    report = committing.submit([record], "张三")
    assert not report.ok and "磁盘空间不足" in report.message_zh
    assert corrections.load() == [] and not journal.journal_path(env["BUDGETPERF_DB"]).exists()
