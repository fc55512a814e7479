"""Lost writes (issue 19 item 1): `build` extracts the reports folder outside the
writer lock, so people keep writing meanwhile; under the lock it lays what they
wrote over its draft (`building._rebase`), so a build never undoes an ingest, an
upload, a deletion, a correction, a finding status or a reference edit.

The concurrent write runs at the exact step: once the build has extracted every
file and before it takes the lock to publish (a wrapper around
`loading.staged_build`), never after a sleep.

Before the fix: the build published what it had read, so an ingest made during
it was gone (3 of 4 runs), a deleted document came back (its original already
archived), a reference edit was not in the region table.
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager

import pytest

from budgetperf.changes import corrections, reference_edits
from budgetperf.storing import building, committing, intake, loading, store
from tests.conftest import FIXTURES_DIR

KEPT = [FIXTURES_DIR / "special_fund_expenses_mismatch.txt", FIXTURES_DIR / "pipe_table.txt"]
NEW = FIXTURES_DIR / "several_projects_in_narrative.txt"
PROJECT = "农村公路养护专项资金"


@pytest.fixture
def env(write_env, tmp_path, monkeypatch, ref) -> dict:
    monkeypatch.setenv("BUDGETPERF_CORRECTIONS", str(tmp_path / "corrections.jsonl"))
    monkeypatch.setenv("BUDGETPERF_REFERENCE_EDITS", str(tmp_path / "reference_edits.jsonl"))
    for path in KEPT:
        shutil.copy(path, write_env["BUDGETPERF_REPORTS_DIR"])
    building.build_store(ref=ref)
    return write_env


def _during_build(monkeypatch, write) -> list:
    """Run `write` inside the next build, after its files were extracted (outside the
    lock) and before it publishes. Returns what `write` returned (in a list)."""
    real = loading.staged_build
    done = []

    @contextmanager
    def staged(*args, **kwargs):
        with real(*args, **kwargs) as build:
            done.append(write())
            yield build

    monkeypatch.setattr(loading, "staged_build", staged)
    return done


def _query(sql: str, params=()) -> list:
    with store.connect() as con:
        return con.execute(sql, list(params)).fetchall()


def _files() -> list[str]:
    return sorted(f for (f,) in _query("select file from documents"))


def _hash_of(file: str) -> str:
    return _query("select content_hash from documents where file = ?", [file])[0][0]


def test_an_ingest_during_a_build_is_kept(env, monkeypatch, ref):
    done = _during_build(monkeypatch, lambda: intake.add_reports(
        intake.prepare([intake.Incoming.from_path(NEW)], ref), "张三", via="cli"))
    results = building.build_store(ref=ref)
    assert [p.result.status for p in done[0].items] == ["added"]
    assert _files() == sorted([p.name for p in KEPT] + [NEW.name])
    assert NEW.name in [r.file for r in results]  # and the build says so


def test_an_upload_during_a_build_is_kept(env, monkeypatch, ref):
    upload = intake.Incoming("上传的报告.txt", data=NEW.read_bytes())
    _during_build(monkeypatch, lambda: intake.add_reports([intake.prepare_one(upload, ref)], "张三"))
    building.build_store(ref=ref)
    assert "上传的报告.txt" in _files()
    assert (env["BUDGETPERF_REPORTS_DIR"] / "上传的报告.txt").read_bytes() == NEW.read_bytes()


def test_a_deletion_during_a_build_stays_deleted(env, monkeypatch, ref):
    doc_id = _hash_of(KEPT[1].name)[:16]
    done = _during_build(monkeypatch, lambda: intake.delete_reports([doc_id], "张三"))
    results = building.build_store(ref=ref)
    assert [d.status for d in done[0].items] == ["deleted"]
    assert _files() == [KEPT[0].name]
    assert KEPT[1].name not in [r.file for r in results]
    assert not (env["BUDGETPERF_REPORTS_DIR"] / KEPT[1].name).exists()


def test_a_replacement_during_a_build_keeps_the_new_version(env, monkeypatch, ref):
    newer = KEPT[1].read_text(encoding="utf-8") + "\n附注：修订版\n"
    replacement = intake.Incoming(KEPT[1].name, data=newer.encode("utf-8"))
    _during_build(monkeypatch, lambda: intake.add_reports([intake.prepare_one(replacement, ref)], "张三"))
    building.build_store(ref=ref)
    import hashlib

    assert _hash_of(KEPT[1].name) == hashlib.sha256(newer.encode("utf-8")).hexdigest()
    assert len(_files()) == 2


def test_a_correction_during_a_build_is_kept(env, monkeypatch, ref):
    record = corrections.make(_hash_of(KEPT[0].name), "budget_initial", "123", project=PROJECT, reason="核对原文",
                              file=KEPT[0].name)
    done = _during_build(monkeypatch, lambda: committing.submit([record], "张三"))
    building.build_store(ref=ref)
    assert done[0].ok
    assert _query("select budget_initial_wan from projects join documents using (doc_id) where file = ? and name = ?",
                  [KEPT[0].name, PROJECT]) == [(123,)]


def test_a_finding_status_during_a_build_is_kept(env, ref, monkeypatch):
    doc_hash = _hash_of(KEPT[0].name)
    (key,) = _query("select finding_key from checks join documents using (doc_id) where file = ? limit 1",
                    [KEPT[0].name])[0]
    status = corrections.make(doc_hash, "finding_status", "已核实", finding=key, reason="与原文一致")
    _during_build(monkeypatch, lambda: committing.submit([status], "张三"))
    building.build_store(ref=ref)
    assert _query("select status from checks join documents using (doc_id) where file = ? and finding_key = ?",
                  [KEPT[0].name, key]) == [("已核实",)]


def test_a_reference_edit_during_a_build_is_kept(env, monkeypatch, ref):
    edit = reference_edits.make_region("临江新区", "district", "滨海市", "某某省", "999901", reason="新设", editor="张三")
    _during_build(monkeypatch, lambda: committing.submit_reference([edit], "张三"))
    building.build_store(ref=ref)
    assert _query("select region from regions where region = '临江新区'") == [("临江新区",)]


def test_writes_during_a_build_through_separate_processes(env, monkeypatch, ref):
    """The CLI's own path: an ingest and a deletion by other processes while the
    build runs, each at the exact step."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    doc_id = _hash_of(KEPT[1].name)[:16]

    def other_writers():
        for command in (["ingest", str(NEW)], ["delete", doc_id]):
            done = subprocess.run([sys.executable, "-m", "budgetperf", *command], cwd=ROOT, capture_output=True,
                                  text=True, timeout=300)
            assert done.returncode == 0, done.stdout + done.stderr
        return True

    _during_build(monkeypatch, other_writers)
    building.build_store(ref=ref)
    assert _files() == sorted([KEPT[0].name, NEW.name])
