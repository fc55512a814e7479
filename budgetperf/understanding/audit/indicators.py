"""Rules on indicator rows: a target missed at full marks, a target met yet points
deducted (against the report's own scoring rule, or with no rule and no reason),
targets missed or set too low, actuals that restate targets, targets without numbers,
a rate indicator filled with an amount, and low satisfaction at full marks.

Target and actual are compared through `outcomes`, so every rule agrees on whether a
row met its target; a row whose values are not comparable numbers is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from budgetperf.reading.blocks import compact
from budgetperf.understanding.audit.checks import Check, finding, fmt
from budgetperf.understanding.audit.evidence import Evidence
from budgetperf.understanding.audit.outcomes import (
    COMPARATOR_TEXT,
    MET,
    MISSED,
    UNFINISHED,
    has_full_marks,
    is_date,
    lost_points,
    measure,
    outcome,
)
from budgetperf.understanding.audit.scoring_parts import is_sub_row
from budgetperf.understanding.records import Indicator, Project

LOW_SATISFACTION_PCT = 90.0
# an actual this many times a count target suggests the target was set too low
UNDERSET_FACTOR = 1.5
# qualitative targets worth a remark: at least this many rows, this many and this share vague
QUALITATIVE_MIN_ROWS, QUALITATIVE_MIN_VAGUE, QUALITATIVE_SHARE = 4, 2, 0.25
# one actual written as a bound can be a specification (≥50年 design life); several
# are a form filled by copying the targets
RESTATED_MIN_ROWS = 2

# The report's own scoring rule for indicators: points in proportion to completion,
# or full marks for a met target.
PROPORTIONAL_RULE = re.compile(
    r"按(?:实际)?完成值与(?:指标|目标)值之比(?:计分|计算得分|赋分)|实际(?:完成)?值/(?:指标|目标)值[×*]分值"
    r"|按(?:实际)?完成(?:比例|率)(?:计分|赋分|计算得分)|完成值/指标值[×*]")
FULL_MARKS_RULE = re.compile(r"(?:达到|完成)(?:年度)?(?:指标|目标)值?的?(?:得|计|给予?)满分|达标(?:得|计)满分|完成(?:目标)?即得满分")


def main_rows(p: Project) -> list[Indicator]:
    return [i for i in p.indicators if not is_sub_row(i)]


def _rows_text(rows) -> str:
    return "；".join(f"「{i.name}」目标 {i.target}、实际 {i.actual}" + (f"、得分 {fmt(i.score)}/{fmt(i.weight)}"
                                                                  if i.score is not None and i.weight is not None else "")
                    for i in rows[:6]) + ("等" if len(rows) > 6 else "")


def _rows_what(rows) -> str:
    return "; ".join(f"{i.name}: {i.actual} vs {i.target}" + (f" ({fmt(i.score)}/{fmt(i.weight)})" if i.score is not None else "")
                     for i in rows[:6])


def _rows_finding(rule: str, p: Project, what_zh: str, what_en: str, rows: list[Indicator]) -> Check:
    """One finding on a project naming its indicator rows that the rule picked."""
    return finding(rule, f"「{p.name}」{what_zh}：{_rows_text(rows)}", f"{what_en}: {_rows_what(rows)}", p.name, rows)


def _flag_rows(ev: Evidence, rule: str, keep: Callable[[Indicator], bool], what_zh: str, what_en: str) -> list[Check]:
    """One finding per project on the main indicator rows `keep` picks, if it picks any."""
    out = []
    for p in ev.projects:
        rows = [i for i in main_rows(p) if keep(i)]
        if rows:
            out.append(_rows_finding(rule, p, what_zh, what_en, rows))
    return out


def rule_actual_below_target(ev: Evidence) -> list[Check]:
    out = []
    for p in ev.projects:
        for i in main_rows(p):
            o = outcome(i)
            if o is None or o.status != MISSED or not has_full_marks(i):
                continue
            cap = o.target.comparator in ("≤", "<")
            out.append(finding(
                "actual_below_target",
                f"「{p.name}」指标「{i.name}」实际 {i.actual}{'超过上限' if cap else '未达目标'} {i.target}，却得满分 {fmt(i.score)}",
                f"{i.name}: actual {i.actual} {'above the cap' if cap else 'below the target'} {i.target} yet full marks",
                p.name, (i,)))
    return out


def stated_rule(ev: Evidence, p: Project) -> str | None:
    """The scoring rule the report states for the project's indicators: 'proportional',
    'full_marks' or None."""
    text = ev.project_text(p) if ev.document else ""
    if PROPORTIONAL_RULE.search(text):
        return "proportional"
    if FULL_MARKS_RULE.search(text):
        return "full_marks"
    return None


def rule_score_vs_rule(ev: Evidence) -> list[Check]:
    out = []
    for p in ev.projects:
        rule = stated_rule(ev, p)
        if rule is None:
            continue
        for i in main_rows(p):
            o = outcome(i)
            if o is None or i.weight is None or i.score is None:
                continue
            if o.status == MET and lost_points(i):
                out.append(finding(
                    "score_vs_rule", f"「{p.name}」指标「{i.name}」实际 {i.actual} 已达到目标 {i.target}，按报告写明的计分规则应得满分 "
                                     f"{fmt(i.weight)}，却只得 {fmt(i.score)}",
                    f"{i.name}: {i.actual} meets {i.target} yet scored {fmt(i.score)} of {fmt(i.weight)} against the stated rule",
                    p.name, (i,)))
            elif o.status == MISSED and rule == "proportional" and o.target.comparator not in ("≤", "<") and o.target.value:
                expected = i.weight * o.actual.value / o.target.value
                if abs(expected - i.score) >= 0.5:
                    out.append(finding(
                        "score_vs_rule", f"「{p.name}」指标「{i.name}」完成 {i.actual}、目标 {i.target}，按报告写明的比例计分应得 "
                                         f"{expected:.2f}，表中为 {fmt(i.score)}",
                        f"{i.name}: the stated proportional rule gives {expected:.2f}, the table {fmt(i.score)}", p.name, (i,)))
    return out


def rule_points_deducted(ev: Evidence) -> list[Check]:
    out = []
    for p in ev.projects:
        if stated_rule(ev, p):
            continue  # with a stated rule the deduction is score_vs_rule's
        rows = [i for i in main_rows(p) if lost_points(i) and not i.deviation_reason
                and (o := outcome(i)) is not None and o.status == MET]
        if rows:
            out.append(_rows_finding(
                "points_deducted", p, "指标已达到目标却被扣分，未说明原因",
                "targets met yet points lost with no reason", rows))
    return out


def _is_missed_at_a_cost(i: Indicator) -> bool:
    """Missed (or stated unfinished) and paid for in points or explained; a shortfall
    at full marks is actual_below_target's, not a remark."""
    o = outcome(i)
    unfinished = o is None and measure(i.target).is_numeric and not is_date(i.target) \
        and bool(UNFINISHED.search(compact(i.actual or "")))
    return (o is not None and o.status == MISSED or unfinished) and bool(lost_points(i) or i.deviation_reason) \
        and not has_full_marks(i)


