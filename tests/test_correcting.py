"""correcting: a correction takes effect in the published store, survives a rebuild
and a re-ingest, can be undone, moves between installations, and a failed one
leaves nothing written. The CLI (`budgetperf corrections …`) over the same path."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from budgetperf.changes import corrections, reference_edits, writelog
from budgetperf.cli import main
from budgetperf.storing import building, committing, extracting, intake, loading
from budgetperf.storing.reference import load_reference
from tests.conftest import REPORTS_DIR, query_rows


@pytest.fixture
def env(write_env, tmp_path, monkeypatch, ref):
    """The seed reports in this test's reports folder, a store built from them, and a
    corrections file of this test's own."""
    monkeypatch.setenv("BUDGETPERF_CORRECTIONS", str(tmp_path / "corrections.jsonl"))
    monkeypatch.setenv("BUDGETPERF_FINDING_STATUSES", str(tmp_path / "finding_statuses.jsonl"))
    monkeypatch.setenv("BUDGETPERF_REFERENCE_EDITS", str(tmp_path / "reference_edits.jsonl"))
    for f in REPORTS_DIR.iterdir():
        if f.is_file() and not f.name.startswith("."):
            shutil.copy(f, write_env["BUDGETPERF_REPORTS_DIR"] / f.name)
    building.build_store(write_env["BUDGETPERF_REPORTS_DIR"], write_env["BUDGETPERF_DB"], ref)
    return write_env


def _a_budget(db):
    """(doc_id, file, content hash, project name, initial budget) of a project with one."""
    return query_rows(db, """select d.doc_id, d.file, d.content_hash, p.name, p.budget_initial_wan
                         from projects p join documents d using (doc_id)
                         where p.budget_initial_wan is not null order by d.file, p.seq limit 1""")[0]


def _budget_of(db, doc_id, name):
    rows = query_rows(db, "select budget_initial_wan from projects where doc_id = ? and name = ?", [doc_id, name])
    return rows[0][0] if rows else None


def _fix_budget(db, new=12345.6, reason="核对原文"):
    doc_id, file, h, name, old = _a_budget(db)
    record = corrections.make(h, "budget_initial", new, project=name, old_value=old, reason=reason, file=file)
    return doc_id, name, old, record


def test_a_correction_takes_effect_in_the_published_store_and_its_marts(env):
    db = env["BUDGETPERF_DB"]
    doc_id, name, old, record = _fix_budget(db)
    report = committing.submit([record], "张三")
    assert report.ok, report.message_zh
    assert "1 条生效" in report.message_zh and report.documents
    assert _budget_of(db, doc_id, name) == 12345.6
    # pages read the marts: they follow
    assert query_rows(db, "select budget_initial_wan from mart_projects where doc_id = ? and name = ?",
                  [doc_id, name])[0][0] == 12345.6
    (row,) = query_rows(db, "select field, extracted_value, new_value, status, editor, reason from corrections_applied")
    assert row == ("budget_initial", corrections._as_text(old), "12345.6", "applied", "张三", "核对原文")
    # the trail and the write log say who did it
    assert [e.action for e in writelog.read()][-1] == "correct"
    trail = committing.trail_frame()
    assert trail.loc[0, "编辑"] == "张三" and trail.loc[0, "状态"] == "生效"


def test_the_correction_survives_a_rebuild_and_a_reingest(env, ref):
    db, reports = env["BUDGETPERF_DB"], env["BUDGETPERF_REPORTS_DIR"]
    doc_id, name, _, record = _fix_budget(db)
    assert committing.submit([record], "张三").ok
    building.build_store(reports, db, ref)
    assert _budget_of(db, doc_id, name) == 12345.6
    # deleted, then the same file ingested again: the correction applies by content
    file = query_rows(db, "select file from documents where doc_id = ?", [doc_id])[0][0]
    kept = env["BUDGETPERF_ARCHIVE_DIR"].parent / "kept" / file
    kept.parent.mkdir()
    shutil.copy(reports / file, kept)
    intake.delete_reports([doc_id], "张三")
    assert _budget_of(db, doc_id, name) is None
    intake.add_reports([intake.prepare_one(intake.Incoming.from_path(kept), ref)], "张三")
    assert _budget_of(db, doc_id, name) == 12345.6


