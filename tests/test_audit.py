"""Each audit rule on small facts that trigger it and facts that do not."""

import pytest

from budgetperf.understanding.audit import RULES, audit_document, quantified_share
from budgetperf.understanding.records import (
    DocumentFacts,
    ExpenseItem,
    Indicator,
    NarrativeFigure,
    OutputFact,
    Project,
    Provenance,
    SectionScore,
    Value,
)

P = Provenance("t.txt", 1, 1, "…")


def val(x, raw=None):
    return Value(x, P, raw)


def ind(name="甲", target="≥10人", actual="12人", weight=10, score=10, level2="数量指标", level1="产出指标"):
    return Indicator(level1, level2, name, target, actual, weight, score, P)


def project(**kw) -> Project:
    p = Project(name=kw.pop("name", "测试项目"), kind=kw.pop("kind", "evaluation"), prov=P)
    for key, value in kw.items():
        setattr(p, key, value)
    return p


def facts(*projects, year=2023, explicit=True, region="乐亭县") -> DocumentFacts:
    return DocumentFacts(file="t.txt", fmt="txt", region=Value(region) if region else None, year=Value(year) if year else None,
                         year_is_explicit=explicit, year_evidence="（2023年度）", year_line=1, projects=list(projects))


def kinds(f: DocumentFacts) -> set[str]:
    return {c.kind for c in audit_document(f)}


FULL = dict(budget_initial=val(100), executed=val(100), execution_rate=val(100), budget_weight=val(10), budget_score=val(10))


def nine_indicators(**kw):
    return [ind(name=f"指标{i}", **kw) for i in range(9)]


