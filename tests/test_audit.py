"""Audit rules on small hand-made facts: each rule on facts that trigger it and on a near
miss that must not; the tolerances; the vocabulary every finding is in; and the
doubts that stop a rule (and only the doubts about what it needs)."""

import pytest

from budgetperf.understanding.audit import KINDS, RULES, audit_document, quantified_share
from budgetperf.understanding.audit.arithmetic import ERROR, OK, ROUNDING, compare_rate, compare_sum
from budgetperf.understanding.audit.checks import finding, fmt, provenances
from budgetperf.understanding.audit.evidence import Evidence
from budgetperf.understanding.records import (
    BudgetLine,
    DocumentFacts,
    ExpenseItem,
    Indicator,
    NarrativeFigure,
    OutputFact,
    Project,
    Provenance,
    ReviewReason,
    SectionScore,
    Value,
)

P = Provenance("t.txt", 1, 1, "…")


def val(x, raw=None):
    return Value(x, P, raw)


def ind(name="甲", target="≥10人", actual="12人", weight=10, score=10, level2="数量指标", level1="产出指标", reason=None):
    return Indicator(level1, level2, name, target, actual, weight, score, P, deviation_reason=reason)


def project(**kw) -> Project:
    p = Project(name=kw.pop("name", "测试项目"), kind=kw.pop("kind", "evaluation"), prov=kw.pop("prov", P))
    for key, value in kw.items():
        setattr(p, key, value)
    return p


def facts(*projects, year=2023, explicit=True, region="乐亭县", doc_kinds=None) -> DocumentFacts:
    return DocumentFacts(file="t.txt", fmt="txt", region=Value(region) if region else None, year=Value(year) if year else None,
                         year_is_explicit=explicit, year_evidence="（2023年度）", year_line=1, projects=list(projects),
                         doc_kinds=doc_kinds or ["project_evaluation"])


def kinds(f: DocumentFacts) -> set[str]:
    return {c.kind for c in audit_document(f)}


FULL = dict(budget_initial=val(100), executed=val(100), execution_rate=val(100), budget_weight=val(10), budget_score=val(10))


def nine_indicators(**kw):
    return [ind(name=f"指标{i}", **kw) for i in range(9)]


SECTIONS_86_5 = [SectionScore("决策指标", 20, 17, P), SectionScore("过程指标", 20, 17.5, P),
                 SectionScore("产出指标", 30, 26, P), SectionScore("效益指标", 30, 26, P)]


