"""Which rows make up a project's score: the one reading of a score table that the
score rules share.

A report scores either by section (决策/过程/产出/效益, or 产出/效益/满意度 with the
budget row beside them) or by indicator rows. Section scores, when every section has
its maximum and score and the maxima make the full score, are the parts: indicator
rows are then often only the 产出/效益 part of a longer table. Otherwise the parts are
the indicator rows plus the budget-execution row when it sits outside them. 其中 rows
are parts of the row above and do not count, unless they carry their own points and
counting them is what makes the weights add up.

The read is trusted only when the weights read (budget weight included) add up to
the full score: a row we failed to read must never look like the report's error.
When they do not, `weights_in_doubt` says whether that is our reading (an announced
group with no row read, a review reason on the table) or the report's own sum.

Pure functions over facts, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from budgetperf.understanding.audit.arithmetic import EPSILON
from budgetperf.understanding.audit.evidence import Evidence
from budgetperf.understanding.records import Indicator, Project, Provenance, v

FULL_SCORE = 100.0
BUDGET_PART = "预算执行"
# review reasons that say the indicator rows themselves were not read reliably
UNREAD_TABLE = {"indicator_table_unread", "weights_off"}
# a first-level group announced with its points: 产出指标（50分）, 预算执行情况（10分）
_ANNOUNCED = re.compile(r"([\u4e00-\u9fff]{2,10}?(?:指标|情况|目标))[（(](\d+(?:\.\d+)?)分[)）]")
_BUDGET_GROUP = re.compile(r"预算执行|资金管理|资金执行|资金投入")
_FULL_SCORE_WORDS = re.compile(r"百分制|满分(?:为)?100分|总分(?:为)?100分")


@dataclass(frozen=True)
class Part:
    """One part of a score: a section, an indicator row or the budget row."""

    label: str
    weight: float | None
    score: float | None
    prov: Provenance | None


@dataclass(frozen=True)
class Parts:
    """The parts of a project's total, and where they come from."""

    parts: tuple[Part, ...]
    source: str  # "sections" | "indicators"

    @property
    def weights(self) -> list[float | None]:
        return [p.weight for p in self.parts]

    @property
    def scores(self) -> list[float | None]:
        return [p.score for p in self.parts]

    @property
    def weights_complete(self) -> bool:
        return all(w is not None for w in self.weights)


def is_sub_row(i: Indicator) -> bool:
    """A 其中 row: a part of the row above it."""
    return i.name.startswith("其中")


def budget_row_inside(p: Project) -> bool:
    """True when the budget-execution row is one of the indicator rows (some templates
    list 预算执行率 as an indicator); its weight must not be counted twice."""
    return any("执行率" in i.name for i in p.indicators if not is_sub_row(i))


def _budget_part(p: Project) -> Part | None:
    if v(p.budget_weight) is None and v(p.budget_score) is None:
        return None
    prov = (p.budget_score or p.budget_weight).prov
    return Part(BUDGET_PART, v(p.budget_weight), v(p.budget_score), prov)


def full_score(p: Project) -> float:
    """The full score: evaluations are scored out of 100 (百分制). A 总分 row whose 分值
    reads otherwise is adding up the form's own weights, which is what weights_sum
    checks, not a different scale."""
    return FULL_SCORE


def section_parts(p: Project) -> Parts | None:
    """Section scores as the parts when each has a maximum and a score and the maxima
    make the full score (with the budget row beside them when no section is it)."""
    sections = p.section_scores
    if not sections or any(s.max is None or s.score is None for s in sections):
        return None
    parts = [Part(s.section, s.max, s.score, s.prov) for s in sections]
    total_max = sum(s.max for s in sections)
    if abs(total_max - full_score(p)) < EPSILON:
        return Parts(tuple(parts), "sections")
    budget = _budget_part(p)
    has_budget_section = any(_BUDGET_GROUP.search(s.section) for s in sections)
    if budget and budget.weight is not None and not has_budget_section \
            and abs(total_max + budget.weight - full_score(p)) < EPSILON:
        return Parts((*parts, budget), "sections")
    return None


# the two schemes a score is split into: 决策/过程/产出/效益 (投入 and 效果 in older
# forms), or 产出/效益/满意度 with the budget-execution part beside them
_SCHEMES = ((("决策", "投入"), ("过程",), ("产出",), ("效益", "效果")),
            (("产出",), ("效益", "效果"), ("满意",), ("预算执行", "执行率", "资金管理", "资金执行")))


def covers_a_scheme(names: list[str]) -> bool:
    """The sections named are all the parts of one of the two scoring schemes: a report
    that describes only some sections leaves the others out of its text, not its score."""
    return any(all(any(word in name for name in names for word in part) for part in scheme) for scheme in _SCHEMES)


def stated_section_parts(p: Project) -> Parts | None:
    """Section scores as stated, maxima or not (a report scored only by section), when
    they cover a whole scoring scheme (the budget row counting as its part)."""
    if not p.section_scores or any(s.score is None for s in p.section_scores):
        return None
    names = [s.section for s in p.section_scores] + ([BUDGET_PART] if v(p.budget_score) is not None else [])
    if not covers_a_scheme(names):
        return None
    parts = [Part(s.section, s.max, s.score, s.prov) for s in p.section_scores]
    budget = _budget_part(p)
    if budget and budget.score is not None and not any(_BUDGET_GROUP.search(s.section) for s in p.section_scores):
        parts.append(budget)
    return Parts(tuple(parts), "sections")