def test_a_rebuild_reextracts_only_the_corrected_document(env, ref, monkeypatch):
    db, reports = env["BUDGETPERF_DB"], env["BUDGETPERF_REPORTS_DIR"]
    doc_id, name, _, record = _fix_budget(db)
    corrections.append([record])  # made elsewhere (imported, or while a build ran)
    seen = []
    original = extracting.extract_one

    def counting(path, ref, index, by_doc=None):
        seen.append(path.name)
        return original(path, ref, index, by_doc)

    monkeypatch.setattr(extracting, "extract_one", counting)
    building.build_store(reports, db, ref)
    assert seen == [query_rows(db, "select file from documents where doc_id = ?", [doc_id])[0][0]]
    assert _budget_of(db, doc_id, name) == 12345.6


def test_a_build_catches_up_with_corrections_made_while_it_extracted(env, ref):
    db, reports = env["BUDGETPERF_DB"], env["BUDGETPERF_REPORTS_DIR"]
    doc_id, name, _, record = _fix_budget(db)
    corrections.append([record])  # the store does not carry it yet
    con = duckdb.connect(str(db))
    try:
        assert loading.stale_corrections(con, extracting.current_corrections()) == [doc_id]
        assert loading.catch_up_corrections(con, reports, ref) == 1
        assert loading.stale_corrections(con, extracting.current_corrections()) == []
        assert con.execute("select budget_initial_wan from projects where doc_id = ? and name = ?",
                           [doc_id, name]).fetchone()[0] == 12345.6
    finally:
        con.close()


def test_undo_brings_back_the_extracted_value(env):
    db = env["BUDGETPERF_DB"]
    doc_id, name, old, record = _fix_budget(db)
    assert committing.submit([record], "张三").ok
    report = committing.undo([record.id], "李四", "看错了")
    assert report.ok and "撤销" in report.message_zh
    assert _budget_of(db, doc_id, name) == old
    assert query_rows(db, "select count(*) from corrections_applied")[0][0] == 0
    statuses = dict(zip(committing.trail_frame()["id"], committing.trail_frame()["状态"]))
    assert statuses[record.id] == "已撤销"
    again = committing.undo([record.id], "李四")
    assert not again.ok and "找不到" in again.message_zh


def test_export_and_import_move_corrections_to_another_installation(env, tmp_path, monkeypatch):
    db = env["BUDGETPERF_DB"]
    doc_id, name, _, record = _fix_budget(db)
    assert committing.submit([record], "张三").ok
    exported = tmp_path / "moved.jsonl"
    assert corrections.export_records(exported, corrections.load()) == 1
    # another installation: same reports, its own corrections file, a store without the fix
    monkeypatch.setenv("BUDGETPERF_CORRECTIONS", str(tmp_path / "elsewhere.jsonl"))
    building.build_store(env["BUDGETPERF_REPORTS_DIR"], db, load_reference())
    assert _budget_of(db, doc_id, name) != 12345.6
    report = committing.import_file(exported, "王五")
    assert report.ok and _budget_of(db, doc_id, name) == 12345.6
    (moved,) = corrections.load()
    assert (moved.id, moved.editor, moved.reason) == (record.id, "张三", "核对原文")  # kept as it was made
    assert "没有新的更正" in committing.import_file(exported, "王五").message_zh


def test_a_failed_correction_leaves_nothing_written(env):
    db, reports = env["BUDGETPERF_DB"], env["BUDGETPERF_REPORTS_DIR"]
    doc_id, name, old, record = _fix_budget(db)
    file = query_rows(db, "select file from documents where doc_id = ?", [doc_id])[0][0]
    (reports / file).rename(reports / (file + ".away"))  # the original is gone
    before = db.stat().st_mtime_ns
    report = committing.submit([record], "张三")
    assert not report.ok and "找不到原件" in report.message_zh
    assert db.stat().st_mtime_ns == before and _budget_of(db, doc_id, name) == old
    assert corrections.active(corrections.load()) == []  # appended, then undone
    assert writelog.read()[-1].outcome == "failed"


def test_a_correction_of_a_document_not_in_the_store_is_refused(env):
    record = corrections.make("0" * 64, "year", 2023, reason="核对")
    report = committing.submit([record], "张三")
    assert not report.ok and "不在库中" in report.message_zh
    assert corrections.load() == []
    assert not committing.submit([record], "").ok  # no editor, no write