@pytest.mark.parametrize("case, expected_kind, present", [
    # total_vs_parts: indicator rows plus the budget row; exact, so 0.2 off is an error
    (facts(project(indicators=nine_indicators(), total_score=val(100), **FULL)), "total_vs_parts", False),
    (facts(project(indicators=nine_indicators(), total_score=val(95), **FULL)), "total_vs_parts", True),
    (facts(project(indicators=nine_indicators()[:8] + [ind(name="末", score=9.8)], total_score=val(100), **FULL)),
     "total_vs_parts", True),
    # sections first: the sections add up although the (partial) indicator rows do not
    (facts(project(section_scores=SECTIONS_86_5, indicators=nine_indicators()[:4], total_score=val(86.5), **FULL)),
     "total_vs_parts", False),
    (facts(project(section_scores=SECTIONS_86_5, indicators=nine_indicators()[:4], total_score=val(88), **FULL)),
     "total_vs_parts", True),
    # sections of a whole scheme without maxima adding to 100 still add up
    (facts(project(section_scores=[SectionScore("预算执行率", 10, 9, P), SectionScore("产出指标", 30, 30, P),
                                   SectionScore("效益指标", 40, 40, P), SectionScore("满意度指标", 10, 10, P)],
                   total_score=val(99))), "total_vs_parts", True),
    # weights_sum
    (facts(project(indicators=nine_indicators(), **FULL)), "weights_sum", False),
    (facts(project(indicators=nine_indicators()[:8], total_score=val(90), **FULL)), "weights_sum", True),
    (facts(project(kind="target", indicators=nine_indicators()[:3])), "weights_sum", False),
    (facts(project(indicators=nine_indicators()[:3]), doc_kinds=["targets"]), "weights_sum", False),
    # 预算执行率 listed as an indicator too: the budget row is not counted twice
    (facts(project(indicators=nine_indicators()[:8] + [ind(name="预算执行率", target="100%", actual="100%", weight=20, score=20)],
                   total_score=val(100), **FULL)), "weights_sum", False),
    # a weighted 其中 row counted when that is what makes the weights add up
    (facts(project(indicators=nine_indicators()[:8] + [ind(name="其中：补助发放", weight=10, score=10)],
                   total_score=val(100), **FULL)), "weights_sum", False),
    # execution rate vs executed / budget, against either budget
    (facts(project(budget_initial=val(110), executed=val(98.69), execution_rate=val(89.72))), "execution_rate_mismatch", False),
    (facts(project(budget_initial=val(110), executed=val(98.69), execution_rate=val(95))), "execution_rate_mismatch", True),
    (facts(project(budget_initial=val(200), budget_adjusted=val(250), executed=val(190), execution_rate=val(95))),
     "execution_rate_mismatch", False),
    (facts(project(budget_initial=val(110), executed=val(120), execution_rate=val(100))), "execution_rate_mismatch", False),
    # execution score vs weight x rate
    (facts(project(budget_weight=val(10), budget_score=val(9), execution_rate=val(89.72))), "execution_score", False),
    (facts(project(budget_weight=val(10), budget_score=val(10), execution_rate=val(60))), "execution_score", True),
    # grade vs bands (only a written grade; 90 is 优)
    (facts(project(total_score=val(90), grade=val("优", "优秀"))), "grade_vs_score", False),
    (facts(project(total_score=val(85), grade=val("优", "优秀"))), "grade_vs_score", True),
    (facts(project(total_score=val(85), grade=val("良", None))), "grade_vs_score", False),
    # actual below target, full marks; a ≤ cap exceeded at full marks
    (facts(project(indicators=[ind(target="≥20个", actual="18个")])), "actual_below_target", True),
    (facts(project(indicators=[ind(target="≥20个", actual="18个", score=8)])), "actual_below_target", False),
    (facts(project(indicators=[ind(target="≤100元", actual="95元")])), "actual_below_target", False),
    (facts(project(indicators=[ind(target="≤100元", actual="105元")])), "actual_below_target", True),
    (facts(project(indicators=[ind(name="消除安全隐患户数", target="1785户", actual="1806户")])), "actual_below_target", False),
    (facts(project(indicators=[ind(name="安全事故发生次数", target="0次", actual="1次")])), "actual_below_target", True),
    # low satisfaction, full marks
    (facts(project(section_scores=[SectionScore("满意度指标", 10, 10, P)], output_facts=[OutputFact("服务对象满意度", "80%", P)])), "satisfaction_vs_score", True),
    (facts(project(section_scores=[SectionScore("满意度指标", 10, 10, P)], output_facts=[OutputFact("服务对象满意度", "96%", P)])), "satisfaction_vs_score", False),
    (facts(project(section_scores=[SectionScore("满意度指标", 10, 8, P)], output_facts=[OutputFact("服务对象满意度", "80%", P)])), "satisfaction_vs_score", False),
    # cost cap above the budget; a per-unit standard is no cap
    (facts(project(kind="target", budget_initial=val(20), indicators=[ind(target="≤22万元", actual=None, level2="成本指标")])), "cost_cap_over_budget", True),
    (facts(project(kind="target", budget_initial=val(61), indicators=[ind(target="≤61万元", actual=None, level2="成本指标")])), "cost_cap_over_budget", False),
    (facts(project(budget_initial=val(2), indicators=[ind(target="≤25000元", actual="2万", level2="成本指标")])), "cost_cap_over_budget", True),
    (facts(project(budget_initial=val(2), indicators=[ind(target="≤25000元/人", actual="2万", level2="成本指标")])), "cost_cap_over_budget", False),
    # a cap set at the 年初预算 is not over it once the budget was adjusted down
    (facts(project(budget_initial=val(90), budget_adjusted=val(89.974),
                   indicators=[ind(target="≤90万元", actual="90", level2="成本指标")])), "cost_cap_over_budget", False),
    # projects vs department, like for like
    (facts(project(name="部门整体支出", kind="department", budget_initial=val(87), projects_evaluated=val(2)),
           project(name="甲", budget_initial=val(37)), project(name="乙", budget_initial=val(50))), "projects_vs_department", False),
    (facts(project(name="部门整体支出", kind="department", budget_initial=val(90), projects_evaluated=val(2)),
           project(name="甲", budget_initial=val(37)), project(name="乙", budget_initial=val(50))), "projects_vs_department", True),
    (facts(project(name="部门整体支出", kind="department", budget_initial=val(90), projects_evaluated=val(5)),
           project(name="甲", budget_initial=val(37))), "projects_vs_department", False),
    (facts(project(name="部门整体支出", kind="department", budget_initial=val(87), projects_evaluated=val(2)),
           project(name="甲", budget_initial=val(37), budget_adjusted=val(40)), project(name="乙", budget_initial=val(50))),
     "projects_vs_department", False),
    # expense items vs budget
    (facts(project(budget_initial=val(21.18), expense_items=[ExpenseItem("劳务费", 16.95, P), ExpenseItem("办公费", 4.23, P)])), "expenses_vs_budget", False),
    (facts(project(budget_initial=val(50), expense_items=[ExpenseItem("劳务费", 30, P), ExpenseItem("办公费", 17, P)])), "expenses_vs_budget", True),
    # budget cut by a third or more
    (facts(project(budget_initial=val(5.28), budget_adjusted=val(1.96), executed=val(1.96))), "budget_cut", True),
    (facts(project(budget_initial=val(6), budget_adjusted=val(4.5), executed=val(4.5))), "budget_cut", False),
    # low execution: under 80%, a zero budget measures nothing
    (facts(project(budget_initial=val(2.5), executed=val(1.2), execution_rate=val(48))), "low_execution", True),
    (facts(project(budget_initial=val(2.5), executed=val(2), execution_rate=val(80))), "low_execution", False),
    (facts(project(budget_initial=val(0), budget_adjusted=val(0), executed=val(0), execution_rate=val(0))), "low_execution", False),
    (facts(project(budget_initial=val(2.5), executed=val(1.2)), doc_kinds=["targets"]), "low_execution", False),
    # execution missing; not on target tables nor on a department a project report mentions
    (facts(project(budget_initial=val(21.18))), "execution_missing", True),
    (facts(project(kind="target", budget_initial=val(20))), "execution_missing", False),
    (facts(project(budget_initial=val(20)), doc_kinds=["targets"]), "execution_missing", False),
    (facts(project(name="部门整体支出", kind="department", budget_initial=val(100)), project(name="甲", **FULL)),
     "execution_missing", False),
    (facts(project(name="部门整体支出", kind="department", executed=val(1595.59)), doc_kinds=["department_overall"]),
     "execution_missing", True),
    (facts(project(budget_initial=val(10), execution_rate=val(90))), "execution_missing", False),
    # score unsupported
    (facts(project(total_score=val(100))), "score_unsupported", True),
    (facts(project(total_score=val(100), indicators=nine_indicators())), "score_unsupported", False),
    # outputs reported whole on little money
    (facts(project(budget_initial=val(8), budget_adjusted=val(3), executed=val(3), indicators=nine_indicators())),
     "outputs_vs_spending", True),
    (facts(project(budget_initial=val(8), budget_adjusted=val(6), executed=val(6), indicators=nine_indicators())),
     "outputs_vs_spending", False),
    # year
    (facts(project(), explicit=False), "year_inferred", True),
    (facts(project(), explicit=True), "year_inferred", False),
    (facts(project(), year=None), "year_missing", True),
    # region
    (facts(project(), region=None), "region_unresolved", True),
    # narrative vs table: a count in the text against the table's actual
    (facts(project(indicators=[ind(name="扩大网评队伍规模", target="≥200人", actual="260人")],
                   narrative_figures=[NarrativeFigure("建立300余人的网评员队伍", 300, "人", True, P)])), "narrative_vs_table", True),
    (facts(project(indicators=[ind(name="扩大网评队伍规模", target="≥200人", actual="260人")],
                   narrative_figures=[NarrativeFigure("建立200余人的网评员队伍", 200, "人", True, P)])), "narrative_vs_table", False),
    (facts(project(indicators=[ind(name="活动开展情况", target="≥10场", actual="14场")],
                   narrative_figures=[NarrativeFigure("完成各类网评任务350余次", 350, "次", True, P)])), "narrative_vs_table", False),
    # a clause that agrees settles it, even beside one that shares words and does not
    (facts(project(indicators=[ind(name="开展宣讲活动场次", target="≥20场", actual="20场")],
                   narrative_figures=[NarrativeFigure("全年开展宣讲活动20场次", 20, "场次", False, P),
                                      NarrativeFigure("开展普法宣传活动6场次", 6, "场次", False, P)])), "narrative_vs_table", False),
    # a plan in the text is never compared with an actual
    (facts(project(indicators=[ind(name="培训基层干部人数", target="≥500人", actual="520人")],
                   narrative_figures=[NarrativeFigure("计划培训基层干部600人", 600, "人", False, P)])), "narrative_vs_table", False),
    # a figure of the overall goal (a target) is never compared with an actual
    (facts(project(goal_expected=val("采购脱毒种薯400万粒，免费发放给农户"),
                   narrative_figures=[NarrativeFigure("采购脱毒种薯400万粒", 400, "万粒", False, P)],
                   indicators=[ind(name="采购脱毒种薯", target="400万粒", actual="380万粒", score=9)])),
     "narrative_vs_table", False),
    # the overall goal against an indicator's target (both plans)
    (facts(project(goal_expected=val("采购脱毒种薯400万粒，免费发放给农户"),
                   indicators=[ind(name="免费发放脱毒种薯", target="550万粒", actual="550万粒")])), "narrative_vs_table", True),
    (facts(project(goal_expected=val("采购脱毒种薯550万粒，免费发放给农户"),
                   indicators=[ind(name="免费发放脱毒种薯", target="550万粒", actual="550万粒")])), "narrative_vs_table", False),
    # period: a deadline before the report's year; a project code for a later year
    (facts(project(indicators=[ind(name="2021年11月30日前完成资金支付", target="100%", actual="100%")]), year=2022),
     "period_mismatch", True),
    (facts(project(indicators=[ind(name="2022年11月30日前完成资金支付", target="100%", actual="100%")]), year=2022),
     "period_mismatch", False),
    (facts(project(name="51092324T000010263357-全县设备补助资金项目"), year=2023), "period_mismatch", True),
    (facts(project(name="51092322T000010263357-全县设备补助资金项目"), year=2023), "period_mismatch", False),
    # qualitative targets: at least two of four, a quarter or more
    (facts(project(indicators=[ind(target="长期"), ind(target="及时性"), ind(target="≥5人"), ind(target="100%")])), "qualitative_targets", True),
    (facts(project(indicators=[ind(target="长期"), ind(target="≥5人"), ind(target="100%"), ind(target="≥3次")])), "qualitative_targets", False),
    # remarks on indicator rows
    (facts(project(indicators=[ind(target="≥20个", actual="18个", score=8)])), "target_missed", True),
    (facts(project(indicators=[ind(target="≥20个", actual="20个", score=8)])), "target_missed", False),
    (facts(project(indicators=[ind(target="≥90%", actual="96%", score=8)])), "points_deducted", True),
    (facts(project(indicators=[ind(target="≥90%", actual="96%", score=8, reason="调查样本偏少")])), "points_deducted", False),
    (facts(project(indicators=[ind(target="≥1686人", actual="2989人")])), "target_underset", True),
    (facts(project(indicators=[ind(target="≥95%", actual="100%")])), "target_underset", False),
    (facts(project(indicators=[ind(target="≥90%", actual="≥90%"), ind(target="≥5%", actual="≥5%")])), "actual_restates_target", True),
    (facts(project(indicators=[ind(target="≥50年", actual="≥50年"), ind(target="≥5%", actual="6%")])), "actual_restates_target", False),
    # a rate indicator filled with an amount
    (facts(project(indicators=[ind(name="总体支出进度", target="100%", actual="1,437")])), "unit_or_measure_wrong", True),
    (facts(project(indicators=[ind(name="任务完成率", target="100%", actual="120")])), "unit_or_measure_wrong", False),
    # scoring incomplete: a grade without a score
    (facts(project(grade=val("优", "优秀"))), "scoring_incomplete", True),
    (facts(project(grade=val("优", "优秀"), total_score=val(95))), "scoring_incomplete", False),
    # the funding block: a 其中 row above its total; parts that add up
    (facts(project(budget_lines=[BudgetLine("年度资金总额", 0, 0, 0, 10, 0, 0, P), BudgetLine("其中：财政拨款", 90, 89.974, 89.974, None, None, None, P)])),
     "amounts_vs_total", True),
    (facts(project(budget_lines=[BudgetLine("年度资金总额", None, 100, 95, None, None, None, P),
                                 BudgetLine("其中：中央", None, 60, 57, None, None, None, P),
                                 BudgetLine("地方", None, 40, 38, None, None, None, P)])), "amounts_vs_total", False),
])
def test_rule(case, expected_kind, present):
    assert (expected_kind in kinds(case)) is present


