"""Audit: where a report's own numbers disagree, found the way a careful reviewer reads.

One rule per check kind of the shared vocabulary (`checks.KINDS`), registered in
`RULES` with its kind, severity and Chinese title; each is a pure function of the
document's `Evidence` (its facts and, when given, its text) returning `Check` rows
that are stored beside the figures they question. Families of rules live in their
own modules:

- `scores`: total against parts, weights against the full score, grade bands, the
  budget-execution score, totals nothing supports, scoring left incomplete;
- `execution`: the rate against executed ÷ budget, low execution, budget cuts,
  spending not disclosed, outputs reported whole on money not spent;
- `amounts`: money and counts against their parts, projects against the department,
  expenses against the budget, cost caps;
- `indicators`: targets missed at full marks, points deducted, targets missed or set
  low, actuals that restate targets, qualitative targets, low satisfaction, full marks
  for results not there yet, targets nothing can miss;
- `statements`: two statements of one figure, dates and codes of another year, units,
  achievements copied from the goals;
- `remarks`: year and region, reasons left out, spending remarks, the form, roles;
- `rounding`: differences in the last digit only, from the comparisons above.

Precision first: a rule runs only on values read with confidence. When a value it
needs is in doubt (a row not read, a figure stated but not attached), it is skipped
for that project and the doubt becomes a review reason naming what was not read;
an unrelated review reason never stops a rule. No I/O, no streamlit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from budgetperf.reading.blocks import SourceDocument
from budgetperf.understanding.audit import amounts, execution, indicators, remarks, rounding, scores, statements
from budgetperf.understanding.audit.checks import KINDS, SEVERITY_ZH, Check, finding
from budgetperf.understanding.audit.evidence import Evidence
from budgetperf.understanding.audit.indicators import quantified_share
from budgetperf.understanding.records import DocumentFacts

__all__ = ["KINDS", "RULES", "SEVERITY_ZH", "Check", "Rule", "audit_document", "finding", "quantified_share"]


class Rule(NamedTuple):
    """One audit rule: the kind it reports, that kind's severity, a short Chinese
    title, and the check itself."""

    kind: str
    severity: str
    title: str
    check: Callable[[Evidence], list[Check]]


def _rule(kind: str, title: str, check) -> Rule:
    return Rule(kind, KINDS[kind], title, check)


RULES: tuple[Rule, ...] = (
    _rule("total_vs_parts", "总分与各部分得分之和不一致", scores.rule_total_vs_parts),
    _rule("weights_sum", "分值合计不等于满分", scores.rule_weights_sum),
    _rule("execution_rate_mismatch", "执行率与 执行数÷预算 不符", execution.rule_execution_rate_mismatch),
    _rule("grade_vs_score", "等级与得分区间不符", scores.rule_grade_vs_score),
    _rule("amounts_vs_total", "金额或数量合计与分项不符", amounts.rule_amounts_vs_total),
    _rule("execution_score", "预算执行得分与 分值×执行率 不符", scores.rule_execution_score),
    _rule("actual_below_target", "未达目标却得满分", indicators.rule_actual_below_target),
    _rule("score_vs_rule", "得分不符合报告自身的计分规则", indicators.rule_score_vs_rule),
    _rule("satisfaction_vs_score", "满意度偏低却得满分", indicators.rule_satisfaction_vs_score),
    _rule("claim_unsupported", "实际值或满分缺少依据", indicators.rule_claim_unsupported),
    _rule("outputs_vs_spending", "资金大多未支出，产出却全部完成", execution.rule_outputs_vs_spending),
    _rule("actual_restates_target", "实际完成值照抄目标值", indicators.rule_actual_restates_target),
    _rule("narrative_vs_table", "同一数字两处表述不一", statements.rule_narrative_vs_table),
    _rule("unit_or_measure_wrong", "单位或口径有误", statements.rule_unit_or_measure_wrong),
    _rule("cost_cap_over_budget", "成本指标上限高于预算", amounts.rule_cost_cap_over_budget),
    _rule("projects_vs_department", "项目预算合计与部门预算不符", amounts.rule_projects_vs_department),
    _rule("expenses_vs_budget", "支出明细合计与预算不符", amounts.rule_expenses_vs_budget),
    _rule("budget_cut", "年中大幅调减预算", execution.rule_budget_cut),
    _rule("low_execution", "预算执行率低于 80%", execution.rule_low_execution),
    _rule("execution_missing", "未披露执行情况", execution.rule_execution_missing),
    _rule("reason_missing", "未完成却未写明原因", remarks.rule_reason_missing),
    _rule("score_unsupported", "总分缺少指标表支撑", scores.rule_score_unsupported),
    _rule("period_mismatch", "日期或编码年度与报告年度不符", statements.rule_period_mismatch),
    _rule("year_inferred", "年度为推断所得", remarks.rule_year_inferred),
    _rule("year_missing", "年度无法确定", remarks.rule_year_missing),
    _rule("region_unresolved", "地区无法识别", remarks.rule_region_unresolved),
    _rule("qualitative_targets", "指标缺少量化目标", indicators.rule_qualitative_targets),
    _rule("target_missed", "指标未达目标（已扣分或说明）", indicators.rule_target_missed),
    _rule("points_deducted", "达标指标被扣分", indicators.rule_points_deducted),
    _rule("target_underset", "目标值偏低", indicators.rule_target_underset),
    _rule("indicator_design", "指标设计不当", indicators.rule_indicator_design),
    _rule("units_and_comparators", "缺少单位或比较符号", remarks.rule_units_and_comparators),
    _rule("rounding", "尾数差异", rounding.rule_rounding),
    _rule("scoring_incomplete", "评分不完整", scores.rule_scoring_incomplete),
    _rule("form_irregular", "表格不完整或不规范", remarks.rule_form_irregular),
    _rule("copied_text", "文字照抄目标", statements.rule_copied_text),
    _rule("unit_roles", "主管部门或评价方式异常", remarks.rule_unit_roles),
    _rule("execution_remark", "资金执行提示", remarks.rule_execution_remark),
)


def audit_document(facts: DocumentFacts, document: SourceDocument | None = None) -> list[Check]:
    """Run every rule over one document's facts and, when given, its text.

    Rules skipped on a project because a value they need was not read leave a review
    reason on that project (once per code and message, so auditing again adds none):
    the only change this makes to `facts`."""
    ev = Evidence(facts, document)
    checks: list[Check] = []
    for rule in RULES:
        checks.extend(rule.check(ev))
    for project, reason in ev.doubts.values():
        if not any(r.code == reason.code and r.message_zh == reason.message_zh for r in project.review_reasons):
            project.review_reasons.append(reason)
    return checks
