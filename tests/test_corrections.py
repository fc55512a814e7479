"""Corrections: checked when made, applied over extracted facts, undone, kept in a file."""

import pytest

from budgetperf.changes import corrections as corr
from budgetperf.understanding.records import (
    DocumentFacts,
    Indicator,
    Project,
    Provenance,
    Value,
)

P = Provenance("t.txt", 5, 5, "年初预算36万元")


def facts():
    p = Project(name="少年宫运行经费", kind="evaluation", prov=P, budget_initial=Value(36, P, "36万元"),
                total_score=Value(88, P, "88分"))
    p.indicators = [Indicator("产出指标", "数量指标", "运行数量", "≥12所", "12所", 20, 20, P),
                    Indicator("产出指标", "数量指标", "运行数量", "≥3个", "3个", 10, 10, P)]
    return DocumentFacts(file="t.txt", fmt="txt", content_hash="h1", region=Value("歙县", P), unit=Value("歙县教育局", P),
                         year=Value(2023), year_is_explicit=True, projects=[p])


def fix(field, value, **kw):
    return corr.make("h1", field, value, reason="核对原文第5行", editor="张三", **kw)


@pytest.mark.parametrize("field, value, kw, message", [
    ("budget_initial", "三十六", {"project": "少年宫运行经费"}, "应为数字"),
    ("year", "23", {}, "应为年份"),
    ("grade", "很好", {"project": "少年宫运行经费"}, "应为 优/良/中/差"),
    ("budget_initial", "38", {}, "需要指明项目"),
    ("indicator.score", "9", {"project": "少年宫运行经费"}, "需要指明指标"),
    ("colour", "红", {}, "不能更正的字段"),
])
def test_a_correction_is_checked_when_made(field, value, kw, message):
    with pytest.raises(corr.CorrectionError) as err:
        corr.make("h1", field, value, reason="x", **kw)
    assert message in err.value.message_zh


def test_a_correction_needs_a_reason():
    with pytest.raises(corr.CorrectionError):
        corr.make("h1", "year", "2022", reason=" ")


def test_corrections_apply_over_extracted_values_and_keep_the_source_lines():
    f = facts()
    applied = corr.apply_corrections(f, [fix("budget_initial", "38", project="少年宫运行经费"),
                                         fix("year", "2022"),
                                         fix("indicator.score", "18", project="少年宫运行经费", indicator="运行数量",
                                             indicator_seq=2)])
    assert [a.status for a in applied] == ["applied", "applied", "applied"]
    p = f.projects[0]
    assert p.budget_initial.value == 38 and p.budget_initial.prov == P and p.budget_initial.raw.startswith("人工更正")
    assert f.year.value == 2022 and f.year_is_explicit
    assert [i.score for i in p.indicators] == [20, 18]  # the row the person fixed, not its namesake
    assert applied[0].extracted == "36"


def test_a_correction_the_extraction_now_agrees_with_is_redundant():
    (a,) = corr.apply_corrections(facts(), [fix("budget_initial", "36", project="少年宫运行经费")])
    assert a.status == "redundant"


def test_a_correction_of_something_gone_is_an_orphan():
    (a,) = corr.apply_corrections(facts(), [fix("total_score", "90", project="另一个项目")])
    assert a.status == "orphan"


def test_undo_and_the_later_fix_wins():
    first = fix("total_score", "90", project="少年宫运行经费")
    second = fix("total_score", "91", project="少年宫运行经费")
    f = facts()
    corr.apply_corrections(f, [first, second])
    assert f.projects[0].total_score.value == 91
    f = facts()
    corr.apply_corrections(f, [first, second, corr.undo(second, "李四")])
    assert f.projects[0].total_score.value == 90


def test_add_a_missing_project_and_indicator_and_mark_not_a_report():
    f = facts()
    corr.apply_corrections(f, [fix("add_project", "新项目"), fix("add_indicator", "新指标", project="新项目"),
                               fix("not_a_report", "是")])
    assert [p.name for p in f.projects] == ["少年宫运行经费", "新项目"]
    assert [i.name for i in f.projects[1].indicators] == ["新指标"]
    assert f.is_excluded


def test_the_file_keeps_fixes_and_undos_and_round_trips(tmp_path):
    path = tmp_path / "c.jsonl"
    a = fix("year", "2022")
    corr.append([a, corr.undo(a, "李四")], path)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('{"doc_hash": "h1", "field": ')  # a line torn by a crash
    records = corr.load(path)
    assert len(records) == 2 and corr.active(records) == []
    out = tmp_path / "export.jsonl"
    assert corr.export_records(out, records) == 2
    assert corr.import_records(out, records) == []
    assert len(corr.import_records(out, [])) == 2


def test_a_correction_settles_the_review_reason_of_its_field():
    from budgetperf.understanding.records import ReviewReason

    f = facts()
    f.review_reasons = [ReviewReason("year_inferred", "年度为推断")]
    f.projects[0].review_reasons = [ReviewReason("indicator_table_unread", "指标表缺少表头")]
    corr.apply_corrections(f, [fix("year", "2022")])
    assert f.review_reasons == []
    (a,) = corr.apply_corrections(f, [fix("resolve_review", "indicator_table_unread", project="少年宫运行经费")])
    assert a.status == "applied" and f.projects[0].review_reasons == []


def test_finding_status_is_kept_by_a_stable_key():
    key = corr.finding_key("total_vs_parts", "少年宫运行经费", "reported total 94 but parts add to 93")
    first = corr.make("h1", "finding_status", "已核实", finding=key, reason="与原文一致", editor="张三")
    later = corr.make("h1", "finding_status", "忽略", finding=key, reason="口径差异", editor="李四")
    statuses = corr.finding_statuses([first, later])
    assert statuses[("h1", key)].new_value == "忽略"
    with pytest.raises(corr.CorrectionError):
        corr.make("h1", "finding_status", "完成", finding=key, reason="x")
    assert corr.apply_corrections(facts(), [first]) == []  # findings are not facts


def test_extraction_applies_corrections_before_the_audit(ref, tmp_path):
    from budgetperf.storing.extracting import extract_file

    report = tmp_path / "r.txt"
    report.write_text("某县教育局2023年度项目支出绩效自评报告\n项目名称：校车运行经费\n项目年初预算10万元，全年实际支出9万元，预算执行率90%。\n"
                      "项目自评得分90分。\n", encoding="utf-8")
    plain = extract_file(report, ref)
    fixed = extract_file(report, ref, corrections=[corr.make(plain.facts.content_hash, "executed", "10",
                                                             project="校车运行经费", reason="原文第3行", editor="张三")])
    assert fixed.facts.projects[0].executed.value == 10 and [a.status for a in fixed.applied] == ["applied"]
    rate_checks = [c for c in fixed.checks if c.kind == "execution_rate_mismatch"]
    assert rate_checks  # 10 of 10 is 100%, not the 90% the report states: the audit reads the fix