def test_every_rule_is_one_kind_of_the_vocabulary_with_its_severity():
    assert len({r.kind for r in RULES}) == len(RULES)
    for rule in RULES:
        assert KINDS[rule.kind] == rule.severity and rule.title and callable(rule.check), rule.kind
    assert "reading_note" not in {r.kind for r in RULES}  # not a problem: never raised


def test_every_finding_has_its_kinds_severity_and_source_lines(ref):
    f = facts(project(indicators=nine_indicators(), total_score=val(95), budget_initial=val(100), executed=val(70),
                      execution_rate=val(90), budget_weight=val(10), budget_score=val(10)), explicit=False)
    checks = audit_document(f)
    assert {"total_vs_parts", "execution_rate_mismatch", "low_execution", "year_inferred"} <= {c.kind for c in checks}
    for c in checks:
        assert c.severity == KINDS[c.kind] and c.severity_zh in ("错误", "警告", "提示") and c.message_zh


def test_checks_carry_provenance_and_chinese_message():
    f = facts(project(indicators=nine_indicators(), total_score=val(95), **FULL))
    (check,) = [c for c in audit_document(f) if c.kind == "total_vs_parts"]
    assert check.severity_zh == "错误" and "总分" in check.message_zh and check.provenance


def test_finding_takes_the_kinds_severity_and_rejects_unknown_kinds():
    assert finding("low_execution", "低", "low").severity == "warning"
    assert finding("rounding", "尾数", "rounding").severity == "info"
    with pytest.raises(KeyError):
        finding("no_such_kind", "?", "?")