def rule_target_missed(ev: Evidence) -> list[Check]:
    return _flag_rows(ev, "target_missed", _is_missed_at_a_cost, "指标未达到目标（已扣分或说明原因）", "targets missed")


def _is_far_above_target(i: Indicator) -> bool:
    """A count target met many times over (not a rate, not a cap)."""
    o = outcome(i)
    if o is None or o.status != MET or o.target.unit in (None, "%", "‰") or o.target.comparator in ("≤", "<"):
        return False
    return bool(o.target.value) and o.actual.value > UNDERSET_FACTOR * o.target.value


def rule_target_underset(ev: Evidence) -> list[Check]:
    return _flag_rows(ev, "target_underset", _is_far_above_target, "实际完成远超目标，目标可能偏低",
                      "actuals far above target")


def rule_actual_restates_target(ev: Evidence) -> list[Check]:
    out = []
    for p in ev.projects:
        if not ev.is_evaluated(p):
            continue
        rows = [i for i in main_rows(p) if i.actual and COMPARATOR_TEXT.match(compact(i.actual))]
        if len(rows) >= RESTATED_MIN_ROWS:
            out.append(_rows_finding(
                "actual_restates_target", p, "实际完成值照抄目标值（带比较符号），没有实测结果",
                "actuals repeat the targets with their comparators", rows))
    return out