def indicator_parts(p: Project) -> Parts | None:
    """The indicator rows (and the budget row when it is not one of them). 其中 rows
    count only when they carry points and counting them makes the weights add up."""
    main = [i for i in p.indicators if not is_sub_row(i)]
    if not main:
        return None
    budget = None if budget_row_inside(p) else _budget_part(p)

    def assemble(rows):
        parts = [Part(i.name, i.weight, i.score, i.prov) for i in rows]
        return Parts(tuple(parts + ([budget] if budget else [])), "indicators")

    plain = assemble(main)
    if budget and not adds_up(plain, p):
        # the budget row may be one of the indicator rows under another name (预算执行情况):
        # counted once when that is what makes the weights add up
        alone = Parts(plain.parts[:-1], "indicators")
        if adds_up(alone, p) and any(i.weight == budget.weight for i in main):
            return alone
    weighted_subs = [i for i in p.indicators if is_sub_row(i) and i.weight is not None]
    if weighted_subs and not adds_up(plain, p):
        with_subs = assemble([i for i in p.indicators if not is_sub_row(i) or i.weight is not None])
        if adds_up(with_subs, p):
            return with_subs
    return plain


def adds_up(parts: Parts, p: Project) -> bool:
    """The weights of the parts make the full score."""
    return parts.weights_complete and abs(sum(parts.weights) - full_score(p)) < EPSILON


def score_parts(p: Project) -> Parts | None:
    """The parts of the project's total: complete sections first, else indicator rows
    when any is scored, else sections as stated."""
    sections = section_parts(p)
    if sections:
        return sections
    indicators = indicator_parts(p)
    if indicators and any(i.score is not None for i in p.indicators):
        return indicators
    return stated_section_parts(p)


def announced_groups(ev: Evidence, p: Project) -> dict[str, float]:
    """First-level groups the project's text announces with their points
    (产出指标（50分）, 预算执行情况（10分）), first statement of each."""
    out: dict[str, float] = {}
    for m in _ANNOUNCED.finditer(ev.project_text(p)):
        out.setdefault(m.group(1), float(m.group(2)))
    return out


def unread_groups(ev: Evidence, p: Project) -> list[str]:
    """Announced groups of which nothing was read: no indicator row of that first
    level, no section score, or (for the budget group) no budget weight."""
    levels = {re.sub(r"指标$|目标$", "", i.level1 or "") for i in p.indicators}
    sections = {re.sub(r"指标$|目标$", "", s.section) for s in p.section_scores if s.score is not None}
    missing = []
    for name in announced_groups(ev, p):
        if _BUDGET_GROUP.search(name):
            if v(p.budget_weight) is None:
                missing.append(name)
            continue
        stem = re.sub(r"(指标|情况|目标)$", "", name)
        if stem and not any(stem in x or x and x in stem for x in levels | sections):
            missing.append(name)
    return missing


def weights_in_doubt(ev: Evidence, p: Project) -> tuple[str, bool] | None:
    """Why the indicator weights read may not be the report's, as (a Chinese reason,
    whether it is news: False when a review reason of extraction already says it), or
    None when they can be trusted. Weights that add up to the full score are trusted
    whatever a review reason says: they disprove the doubt."""
    parts = indicator_parts(p)
    if parts and adds_up(parts, p):
        return None
    if parts and parts.weights_complete and v(p.total_weight) is not None \
            and abs(sum(parts.weights) - v(p.total_weight)) < EPSILON:
        return None  # the report's own 总分 row adds up the rows read: none is missing
    unread = unread_groups(ev, p)
    if unread:
        return f"「{'」「'.join(unread)}」没有读出任何一行", True
    missing = implied_row(p)
    if missing:
        weight, score = missing
        return (f"分值合计比满分少 {weight:g} 分，总分比各行得分之和多 {score:g} 分："
                "可能有一行（如预算执行）没有读出或没有列出"), True
    reasons = [r for r in p.review_reasons if r.code in UNREAD_TABLE]
    if reasons:
        return reasons[0].message_zh, False
    if parts and not parts.weights_complete:
        return "部分指标行没有读出分值", True
    return None


def implied_row(p: Project) -> tuple[float, float] | None:
    """The points of a row missing from the read ones: the weights fall short of the full
    score, and the stated total exceeds the scores read by no more than that (one row
    not read, or not listed, scored at most its points): (its points, its score), or
    None when there is no such gap."""
    parts = indicator_parts(p)
    total = v(p.total_score)
    if parts is None or total is None or not parts.weights_complete or any(s is None for s in parts.scores):
        return None
    gap = full_score(p) - sum(parts.weights)
    missing_score = total - sum(parts.scores)
    if gap > EPSILON and EPSILON < missing_score <= gap + EPSILON:
        return round(gap, 6), round(missing_score, 6)
    return None


def states_full_score(ev: Evidence, p: Project) -> bool:
    """The report states its full score: a 总分 row's 分值, or 百分制/满分100分."""
    return v(p.total_weight) is not None or bool(_FULL_SCORE_WORDS.search(ev.project_text(p)))