@pytest.mark.parametrize("case, expected_kind, present", [
    # total_vs_parts
    (facts(project(indicators=nine_indicators(), total_score=val(100), **FULL)), "total_vs_parts", False),
    (facts(project(indicators=nine_indicators(), total_score=val(95), **FULL)), "total_vs_parts", True),
    (facts(project(section_scores=[SectionScore("产出指标", 50, 45, P), SectionScore("效益指标", 50, 50, P)], total_score=val(99))), "total_vs_parts", True),
    # weights_sum
    (facts(project(indicators=nine_indicators(), **FULL)), "weights_sum", False),
    (facts(project(indicators=nine_indicators()[:8], **FULL)), "weights_sum", True),
    (facts(project(kind="target", indicators=nine_indicators()[:3])), "weights_sum", False),
    # 预算执行率 listed as an indicator too: the budget row is not counted twice
    (facts(project(indicators=nine_indicators()[:8] + [ind(name="预算执行率", target="100%", actual="100%", weight=20, score=20)],
                   total_score=val(100), **FULL)), "weights_sum", False),
    (facts(project(indicators=nine_indicators()[:8] + [ind(name="预算执行率", target="100%", actual="100%", weight=20, score=20)],
                   total_score=val(100), **FULL)), "total_vs_parts", False),
    # execution rate vs executed / budget
    (facts(project(budget_initial=val(110), executed=val(98.69), execution_rate=val(89.72))), "execution_rate_mismatch", False),
    (facts(project(budget_initial=val(110), executed=val(98.69), execution_rate=val(95))), "execution_rate_mismatch", True),
    # execution score vs weight x rate
    (facts(project(budget_weight=val(10), budget_score=val(9), execution_rate=val(89.72))), "execution_score", False),
    (facts(project(budget_weight=val(10), budget_score=val(10), execution_rate=val(60))), "execution_score", True),
    # grade vs bands (only a written grade)
    (facts(project(total_score=val(99), grade=val("优", "优秀"))), "grade_vs_score", False),
    (facts(project(total_score=val(85), grade=val("优", "优秀"))), "grade_vs_score", True),
    (facts(project(total_score=val(85), grade=val("良", None))), "grade_vs_score", False),
    # actual below target, full marks
    (facts(project(indicators=[ind(target="≥20个", actual="18个")])), "actual_below_target", True),
    (facts(project(indicators=[ind(target="≥20个", actual="18个", score=8)])), "actual_below_target", False),
    (facts(project(indicators=[ind(target="≤100元", actual="95元")])), "actual_below_target", False),
    # low satisfaction, full marks
    (facts(project(section_scores=[SectionScore("满意度指标", 10, 10, P)], output_facts=[OutputFact("服务对象满意度", "80%", P)])), "satisfaction_vs_score", True),
    (facts(project(section_scores=[SectionScore("满意度指标", 10, 10, P)], output_facts=[OutputFact("服务对象满意度", "96%", P)])), "satisfaction_vs_score", False),
    (facts(project(section_scores=[SectionScore("满意度指标", 10, 8, P)], output_facts=[OutputFact("服务对象满意度", "80%", P)])), "satisfaction_vs_score", False),
    # cost cap above the budget
    (facts(project(kind="target", budget_initial=val(20), indicators=[ind(target="≤22万元", actual=None, level2="成本指标")])), "cost_cap_over_budget", True),
    (facts(project(kind="target", budget_initial=val(61), indicators=[ind(target="≤61万元", actual=None, level2="成本指标")])), "cost_cap_over_budget", False),
    (facts(project(budget_initial=val(2), indicators=[ind(target="≤25000元", actual="2万", level2="成本指标")])), "cost_cap_over_budget", True),
    # projects vs department
    (facts(project(name="部门整体支出", kind="department", budget_initial=val(87), projects_evaluated=val(2)),
           project(name="甲", budget_initial=val(37)), project(name="乙", budget_initial=val(50))), "projects_vs_department", False),
    (facts(project(name="部门整体支出", kind="department", budget_initial=val(90), projects_evaluated=val(2)),
           project(name="甲", budget_initial=val(37)), project(name="乙", budget_initial=val(50))), "projects_vs_department", True),
    (facts(project(name="部门整体支出", kind="department", budget_initial=val(90), projects_evaluated=val(5)),
           project(name="甲", budget_initial=val(37))), "projects_vs_department", False),
    # expense items vs budget
    (facts(project(budget_initial=val(21.18), expense_items=[ExpenseItem("劳务费", 16.95, P), ExpenseItem("办公费", 4.23, P)])), "expenses_vs_budget", False),
    (facts(project(budget_initial=val(50), expense_items=[ExpenseItem("劳务费", 30, P), ExpenseItem("办公费", 17, P)])), "expenses_vs_budget", True),
    # execution missing
    (facts(project(budget_initial=val(21.18))), "execution_missing", True),
    (facts(project(kind="target", budget_initial=val(20))), "execution_missing", False),
    (facts(project(budget_initial=val(10), execution_rate=val(90))), "execution_missing", False),
    # score unsupported
    (facts(project(total_score=val(100))), "score_unsupported", True),
    (facts(project(total_score=val(100), section_scores=[SectionScore("产出指标", 100, 100, P)])), "score_unsupported", False),
    # year
    (facts(project(), explicit=False), "year_inferred", True),
    (facts(project(), explicit=True), "year_inferred", False),
    (facts(project(), year=None), "year_missing", True),
    # region
    (facts(project(), region=None), "region_unresolved", True),
    # narrative vs table
    (facts(project(indicators=[ind(name="扩大网评队伍规模", target="≥200人", actual="260人")],
                   narrative_figures=[NarrativeFigure("建立300余人的网评员队伍", 300, "人", True, P)])), "narrative_vs_table", True),
    (facts(project(indicators=[ind(name="扩大网评队伍规模", target="≥200人", actual="260人")],
                   narrative_figures=[NarrativeFigure("建立200余人的网评员队伍", 200, "人", True, P)])), "narrative_vs_table", False),
    (facts(project(indicators=[ind(name="活动开展情况", target="≥10场", actual="14场")],
                   narrative_figures=[NarrativeFigure("完成各类网评任务350余次", 350, "次", True, P)])), "narrative_vs_table", False),
    # qualitative targets
    (facts(project(indicators=[ind(target="长期"), ind(target="及时性"), ind(target="≥5人")])), "qualitative_targets", True),
    (facts(project(indicators=[ind(target="长期"), ind(target="≥5人"), ind(target="100%")])), "qualitative_targets", False),
])
def test_rule(case, expected_kind, present):
    assert (expected_kind in kinds(case)) is present


def test_every_rule_has_a_chinese_title_and_valid_severity():
    for rule_id, severity, title, func in RULES:
        assert severity in ("error", "warning", "info") and title and callable(func), rule_id


def test_checks_carry_provenance_and_chinese_message():
    f = facts(project(indicators=nine_indicators(), total_score=val(95), **FULL))
    (check,) = [c for c in audit_document(f) if c.kind == "total_vs_parts"]
    assert check.severity_zh == "错误" and "总分" in check.message_zh and check.provenance


def test_quantified_share():
    assert quantified_share([ind(target="长期"), ind(target="≥5人")]) == 0.5
    assert quantified_share([]) is None


def test_rules_that_read_indicators_skip_a_table_that_was_not_fully_read():
    from budgetperf.understanding.records import ReviewReason

    misread = project(indicators=nine_indicators()[:8], total_score=val(95), **FULL)
    assert {"weights_sum", "total_vs_parts"} <= kinds(facts(misread))
    misread.review_reasons = [ReviewReason("indicator_table_unread", "指标表缺少表头")]
    found = kinds(facts(misread))
    assert not {"weights_sum", "total_vs_parts"} & found
    assert "execution_missing" not in found  # rules on the budget still run: the budget was read