def quantified_share(indicators: list[Indicator]) -> float | None:
    """量化率: share of indicators whose target is a number (None without indicators)."""
    with_target = [i for i in indicators if i.target]
    if not with_target:
        return None
    return sum(measure(i.target).is_numeric for i in with_target) / len(with_target)


def rule_qualitative_targets(ev: Evidence) -> list[Check]:
    out = []
    for p in ev.projects:
        rows = [i for i in main_rows(p) if i.target]
        vague = [i for i in rows if not measure(i.target).is_numeric and not is_date(i.target)]
        if len(rows) < QUALITATIVE_MIN_ROWS or len(vague) < QUALITATIVE_MIN_VAGUE or len(vague) / len(rows) < QUALITATIVE_SHARE:
            continue
        words = "、".join(dict.fromkeys(i.target for i in vague))
        out.append(finding(
            "qualitative_targets", f"「{p.name}」{len(vague)}/{len(rows)} 个指标没有可衡量的目标值（{words}）",
            f"{len(vague)} of {len(rows)} indicators have no numeric target ({words})", p.name, vague))
    return out


def rule_satisfaction_vs_score(ev: Evidence) -> list[Check]:
    """A surveyed satisfaction stated in the text that is low, while the satisfaction
    section got full marks (reports scored by section)."""
    out = []
    for p in ev.projects:
        section = next((s for s in p.section_scores if "满意" in s.section), None)
        if section is None or section.max is None or section.score is None or section.score < section.max:
            continue
        for fact in p.output_facts:
            survey = measure(fact.value)
            if "满意" in fact.name and survey.unit == "%" and survey.value < LOW_SATISFACTION_PCT:
                out.append(finding(
                    "satisfaction_vs_score",
                    f"「{p.name}」满意度调查仅 {fact.value}，满意度部分却得满分 {fmt(section.score)}/{fmt(section.max)}",
                    f"satisfaction surveyed at {fact.value} yet the satisfaction section got its full "
                    f"{fmt(section.score)} of {fmt(section.max)} points", p.name, (fact, section)))
    return out


# an actual that says the result cannot be known yet
_NOT_YET = re.compile(r"尚无法评价|无法评估|尚未显现|尚未开展|未开展调查|未开展|未到验收|尚未建成|尚未投用|尚未完工|建设中|在建")


def rule_claim_unsupported(ev: Evidence) -> list[Check]:
    """Full marks for a row whose actual itself says the result is not there yet."""
    return _flag_rows(ev, "claim_unsupported",
                      lambda i: has_full_marks(i) and bool(i.actual) and bool(_NOT_YET.search(compact(i.actual))),
                      "实际完成值写明尚无结果，却得满分", "full marks for results not there yet")


_AT_LEAST_NOTHING = re.compile(r"^(?:≥|>=|≧)0(?:\.0+)?[^\d.]{0,4}$")
_AT_MOST_ALL = re.compile(r"^(?:≤|<=|≦)100(?:\.0+)?%$")
# shares that cannot exceed 100% by their nature (a 控制率 of spending can)
_SHARE_OF_ALL = re.compile(r"合格率|满意度|满意率|覆盖率|知晓率|达标率|合规率|准确率|及时率|到位率")


def rule_indicator_design(ev: Evidence) -> list[Check]:
    """Targets no result can miss (≥0, ≤100% for a rate), and output rows with no
    quantity indicator among several."""
    out = []
    for p in ev.projects:
        degenerate = [i for i in main_rows(p) if i.target and (_AT_LEAST_NOTHING.match(compact(i.target)) or (
            _AT_MOST_ALL.match(compact(i.target)) and _SHARE_OF_ALL.search(i.name)))]
        if degenerate:
            out.append(_rows_finding(
                "indicator_design", p, "目标值无法不达到（如 ≥0、≤100%）",
                "targets nothing can miss", degenerate))
        outputs = [i for i in main_rows(p) if "产出" in (i.level1 or "") and i.level2]
        if len(outputs) >= 3 and not any("数量" in i.level2 for i in outputs):
            out.append(finding(
                "indicator_design", f"「{p.name}」产出指标中没有数量指标", "no quantity indicator among the outputs",
                p.name, outputs[:1]))
    return out
