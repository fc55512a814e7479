"""The same report in another file, in the store (issue 18): flagged at ingest and
upload, counted once in the marts and the pages' queries until someone decides,
the verdict both ways surviving a rebuild, and the bad inputs of a verdict."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys

import pandas as pd
import pytest

from budgetperf.changes import duplicates, writelog
from budgetperf.cli import main
from budgetperf.storing import committing, intake, journal, publish, store
from budgetperf.storing import duplicates as deciding
from budgetperf.synth.layouts import render_docx, render_pipe
from tests.conftest import REPORTS_DIR, ROOT, ingest, login, open_manage, preview_table, query_rows
from tests.test_layouts import _facts
from tests.test_manage import commit, outcome_table, texts, upload

SEED = REPORTS_DIR / "000_c45d5bc83af97699.txt"
COPY = "000_copy_gbk.txt"  # the same report in GB18030, as a bureau might send it again


def _gbk_copy(folder) -> bytes:
    data = SEED.read_text(encoding="utf-8").encode("gb18030")
    (folder / COPY).write_bytes(data)
    return data


def _figures(db) -> tuple:
    """What the pages count: documents (「来源：N 份报告」), the budget and projects of
    the overview's key figures, the execution page's project count."""
    with store.connect(db) as con:
        docs = store.run_query("common/doc_count", con=con)["docs"].iloc[0]
        kpis = store.run_query("overview/kpis_by_year", con=con)
        projects = store.run_query("execution/summary", con=con, warning_pct=90.0)["projects"].iloc[0]
    return int(docs), round(float(kpis["budget_wan"].sum()), 2), int(kpis["projects"].sum()), int(projects)


def _ingest(paths, ref) -> None:
    """Add files one write each, as `budgetperf ingest` does, into this test's store
    and reports folder (the settings `write_env` made), so a rebuild finds them."""
    for path in paths:
        report = intake.add_reports(intake.prepare([intake.Incoming.from_path(path)], ref), "测试", via="test")
        assert not report.has_failures


@pytest.fixture
def env(write_env, tmp_path):
    """Write settings of this test's own and an incoming folder holding the seed and its copy."""
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    shutil.copy(SEED, incoming / SEED.name)
    _gbk_copy(incoming)
    return write_env | {"incoming": incoming}


@pytest.fixture
def single(tmp_path_factory, ref) -> tuple:
    """The figures of a store holding the seed alone."""
    db = tmp_path_factory.mktemp("single") / "s.duckdb"
    ingest(db, [SEED], ref)
    return _figures(db)


# ---------------------------------------------------------------------------
# flagged at ingest