def test_quantified_share():
    assert quantified_share([ind(target="长期"), ind(target="≥5人")]) == 0.5
    assert quantified_share([]) is None


def test_fmt_keeps_every_decimal_a_report_wrote():
    assert fmt(15854.69679) == "15854.69679" and fmt(7165.30) == "7165.3" and fmt(100) == "100" and fmt("优") == "优"


# ---------------------------------------------------------------- tolerances

@pytest.mark.parametrize("parts, total, status", [
    ([6, 6, 12, 14.6, 15, 10, 36], 99.6, OK),
    ([6, 6, 12, 14.6, 15, 10, 36], 99.8, ERROR),  # 0.2 off: an error, not rounding
    ([10, 20, 15, 15, 15, 13, 9], 98, ERROR),  # whole numbers are exact: 1 point is an error
    ([129.05, 62.54, 98.21, 206.77, 73, 41.4, 87.4, 49.95, 24, 139.21, 41.16, 18, 49.34], 1020.02, ROUNDING),
    ([3144, 570.17, 433, 1426.9, 1591.22], 7165.32, ERROR),
    ([30, 30, 29.99], 89.97, ERROR),
    ([9.42, 14, 10, 10, 15, 15, 13, 9], 96.42, ERROR),
])
def test_compare_sum(parts, total, status):
    assert compare_sum(parts, total).status == status