def test_finding_status_and_not_a_report(env):
    db = env["BUDGETPERF_DB"]
    doc_id, h, kind, project, what, key = query_rows(db, """
        select c.doc_id, d.content_hash, c.kind, p.name, c.what, c.finding_key
        from checks c join documents d using (doc_id) left join projects p using (project_id)
        order by c.check_id limit 1""")[0]
    assert key == corrections.finding_key(kind, project, what)
    assert query_rows(db, "select distinct status from checks") == [("未处理",)]
    status = corrections.make(h, "finding_status", "已核实", finding=key, reason="与原文一致")
    report = committing.submit([status], "张三")
    assert report.ok and "1 条生效" in report.message_zh, report.message_zh
    before = {r[0]: r[1] for r in query_rows(db, "select year, sum(checks) from agg_checks group by year")}
    assert query_rows(db, "select status, status_by from checks where finding_key = ? and doc_id = ?", [key, doc_id]) == [
        ("已核实", "张三")]
    # a settled finding no longer counts as open on 总览
    assert query_rows(db, "select count(*) from mart_checks where status = '未处理'")[0][0] == sum(before.values())
    # not a report: kept and readable, in no figure
    assert committing.submit([corrections.make(h, "not_a_report", "是", reason="是通知，不是报告")], "张三").ok
    assert query_rows(db, "select is_excluded from documents where doc_id = ?", [doc_id]) == [(True,)]
    assert query_rows(db, "select count(*) from projects where doc_id = ?", [doc_id]) == [(0,)]
    assert query_rows(db, "select count(*) from source_lines where doc_id = ?", [doc_id])[0][0] > 0
    assert query_rows(db, "select count(*) from mart_documents where doc_id = ?", [doc_id]) == [(0,)]


def test_a_region_edit_reextracts_the_documents_it_can_change(env):
    db = env["BUDGETPERF_DB"]
    doc_id, region, code = query_rows(db, """select d.doc_id, d.region, r.code from documents d join regions r using (region)
                                          order by d.file limit 1""")[0]
    row = query_rows(db, "select level, city, province from regions where region = ?", [region])[0]
    edit = reference_edits.make_region(region, row[0], row[1] or "", row[2], "999999", reason="代码更新", editor="")
    report = committing.submit_reference([edit], "张三")
    assert report.ok and report.documents
    assert query_rows(db, "select code from regions where region = ?", [region]) == [("999999",)]
    assert query_rows(db, "select region_code from documents where doc_id = ?", [doc_id]) == [("999999",)]
    assert committing.undo_reference([edit.id], "张三").ok
    assert query_rows(db, "select code from regions where region = ?", [region]) == [(code,)]


def test_cli_corrections_add_list_undo_export_import(env, tmp_path, capsys):
    db = env["BUDGETPERF_DB"]
    doc_id, file, _, name, old = _a_budget(db)
    assert main.main(["corrections", "add", file, "年初预算", "77", "--project", name, "--reason", "核对原文"]) == 0
    assert "1 条生效" in capsys.readouterr().out and _budget_of(db, doc_id, name) == 77
    assert main.main(["corrections", "add", file, "budget_initial", "abc", "--project", name, "--reason", "x"]) == 2
    assert "应为数字" in capsys.readouterr().err
    assert main.main(["corrections", "add", file, "no_such_field", "1", "--reason", "x"]) == 2
    assert main.main(["corrections", "add", "nope.txt", "year", "2020", "--reason", "x"]) == 2
    assert "库中没有" in capsys.readouterr().err
    main.main(["corrections", "list"])
    listed = capsys.readouterr().out
    assert "77" in listed and "已更正" in listed
    (record,) = corrections.active(corrections.load())
    assert main.main(["corrections", "export", str(tmp_path / "out.jsonl")]) == 0
    assert main.main(["corrections", "undo", record.id, "--reason", "错了"]) == 0
    assert _budget_of(db, doc_id, name) == old
    assert main.main(["corrections", "import", str(tmp_path / "missing.jsonl")]) == 2
    assert main.main(["corrections", "list", "--all"]) == 0
    assert "已撤销" in capsys.readouterr().out


def test_the_measurement_script_runs_on_the_seeds():
    import subprocess
    import sys

    from tests.conftest import ROOT

    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "measure_correction_cost.py"), "--repeat", "1"],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "one correction or undo, published: median" in out.stdout and "refresh marts" in out.stdout
