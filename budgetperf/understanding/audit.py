"""Audit rules: the inconsistencies a careful reviewer finds in a report.

Each rule is a pure function `DocumentFacts -> list[Check]`, registered in `RULES`
with an id, a severity and a one-line description. Inconsistencies are data, not
exceptions: checks are stored beside the figures they question and shown with
links to the source lines. No I/O, no streamlit.

Severities: error 错误 (the report contradicts itself), warning 警告 (a reviewer
should look), info 提示 (quality remark).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from budgetperf.understanding.parsers.values import grade_for_score, parse_measure
from budgetperf.understanding.records import (
    DocumentFacts,
    Indicator,
    Project,
    Provenance,
    v,
)

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
TOLERANCE_POINTS = 0.5  # scores are written to at most one decimal
QUALITATIVE_SHARE_FLAG = 0.5
LOW_SATISFACTION_PCT = 90.0


@dataclass(frozen=True)
class Check:
    kind: str
    severity: str
    message_zh: str
    what: str
    project: str | None = None
    provenance: tuple[Provenance, ...] = field(default_factory=tuple)

    @property
    def severity_zh(self) -> str:
        return SEVERITY_ZH[self.severity]

    def to_dict(self) -> dict:
        return {
            "kind": self.kind, "severity": self.severity, "what": self.what, "message_zh": self.message_zh,
            "project": self.project, "lines": [[p.line_start, p.line_end] for p in self.provenance],
        }


def _provs(*items) -> tuple[Provenance, ...]:
    out = []
    for item in items:
        prov = getattr(item, "prov", item)
        if isinstance(prov, Provenance) and prov not in out:
            out.append(prov)
    return tuple(out)


def _fmt(x) -> str:
    return f"{x:g}" if isinstance(x, (int, float)) else str(x)


def _main_indicators(p: Project) -> list[Indicator]:
    """Indicators that carry weight: 其中 sub-rows are parts of the row above."""
    return [i for i in p.indicators if not i.name.startswith("其中")]


def _budget_row_separate(p: Project) -> bool:
    """True when the budget-execution score sits outside the indicator rows. Some
    templates list 预算执行率 as an indicator too; adding the budget row's weight
    again would count it twice."""
    return not any("执行率" in i.name for i in _main_indicators(p))


def _scored(p: Project) -> bool:
    return any(i.score is not None for i in _main_indicators(p))


# ---------------------------------------------------------------------------
# rules

def rule_total_vs_parts(facts: DocumentFacts) -> list[Check]:
    checks = []
    for p in facts.projects:
        total = v(p.total_score)
        if total is None:
            continue
        if _scored(p):
            parts = [i.score or 0 for i in _main_indicators(p)]
            if v(p.budget_score) is not None and _budget_row_separate(p):
                parts.append(v(p.budget_score))
            source = "indicator table"
        elif p.section_scores:
            parts = [s.score or 0 for s in p.section_scores]
            if v(p.budget_score) is not None and not any(s.section == "预算执行率" for s in p.section_scores):
                parts.append(v(p.budget_score))
            source = "section scores"
        else:
            continue
        if abs(sum(parts) - total) > TOLERANCE_POINTS:
            expr = "+".join(_fmt(x) for x in parts)
            checks.append(Check(
                "total_vs_parts", "error",
                f"「{p.name}」总分 {_fmt(total)} 与各部分得分之和 {expr} = {_fmt(sum(parts))} 不一致",
                f"reported total {_fmt(total)} but its parts {expr} add up to {_fmt(sum(parts))} ({source})",
                p.name, _provs(p.total_score, *p.section_scores, *(_main_indicators(p) if _scored(p) else [])),
            ))
    return checks


def rule_weights_sum(facts: DocumentFacts) -> list[Check]:
    checks = []
    for p in facts.projects:
        if p.kind == "target":
            continue
        if v(p.budget_score) is not None and v(p.budget_weight) is None:
            continue  # execution was scored out of an unstated weight: the sum cannot be checked
        indicators = _main_indicators(p)
        if indicators and all(i.weight is not None for i in indicators):
            weights = [i.weight for i in indicators]
            if v(p.budget_weight) is not None and _budget_row_separate(p):
                weights.append(v(p.budget_weight))
            provs = _provs(*indicators, p.budget_weight)
        elif p.section_scores and all(s.max is not None for s in p.section_scores):
            weights = [s.max for s in p.section_scores]
            if v(p.budget_weight) is not None and not any(s.section == "预算执行率" for s in p.section_scores):
                weights.append(v(p.budget_weight))
            provs = _provs(*p.section_scores)
        else:
            continue
        if abs(sum(weights) - 100) > TOLERANCE_POINTS:
            expr = "+".join(_fmt(w) for w in weights)
            checks.append(Check(
                "weights_sum", "error",
                f"「{p.name}」各部分分值 {expr} 合计 {_fmt(sum(weights))}，不是 100",
                f"{'section' if not indicators else 'indicator and budget'} weights {expr} add up to {_fmt(sum(weights))}, not 100", p.name, provs,
            ))
    return checks


def rule_execution_rate(facts: DocumentFacts) -> list[Check]:
    checks = []
    for p in facts.projects:
        budget = v(p.budget_adjusted) or v(p.budget_initial)
        executed, rate = v(p.executed), v(p.execution_rate)
        if not budget or executed is None or rate is None:
            continue
        computed = executed / budget * 100
        if abs(computed - rate) > 0.5:
            checks.append(Check(
                "execution_rate_mismatch", "warning",
                f"「{p.name}」执行率写为 {_fmt(rate)}%，但执行数 {_fmt(executed)} ÷ 预算 {_fmt(budget)} = {computed:.2f}%",
                f"execution rate {_fmt(rate)}% but executed/budget = {computed:.2f}%", p.name,
                _provs(p.execution_rate, p.executed, p.budget_initial),
            ))
    return checks


def rule_execution_score(facts: DocumentFacts) -> list[Check]:
    checks = []
    for p in facts.projects:
        weight, score, rate = v(p.budget_weight), v(p.budget_score), v(p.execution_rate)
        if weight is None or score is None or rate is None:
            continue
        expected = weight * min(rate, 100) / 100
        if score > weight + TOLERANCE_POINTS or abs(score - expected) > 1:
            checks.append(Check(
                "execution_score", "warning",
                f"「{p.name}」预算执行得分 {_fmt(score)}，按分值 {_fmt(weight)} × 执行率 {_fmt(rate)}% 应约为 {expected:.1f}",
                f"execution score {_fmt(score)} differs from weight x rate = {expected:.1f}", p.name,
                _provs(p.budget_score, p.execution_rate),
            ))
    return checks


def rule_grade_vs_score(facts: DocumentFacts) -> list[Check]:
    checks = []
    for p in facts.projects:
        if p.grade is None or p.grade.raw is None or v(p.total_score) is None:
            continue  # only a written grade can contradict the score
        band = grade_for_score(v(p.total_score))
        if band != v(p.grade):
            checks.append(Check(
                "grade_vs_score", "error",
                f"「{p.name}」总分 {_fmt(v(p.total_score))} 应为「{band}」，报告写为「{p.grade.raw}」",
                f"grade {p.grade.raw} inconsistent with total {_fmt(v(p.total_score))} (band {band})", p.name,
                _provs(p.grade, p.total_score),
            ))
    return checks


def _is_satisfaction(i: Indicator) -> bool:
    return "满意" in (i.level1 or "") + (i.level2 or "") + i.name


def rule_actual_below_target(facts: DocumentFacts) -> list[Check]:
    checks = []
    for p in facts.projects:
        for i in _main_indicators(p):
            if i.weight is None or i.score is None or i.score < i.weight:
                continue
            target, actual = parse_measure(i.target), parse_measure(i.actual)
            if not (target.is_numeric and actual.is_numeric) or target.unit != actual.unit:
                continue
            below = (target.comparator in ("≥", "=", None) and actual.value < target.value) or (
                target.comparator == ">" and actual.value <= target.value)
            if below:
                checks.append(Check(
                    "actual_below_target", "warning",
                    f"「{p.name}」指标「{i.name}」实际 {i.actual} 未达目标 {i.target}，却得满分 {_fmt(i.score)}",
                    f"{i.name}: actual {i.actual} below target {i.target} yet full marks", p.name, _provs(i),
                ))
    return checks


def rule_satisfaction_vs_score(facts: DocumentFacts) -> list[Check]:
    """A surveyed satisfaction stated in the text that is low, while the satisfaction
    section got full marks (reports without an indicator table)."""
    checks = []
    for p in facts.projects:
        section = next((s for s in p.section_scores if s.section == "满意度指标"), None)
        if section is None or section.max is None or section.score is None or section.score < section.max:
            continue
        for fact in p.output_facts:
            measure = parse_measure(fact.value)
            if "满意" in fact.name and measure.unit == "%" and measure.value < LOW_SATISFACTION_PCT:
                checks.append(Check(
                    "satisfaction_vs_score", "warning",
                    f"「{p.name}」满意度调查仅 {fact.value}，满意度部分却得满分 {_fmt(section.score)}/{_fmt(section.max)}",
                    f"satisfaction surveyed at {fact.value} yet the satisfaction section got its full "
                    f"{_fmt(section.score)} of {_fmt(section.max)} points", p.name, _provs(fact, section),
                ))
    return checks


def rule_cost_cap_over_budget(facts: DocumentFacts) -> list[Check]:
    checks = []
    for p in facts.projects:
        budget = v(p.budget_adjusted) or v(p.budget_initial)
        if not budget:
            continue
        for i in p.indicators:
            if "成本" not in (i.level2 or "") + (i.level1 or ""):
                continue
            m = parse_measure(i.target)
            if not m.is_numeric or m.comparator not in ("≤", "<") or not m.unit or m.unit.lstrip("万亿") not in ("元", ""):
                continue
            cap = m.value * (1 if m.unit.startswith("万") else 10000 if m.unit.startswith("亿") else 0.0001)
            if cap > budget + 1e-9:
                checks.append(Check(
                    "cost_cap_over_budget", "warning",
                    f"「{p.name}」成本指标「{i.name}」上限 {i.target} 高于预算 {_fmt(budget)} 万元",
                    f"{p.name}: cost indicator caps spending at {i.target} but the budget is {_fmt(budget)}万元",
                    p.name, _provs(i, p.budget_initial),
                ))
    return checks


def rule_projects_vs_department(facts: DocumentFacts) -> list[Check]:
    department = next((p for p in facts.projects if p.kind == "department"), None)
    projects = [p for p in facts.projects if p.kind == "evaluation"]
    if department is None or v(department.budget_initial) is None or not projects:
        return []
    if v(department.projects_evaluated) != len(projects) or any(v(p.budget_initial) is None for p in projects):
        return []  # only when the report evaluates every project it budgets for
    total = sum(v(p.budget_adjusted) or v(p.budget_initial) for p in projects)
    if abs(total - v(department.budget_initial)) > 0.005 * max(total, 1):
        return [Check(
            "projects_vs_department", "warning",
            f"各项目预算合计 {_fmt(round(total, 4))} 万元，与部门预算 {_fmt(v(department.budget_initial))} 万元不一致",
            f"project budgets add up to {total:g} but the department budget is {v(department.budget_initial):g}",
            department.name, _provs(department.budget_initial, *[p.budget_initial for p in projects]),
        )]
    return []


def rule_expenses_vs_budget(facts: DocumentFacts) -> list[Check]:
    checks = []
    for p in facts.projects:
        budget = v(p.budget_adjusted) or v(p.budget_initial)
        if not p.expense_items or not budget:
            continue
        total = round(sum(e.amount_wan for e in p.expense_items), 6)
        if abs(total - budget) > 0.005:
            checks.append(Check(
                "expenses_vs_budget", "warning",
                f"「{p.name}」支出明细合计 {_fmt(total)} 万元，与预算 {_fmt(budget)} 万元不一致",
                f"expense items add up to {total:g} but the budget is {budget:g}", p.name,
                _provs(*p.expense_items, p.budget_initial),
            ))
    return checks


def rule_execution_missing(facts: DocumentFacts) -> list[Check]:
    return [
        Check("execution_missing", "warning", f"「{p.name}」未披露执行数和执行率",
              "no executed amount or execution rate is disclosed", p.name, _provs(p.budget_initial, p))
        for p in facts.projects
        if p.kind in ("evaluation", "department") and v(p.executed) is None and v(p.execution_rate) is None
    ]


def rule_score_unsupported(facts: DocumentFacts) -> list[Check]:
    return [
        Check("score_unsupported", "warning",
              f"「{p.name}」给出总分 {_fmt(v(p.total_score))}，但没有指标表或分项得分支撑",
              f"total score {_fmt(v(p.total_score))} is given without an indicator table", p.name, _provs(p.total_score))
        for p in facts.projects
        if v(p.total_score) is not None and not _scored(p) and not p.section_scores
    ]


def rule_year_inferred(facts: DocumentFacts) -> list[Check]:
    if v(facts.year) is None:
        return [Check("year_missing", "warning", "报告未写明年度，也无法推断", "the year is neither stated nor inferable")]
    if facts.year_is_explicit:
        return []
    line = facts.year_line or 0
    prov = (Provenance(facts.file, line, line, facts.year_evidence or ""),) if line else ()
    return [Check(
        "year_inferred", "warning", f"年度 {v(facts.year)} 为推断所得，并非报告标题写明（依据：{facts.year_evidence}）",
        f"the year {v(facts.year)} is inferred, not stated in a header", None, prov,
    )]


def rule_region_unresolved(facts: DocumentFacts) -> list[Check]:
    if v(facts.region) is not None:
        return []
    return [Check("region_unresolved", "warning", "无法识别报告所属地区：请在「数据校对」页更正该文档的地区，或在地区表中补充该地区",
                  "the report's region is not in the reference table")]


def rule_narrative_vs_table(facts: DocumentFacts) -> list[Check]:
    """A count in the report's text contradicts the table's actual for the same thing
    (the text says 300余人, the table 260人)."""
    checks = []
    for p in facts.projects:
        for i in _main_indicators(p):
            actual = parse_measure(i.actual)
            if not actual.is_numeric or not actual.unit or actual.unit == "%":
                continue
            name_grams = _bigrams(i.name)
            for fig in p.narrative_figures:
                if fig.unit != actual.unit or len(name_grams & _bigrams(fig.text)) < 2:
                    continue
                a, b = fig.number, actual.value
                if a == b or abs(a - b) / max(a, b) <= 0.1:
                    continue
                if fig.is_approximate and a <= b < a * 1.5:
                    continue  # "200余人" and 260人 agree
                checks.append(Check(
                    "narrative_vs_table", "warning",
                    f"「{p.name}」正文写「{fig.text}」，自评表「{i.name}」实际完成值为 {i.actual}",
                    f"{p.name}: the report text says {fig.text} while the table's actual for {i.name} is {i.actual}",
                    p.name, _provs(fig, i),
                ))
                break
    return checks


def _bigrams(text: str) -> set[str]:
    return {text[k : k + 2] for k in range(len(text) - 1)}


def quantified_share(indicators: list[Indicator]) -> float | None:
    """量化率: share of indicators whose target is a number (None without indicators)."""
    with_target = [i for i in indicators if i.target]
    if not with_target:
        return None
    return sum(parse_measure(i.target).is_numeric for i in with_target) / len(with_target)


def rule_qualitative_targets(facts: DocumentFacts) -> list[Check]:
    checks = []
    for p in facts.projects:
        indicators = [i for i in _main_indicators(p) if i.target]
        share = quantified_share(indicators)
        if share is None or 1 - share < QUALITATIVE_SHARE_FLAG:
            continue
        vague = [i for i in indicators if not parse_measure(i.target).is_numeric]
        words = "、".join(dict.fromkeys(i.target for i in vague))
        checks.append(Check(
            "qualitative_targets", "info",
            f"「{p.name}」{len(vague)}/{len(indicators)} 个指标没有量化目标值（{words}），量化率 {share * 100:.0f}%",
            f"{p.name}: {len(vague)} of {len(indicators)} indicators have no numeric target ({words})",
            p.name, _provs(*vague),
        ))
    return checks


RULES = (
    ("total_vs_parts", "error", "总分与各部分得分之和不一致", rule_total_vs_parts),
    ("weights_sum", "error", "分值合计不是 100", rule_weights_sum),
    ("execution_rate_mismatch", "warning", "执行率与 执行数÷预算 不符", rule_execution_rate),
    ("execution_score", "warning", "预算执行得分与 分值×执行率 不符", rule_execution_score),
    ("grade_vs_score", "error", "等级与得分区间不符", rule_grade_vs_score),
    ("actual_below_target", "warning", "实际未达目标却得满分", rule_actual_below_target),
    ("satisfaction_vs_score", "warning", "满意度偏低却得满分", rule_satisfaction_vs_score),
    ("cost_cap_over_budget", "warning", "成本指标上限高于预算", rule_cost_cap_over_budget),
    ("projects_vs_department", "warning", "项目预算合计与部门预算不符", rule_projects_vs_department),
    ("expenses_vs_budget", "warning", "支出明细合计与预算不符", rule_expenses_vs_budget),
    ("execution_missing", "warning", "未披露执行数", rule_execution_missing),
    ("score_unsupported", "warning", "总分缺少指标表支撑", rule_score_unsupported),
    ("year_inferred", "warning", "年度为推断所得", rule_year_inferred),
    ("region_unresolved", "warning", "地区无法识别", rule_region_unresolved),
    ("narrative_vs_table", "warning", "正文数字与自评表不符", rule_narrative_vs_table),
    ("qualitative_targets", "info", "指标缺少量化目标", rule_qualitative_targets),
)


# Rules that read a project's indicator rows. When extraction says those rows were
# not fully read (a review reason), the rule would report our misreading as the
# report's error, so it is skipped for that project: the review reason stands instead.
INDICATOR_RULES = {"total_vs_parts", "weights_sum", "actual_below_target", "satisfaction_vs_score",
                   "score_unsupported", "narrative_vs_table", "qualitative_targets"}
UNREAD_INDICATORS = {"indicator_table_unread", "weights_off"}


def audit_document(facts: DocumentFacts) -> list[Check]:
    """Run every rule over one document's facts (see INDICATOR_RULES)."""
    doubtful = [p for p in facts.projects if {r.code for r in p.review_reasons} & UNREAD_INDICATORS]
    trusted = replace(facts, projects=[p for p in facts.projects if p not in doubtful]) if doubtful else facts
    checks: list[Check] = []
    for rule_id, _severity, _title, rule in RULES:
        checks.extend(rule(trusted if rule_id in INDICATOR_RULES else facts))
    return checks