@pytest.mark.parametrize("stated, executed, budgets, status", [
    (89.72, 98.69, [110], OK),
    (99.81, 1767.21, [1781.86], ERROR),
    (86.19, 21.54576, [25], ROUNDING),  # 86.183: the last digit off by one
    (57.89, 1157.97, [2000], ROUNDING),  # 57.8985 truncated
    (95, 190, [250, 200], OK),  # measured against the initial budget
    (100, 2.1, [2.1, None], OK),
])
def test_compare_rate(stated, executed, budgets, status):
    assert compare_rate(stated, executed, budgets).status == status


def test_compare_rate_without_a_budget():
    assert compare_rate(90, 10, [None, 0]) is None


def test_a_truncated_rate_is_a_rounding_remark_not_an_error():
    found = audit_document(facts(project(budget_adjusted=val(2000), executed=val(1157.97), execution_rate=val(57.89))))
    assert {c.kind: c.severity for c in found if c.kind in ("rounding", "execution_rate_mismatch")} == {"rounding": "info"}


# ---------------------------------------------------------------- doubts

def test_a_table_that_was_not_read_stops_the_score_rules_and_says_so():
    misread = project(indicators=nine_indicators()[:8], total_score=val(105), **FULL)
    assert {"weights_sum", "total_vs_parts"} <= kinds(facts(misread))
    misread.review_reasons = [ReviewReason("indicator_table_unread", "指标表未识别：指标表缺少表头")]
    found = kinds(facts(misread))
    assert not {"weights_sum", "total_vs_parts"} & found
    assert "execution_missing" not in found  # rules on the budget still run: the budget was read