def test_the_ingest_line_says_probable_duplicate_and_stores_the_copy(env, capsys):
    assert main.main(["ingest", str(env["incoming"] / SEED.name)]) == 0
    capsys.readouterr()
    assert main.main(["ingest", str(env["incoming"] / COPY)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"新增\u3000{COPY}：可能与已入库的《{SEED.name}》为同一份报告（同一单位（")
    assert "项目的名称、预算、执行数、得分和指标数都相同" in line and "暂不计入统计" in line
    db = env["BUDGETPERF_DB"]
    seed_id = query_rows(db, "select doc_id from documents where file = ?", [SEED.name])[0][0]
    assert query_rows(db, "select duplicate_of from documents where file = ?", [COPY]) == [(seed_id,)]
    assert (env["BUDGETPERF_REPORTS_DIR"] / COPY).is_file()  # kept: a rebuild flags it again
    entry = writelog.read()[-1]
    assert entry.file == COPY and "可能与已入库的" in entry.detail


def test_the_json_ingest_names_the_stored_report(env, capsys):
    main.main(["ingest", str(env["incoming"] / SEED.name)])
    capsys.readouterr()
    main.main(["ingest", "--json", str(env["incoming"] / COPY)])
    result = json.loads(capsys.readouterr().out)["results"][0]
    assert result["status"] == "added"
    assert result["same_report"]["kind"] == "duplicate" and result["same_report"]["file"] == SEED.name


def test_another_version_counts_and_is_named(env, ref, capsys):
    """Same unit, year, kind and project, other figures (a corrected resubmission):
    not a duplicate, both count, and the line says it may be a newer version."""
    facts = _facts()
    older, newer = env["incoming"] / "v1.txt", env["incoming"] / "v2.txt"
    older.write_bytes(render_pipe(facts))
    newer.write_bytes(render_pipe(dataclasses.replace(facts, project=dataclasses.replace(facts.project, executed=84.2))))
    main.main(["ingest", str(older)])
    capsys.readouterr()
    main.main(["ingest", str(newer)])
    line = capsys.readouterr().out
    assert "与已入库的《v1.txt》单位、年度、类型和项目相同，但数字不同：如是修订版本，请删除旧版本" in line
    assert "可能与已入库的" not in line
    assert query_rows(env["BUDGETPERF_DB"], "select count(*) from mart_documents") == [(2,)]


def test_a_build_lists_the_copies_it_left_out(env, capsys):
    for f in env["incoming"].iterdir():
        shutil.copy(f, env["BUDGETPERF_REPORTS_DIR"] / f.name)
    assert main.main(["build"]) == 0
    out = capsys.readouterr().out
    assert f"可能重复\u3000{COPY}：可能与《{SEED.name}》为同一份报告" in out


# ---------------------------------------------------------------------------
# counted once until someone decides

def test_a_probable_duplicate_counts_once_in_marts_and_pages(env, ref, single):
    db = env["BUDGETPERF_DB"]
    _ingest([env["incoming"] / SEED.name, env["incoming"] / COPY], ref)
    assert query_rows(db, "select count(*) from documents") == [(2,)]  # stored, both
    assert _figures(db) == single  # counted, once
    assert query_rows(db, "select count(distinct doc_id) from mart_projects") == [(1,)]
    assert query_rows(db, "select sum(docs) from agg_projects") == [(1,)]
    assert query_rows(db, "select count(*) from mart_checks c join documents d using (doc_id) where d.file = ?",
                 [COPY]) == [(0,)]
    # 数据管理 lists it, with the copy that counts
    with store.connect(db) as con:
        listed = store.run_query("manage/documents", con=con).set_index("file")
        pairs = store.run_query("manage/duplicates", con=con, status=None)
    assert listed.loc[COPY, "duplicate_note"] == f"可能重复，待判定（计入的是《{SEED.name}》）"
    assert pd.isna(listed.loc[SEED.name, "duplicate_note"])
    assert list(zip(pairs["file"], pairs["original_file"], pairs["status"])) == [(COPY, SEED.name, "probable")]


def test_a_link_to_a_left_out_copy_stands_for_the_copy_that_counts(write_env, tmp_path, ref):
    """The linker takes the first file of a year; when that is the copy left out, the
    same-programme comparison shows the project of the copy that counts."""
    facts = dataclasses.replace(_facts(), unit="乐亭县交通运输局", year=2022)
    later = dataclasses.replace(facts, year=2023, project=dataclasses.replace(
        facts.project, name="某某乡村道路养护专项资金", executed=70.0))
    (tmp_path / "z_2022.docx").write_bytes(render_docx(facts))
    (tmp_path / "a_2022.txt").write_bytes(render_pipe(facts))  # sorts first, ingested last
    (tmp_path / "m_2023.txt").write_bytes(render_pipe(later))
    db = write_env["BUDGETPERF_DB"]
    ingest(db, [tmp_path / "z_2022.docx", tmp_path / "m_2023.txt", tmp_path / "a_2022.txt"], ref)
    assert query_rows(db, "select earlier_file from mart_program_links") == [("z_2022.docx",)]


# ---------------------------------------------------------------------------
# deciding, both ways, through rebuilds

def _rebuild():
    results, problem = intake.rebuild("测试", via="test")
    assert problem is None and not [r for r in results if r.status == "failed"]


def test_the_verdict_both_ways_survives_a_rebuild(env, ref, single):
    db = env["BUDGETPERF_DB"]
    _ingest([env["incoming"] / SEED.name, env["incoming"] / COPY], ref)
    doubled = (2, round(single[1] * 2, 2), single[2] * 2, single[3] * 2)

    report = deciding.decide(COPY, "不是同一份", "两份是不同批次的报送", "张三")
    assert report.ok, report.message_zh
    assert report.message_zh == f"已判定「{COPY}」与「{SEED.name}」不是同一份：两份都计入统计"
    assert _figures(db) == doubled
    _rebuild()
    assert _figures(db) == doubled
    assert query_rows(db, "select status, decided_by from duplicate_pairs") == [("distinct", "张三")]

    report = deciding.decide(COPY, "同一份报告", "逐项核对一致", "张三", via="cli")
    assert report.ok, report.message_zh
    assert _figures(db) == single
    _rebuild()
    assert _figures(db) == single
    assert query_rows(db, "select status, decision_reason from duplicate_pairs") == [("same", "逐项核对一致")]
    assert query_rows(db, "select verdict, outcome from duplicate_decisions") == [("same", "applied")]

    # the log is the trail: both verdicts kept, the later one in force
    assert [d.verdict for d in duplicates.load()] == ["distinct", "same"]
    trail = committing.trail_frame()
    assert sorted(trail.loc[trail["字段"] == "重复判定", "状态"]) == ["已撤销", "生效"]
    assert [e.outcome for e in writelog.read() if e.action == "duplicate"] == ["distinct", "same"]


def test_the_earlier_copy_counts_after_a_rebuild(env, ref):
    """The copy ingested first counts, and keeps counting after a rebuild (which
    would otherwise stamp both alike and take the first by file name)."""
    db = env["BUDGETPERF_DB"]
    _ingest([env["incoming"] / COPY, env["incoming"] / SEED.name], ref)
    assert query_rows(db, "select file from documents where duplicate_of is not null") == [(SEED.name,)]
    _rebuild()
    assert query_rows(db, "select file from documents where duplicate_of is not null") == [(SEED.name,)]


# ---------------------------------------------------------------------------
# bad input

@pytest.mark.parametrize("copy, verdict, reason, editor, message", [
    ("gone.txt", "同一份报告", "核对", "张三", "库中找不到文档「gone.txt」（可能已被删除），请刷新页面后再试"),
    (SEED.name, "同一份报告", "核对", "张三", f"「{SEED.name}」不是可能重复的报告"),
    (COPY, "也许是", "核对", "张三", "判定只能是「同一份报告」或「不是同一份」"),
    (COPY, "同一份报告", " ", "张三", "请写明判定理由"),
    (COPY, "同一份报告", "核对", "", "请先以编辑身份登录"),
])
def test_a_verdict_that_cannot_be_made_says_why_and_writes_nothing(env, ref, copy, verdict, reason, editor, message):
    db = env["BUDGETPERF_DB"]
    _ingest([env["incoming"] / SEED.name, env["incoming"] / COPY], ref)
    log_before = writelog.read()
    report = deciding.decide(copy, verdict, reason, editor)
    assert not report.ok and message in report.message_zh
    assert duplicates.load() == [] and writelog.read() == log_before
    assert query_rows(db, "select status from duplicate_pairs") == [("probable",)]


def test_deciding_on_a_copy_deleted_meanwhile(env, ref, capsys):
    db = env["BUDGETPERF_DB"]
    _ingest([env["incoming"] / SEED.name, env["incoming"] / COPY], ref)
    copy_id = query_rows(db, "select doc_id from documents where file = ?", [COPY])[0][0]
    intake.delete_reports([copy_id], "李四")
    assert main.main(["duplicates", "decide", copy_id, "同一份报告", "--reason", "核对"]) == 2
    assert f"库中找不到文档「{copy_id}」（可能已被删除）" in capsys.readouterr().err
    assert duplicates.load() == []


def test_deleting_the_original_lets_the_copy_count_and_retires_the_verdict(env, ref, single):
    db = env["BUDGETPERF_DB"]
    _ingest([env["incoming"] / SEED.name, env["incoming"] / COPY], ref)
    assert deciding.decide(COPY, "same", "核对", "张三").ok
    seed_id = query_rows(db, "select doc_id from documents where file = ?", [SEED.name])[0][0]
    intake.delete_reports([seed_id], "张三")
    assert _figures(db) == single  # the copy is the only one now, and it counts
    assert query_rows(db, "select count(*) from duplicate_pairs") == [(0,)]
    assert query_rows(db, "select outcome from duplicate_decisions") == [("orphan",)]


def test_the_cli_lists_and_decides(env, ref, capsys):
    _ingest([env["incoming"] / SEED.name, env["incoming"] / COPY], ref)
    assert main.main(["duplicates", "list"]) == 0
    out = capsys.readouterr().out
    assert f"[可能重复，待判定] {COPY} ↔ 计入的《{SEED.name}》" in out and "共 1 对" in out
    assert main.main(["duplicates", "decide", COPY, "same", "--reason", "核对一致"]) == 0
    assert capsys.readouterr().out.strip() == f"已判定「{COPY}」与「{SEED.name}」同一份报告：不计入统计"
    assert main.main(["duplicates", "list"]) == 0
    assert "没有待判定的可能重复报告" in capsys.readouterr().out
    assert main.main(["duplicates", "list", "--all"]) == 0
    assert "[已判定为同一份报告]" in capsys.readouterr().out


# ---------------------------------------------------------------------------
# the 数据管理 page

def test_upload_flags_the_copy_and_an_editor_decides_on_the_page(editor_env):
    at = login(open_manage())
    upload(at, [(COPY, SEED.read_text(encoding="utf-8").encode("gb18030"))])
    assert not at.exception
    note = preview_table(at).set_index("文件").loc[COPY, "说明"]
    assert f"可能与已入库的《{SEED.name}》为同一份报告" in note  # said before anything is written
    commit(at)
    assert not at.exception
    said = outcome_table(at).loc[COPY, "说明"]
    assert said.startswith(f"可能与已入库的《{SEED.name}》为同一份报告（同一单位（")
    assert "可能重复的报告（1 对待判定）" in [h.value for h in at.subheader]
    pairs = next(df.value for df in at.dataframe if "副本" in df.value.columns)
    assert list(zip(pairs["副本"], pairs["计入的文件"], pairs["状态"])) == [(COPY, SEED.name, "可能重复，待判定")]

    at.radio(key="admin.dup.verdict").set_value(duplicates.DISTINCT)
    at.text_input(key="admin.dup.reason").input("两次报送")
    next(b for b in at.button if b.label == "保存判定").click()
    at.run()
    assert not at.exception
    assert "判定完成" in texts(at)
    pairs = next(df.value for df in at.dataframe if "副本" in df.value.columns)
    assert list(pairs["状态"]) == ["已判定不是同一份"] and list(pairs["判定理由"]) == ["两次报送"]
    assert "可能重复的报告（0 对待判定）" in [h.value for h in at.subheader]


def test_the_page_refuses_a_verdict_without_a_reason(editor_env):
    at = login(open_manage())
    upload(at, [(COPY, SEED.read_text(encoding="utf-8").encode("gb18030"))])
    commit(at)
    next(b for b in at.button if b.label == "保存判定").click()
    at.run()
    assert not at.exception and "请写明判定理由" in texts(at)
    assert duplicates.load() == []


@pytest.mark.parametrize("step", journal.STEPS)
def test_a_verdict_killed_at_any_step_is_kept_exactly_when_the_store_has_it(env, ref, step):
    """The verdict is one journaled write: killed before its commit point it never
    happened; after it, the recovery appends it (once) to the log that keeps it."""
    db = env["BUDGETPERF_DB"]
    _ingest([env["incoming"] / SEED.name, env["incoming"] / COPY], ref)
    killed = subprocess.run([sys.executable, "-m", "budgetperf", "duplicates", "decide", COPY, "同一份报告",
                             "--reason", "核对一致"], cwd=ROOT, env={**os.environ, journal.DIE_AT: step},
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL
    publish.recover_pending(db)
    status = query_rows(db, "select status from duplicate_pairs")[0][0]
    kept = [d.verdict for d in duplicates.load()]
    logged = [e.outcome for e in writelog.read() if e.action == "duplicate"]
    if step in ("draft", "intent"):
        assert (status, kept, logged) == ("probable", [], [])
    else:
        assert (status, kept, logged) == ("same", ["same"], ["same"])
    # and the next write sees the same: the store and the log agree
    _rebuild()
    assert query_rows(db, "select status from duplicate_pairs")[0][0] == status