def test_weights_that_add_up_disprove_a_doubt_about_the_table():
    p = project(indicators=nine_indicators(), total_score=val(90), **FULL)
    p.review_reasons = [ReviewReason("indicator_table_unread", "指标表未识别：指标表缺少表头")]
    assert "total_vs_parts" in kinds(facts(p))


def test_an_unrelated_review_reason_stops_nothing():
    p = project(indicators=nine_indicators(), total_score=val(95), **FULL)
    p.review_reasons = [ReviewReason("project_name_missing", "项目名称未识别")]
    assert "total_vs_parts" in kinds(facts(p, explicit=False))


def test_a_row_not_listed_is_a_review_reason_naming_it_once():
    p = project(indicators=nine_indicators(), total_score=val(100), budget_initial=val(10), executed=val(10))
    f = facts(p)
    assert not {"weights_sum", "total_vs_parts"} & kinds(f)
    assert not {"weights_sum", "total_vs_parts"} & kinds(f)  # auditing again adds no second reason
    (reason,) = p.review_reasons
    assert reason.code == "weights_off" and "10 分" in reason.message_zh


def test_a_row_without_a_score_stops_total_vs_parts():
    p = project(indicators=nine_indicators()[:8] + [ind(score=None)], total_score=val(90), **FULL)
    assert "total_vs_parts" not in kinds(facts(p))
    assert any("没有读出得分" in r.message_zh for r in p.review_reasons)


def test_provenances_are_distinct_and_in_order():
    a, b = Provenance("t.txt", 3, 3), Provenance("t.txt", 1, 1)
    assert provenances(a, val(1), b, a, None, "x") == (a, P, b)


def test_a_row_not_read_may_have_lost_points_too():
    # weights 90, and the total is 5 above the rows: one 10-point row not read, scored 5
    p = project(indicators=nine_indicators(), total_score=val(95))
    assert not {"weights_sum", "total_vs_parts"} & kinds(facts(p))
    assert [r.code for r in p.review_reasons] == ["weights_off"]


def test_a_total_row_that_adds_up_the_rows_read_vouches_for_them():
    # the report's own 总分 row gives 90 for the weights read: nothing is missing, its weights are wrong
    p = project(indicators=nine_indicators()[:8], total_score=val(95), total_weight=val(90), **FULL)
    assert {"weights_sum", "total_vs_parts"} <= kinds(facts(p)) and p.review_reasons == []


def test_a_summary_row_taken_for_a_project_is_left_alone():
    summary = project(name="合计", budget_initial=val(300), executed=val(100), total_score=val(50))
    assert kinds(facts(project(**FULL, indicators=nine_indicators(), total_score=val(100)), summary)) == set()


# ---------------------------------------------------------------- with the report's text

def text(*lines: str):
    from budgetperf.reading.blocks import Paragraph, SourceDocument

    return SourceDocument("t.txt", "txt", list(lines), [Paragraph(t, k, k) for k, t in enumerate(lines, 1)])


def kinds_with_text(f: DocumentFacts, *lines: str) -> set[str]:
    return {c.kind for c in audit_document(f, text(*lines))}


def test_grade_against_the_reports_own_scale():
    graded = facts(project(total_score=val(77), grade=val("良", "良好")))
    assert "grade_vs_score" in kinds(graded)  # 77 is 中 on the usual bands
    assert "grade_vs_score" not in kinds_with_text(graded, "评价等级：90分以上为优秀，75-89分为良好，60-74分为合格，60分以下为不合格。")


@pytest.mark.parametrize("sentence, present", [
    ("项目实际完成资金89.97万元：预算编制30万元，审计30万元，设计29.99万元。", True),  # a full list, a slip
    ("项目资金200万元：用于培训50万元、设备购置80万元。", False),  # some uses of it
    ("项目资金200万元，主要用于：培训50万元、设备购置80万元。", False),
    ("全年支出3301.2万元，其中基本支出3120.45万元、项目支出180.75万元。", False),  # a known pair that holds
    ("基本支出2299.98万元，其中人员经费2028.45万元、公用经费261.53万元。", True),  # a known pair that does not
    ("共有项目21个，其中本级项目8个。", False),
    ("总投资1200万元，其中中央资金800万元、省级资金500万元。", True),  # parts above their total
    ("包括部门预算项目和专项预算两类，总预算2455.5万元，其中部门预算项目87.5万元、专项预算2350万元。", True),
])
def test_amounts_in_a_sentence(sentence, present):
    assert ("amounts_vs_total" in kinds_with_text(facts(project()), sentence)) is present


def test_a_budget_row_listed_again_among_the_indicators_counts_once():
    rows = nine_indicators() + [ind(name="预算执行情况", target="100%", actual="100%", weight=10, score=10)]
    assert not {"weights_sum", "total_vs_parts"} & kinds(facts(project(indicators=rows, total_score=val(100), **FULL)))


def test_a_bare_target_of_something_that_should_not_happen_is_a_ceiling():
    rows = [ind(name="城镇登记失业率", target="4.5%", actual="3.6%"), ind(name="单位服务成本", target="75元", actual="70元")]
    assert "actual_below_target" not in kinds(facts(project(indicators=rows)))


def test_a_rate_measured_on_the_funds_that_arrived_is_no_mismatch():
    p = project(budget_initial=val(100), executed=val(78), execution_rate=val(97.5))
    assert "execution_rate_mismatch" in kinds(facts(p))
    assert "execution_rate_mismatch" not in kinds_with_text(facts(p), "项目预算100万元，实际到位资金80万元，支出78万元。")


def test_a_mismatched_rate_the_report_states_right_elsewhere_is_a_doubt():
    p = project(budget_initial=val(640), executed=val(612.4), execution_rate=val(100))
    assert "execution_rate_mismatch" not in kinds_with_text(facts(p), "项目计划安排资金640万元，实际支出612.4万元，预算执行率95.69%。")
    assert any("执行率" in r.message_zh for r in p.review_reasons)


def test_spending_stated_in_words_is_not_missing():
    p = project(budget_initial=val(30))
    assert "execution_missing" in kinds_with_text(facts(p), "项目预算30万元，资金已全部到位。")
    assert "execution_missing" not in kinds_with_text(facts(project(budget_initial=val(30))), "项目预算30万元，资金已全部支出完毕。")


def test_a_score_table_that_was_not_read_is_no_unsupported_score():
    from budgetperf.reading.blocks import Cell, SourceDocument, Table

    lines = ["一级指标 三级指标 分值 得分", "产出指标 培训人数 10 10"]
    table = Table(((Cell("一级指标", 1, 1), Cell("三级指标", 1, 1), Cell("分值", 1, 1), Cell("得分", 1, 1)),
                   (Cell("产出指标", 2, 2), Cell("培训人数", 2, 2), Cell("10", 2, 2), Cell("10", 2, 2))), 1, 2)
    p = project(total_score=val(95))
    assert "score_unsupported" not in {c.kind for c in audit_document(facts(p), SourceDocument("t.txt", "txt", lines, [table]))}
    assert any("评分表" in r.message_zh for r in p.review_reasons)


@pytest.mark.parametrize("case, expected_kind, present", [
    (facts(project(indicators=[ind(name="周边群众满意度", target="≥90%", actual="未开展调查")])), "claim_unsupported", True),
    (facts(project(indicators=[ind(name="周边群众满意度", target="≥90%", actual="未开展调查", score=0)])), "claim_unsupported", False),
    (facts(project(indicators=[ind(name="安全事故发生数", target="≥0次", actual="0次")])), "indicator_design", True),
    (facts(project(indicators=[ind(name="验收合格率", target="≤100%", actual="100%")])), "indicator_design", True),
    (facts(project(indicators=[ind(name="公用经费控制率", target="≤100%", actual="97.2%")])), "indicator_design", False),
    (facts(project(goal_expected=val("完成全县农村公路养护任务120公里"), goal_actual=val("完成全县农村公路养护任务120公里。"))),
     "copied_text", True),
    (facts(project(goal_expected=val("完成全县农村公路养护任务120公里"), goal_actual=val("完成农村公路养护126公里"))),
     "copied_text", False),
])
def test_remarks(case, expected_kind, present):
    assert (expected_kind in kinds(case)) is present


def test_a_deadline_in_a_cited_document_title_is_not_the_reports():
    p = project(budget_initial=val(10), executed=val(10))
    lines = ["根据《关于2022年12月底前完成农村公路养护任务的通知》要求，年度目标为完成养护120公里。"]
    assert "period_mismatch" not in kinds_with_text(facts(p, year=2023), *lines)
    assert "period_mismatch" in kinds_with_text(facts(project(), year=2023), "年度目标：2022年12月底前完成养护120公里。")


def test_a_budget_score_left_blank_counts_as_none_given():
    row = BudgetLine("年度资金总额", 100, 100, None, 10, None, None, Provenance("t.txt", 1, 1))
    p = project(indicators=nine_indicators(), total_score=val(93), budget_initial=val(100), budget_weight=val(10),
                budget_lines=[row])
    found = audit_document(facts(p), text("| 年度资金总额 | 100 | 100 | | 10 | | |"))
    (check,) = [c for c in found if c.kind == "total_vs_parts"]
    assert "空白" in check.message_zh  # 90 from the rows, the budget row's score cell empty: not 93
    stated = project(indicators=nine_indicators(), total_score=val(93), budget_initial=val(100), budget_weight=val(10),
                     budget_lines=[row])
    lines = ["| 年度资金总额 | 100 | 100 | | 10 | | |", "预算执行率为93%，得3分。"]
    assert "total_vs_parts" not in {c.kind for c in audit_document(facts(stated), text(*lines))}


def test_an_execution_score_on_a_line_without_money_scores_nothing():
    """年度资金总额 0 | 0 | 0 with its score 0, the money on the 其中 line: the block
    contradicts itself (amounts_vs_total), the score is no execution_score finding."""
    lines = [BudgetLine("年度资金总额", 0, 0, 0, 10, 0, 0, P), BudgetLine("其中：本年财政拨款", 90, 89.974, 89.974, None, None, None, P)]
    f = facts(project(budget_initial=val(90), budget_adjusted=val(89.974), executed=val(89.974), execution_rate=val(100),
                      budget_weight=val(10), budget_score=val(0), budget_lines=lines))
    assert "execution_score" not in kinds(f)
    f = facts(project(budget_initial=val(90), executed=val(90), execution_rate=val(100), budget_weight=val(10),
                      budget_score=val(0)))
    assert "execution_score" in kinds(f)


def test_a_units_total_that_is_all_its_report_gives_is_audited_for_execution():
    unit_only = facts(project(name="部门整体支出", kind="department", budget_initial=val(861.46)))
    assert "execution_missing" in kinds(unit_only)
    mentioned = facts(project(name="部门整体支出", kind="department", budget_initial=val(861.46)),
                      project(name="甲", **FULL))
    assert "execution_missing" not in kinds(mentioned)


def test_a_project_listed_as_a_row_owns_that_row_only():
    """A department target table listing its projects: a finding on the indicator
    table below the list is the department's, not the last listed project's."""
    department = project(name="部门整体支出", kind="department", prov=Provenance("t.txt", 1, 1, ""))
    listed = project(name="甲经费", kind="target", prov=Provenance("t.txt", 18, 18, ""), listed=True)
    ev = Evidence(facts(department, listed), None)
    assert ev.span(listed) == (18, 18)
    assert ev.project_at(26) == "部门整体支出" and ev.project_at(18) == "甲经费"
