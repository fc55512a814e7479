"""Rules on scores: the total against its parts, the weights against the full score,
the grade against its band, the budget-execution score against its rate, and totals
that nothing supports.

Each rule reads the parts through `scoring_parts`, so all of them agree on what the
parts of a score are, and each skips a project (saying why) when the weights it
would rely on were not all read.
"""

from __future__ import annotations

import re
from dataclasses import replace

from budgetperf.understanding.audit.arithmetic import ERROR, ROUNDING, compare_sum
from budgetperf.understanding.audit.checks import Check, finding, fmt
from budgetperf.understanding.audit.evidence import Evidence
from budgetperf.understanding.audit.scoring_parts import (
    BUDGET_PART,
    UNREAD_TABLE,
    Parts,
    adds_up,
    full_score,
    indicator_parts,
    score_parts,
    section_parts,
    stated_section_parts,
    unread_groups,
    weights_in_doubt,
)
from budgetperf.understanding.parsers.values import normalize_grade
from budgetperf.understanding.records import Project, v
from budgetperf.vocabulary import grade_for_score

# a report that names the scoring form its section scores come from (根据《项目支出绩效
# 自评表》…, 详见评分表): its total is supported even without the table in the text
_FORM_REFERENCE = re.compile(r"《[^》]{0,30}(?:自评表|评分表|评价表)》|详见[^。；]{0,20}(?:自评表|评分表)|(?:自评表|评分表)[^。；]{0,6}另附"
                             r"|(?:评分|得分)情况见下表")
# a heading naming a score table: the table is in the report even where it was not read
_FORM_HEADING = re.compile(r"^.{0,40}(?:评分表|自评表|评价表)$")
# a grade scale with only 优秀/合格/不合格 makes 合格 cover 60–89: not checkable against the four bands
_BROAD_GRADES = {"中"}


def _expr(values) -> str:
    return "+".join(fmt(x) for x in values)


BLANK_BUDGET = "预算执行（得分栏空白，按 0 计）"
# a budget-execution score stated in words (预算执行率…得9分)
_BUDGET_SCORE_TEXT = re.compile(r"(?:预算执行|执行率)[^。；]{0,20}得(?:分)?\d+(?:\.\d+)?分")


def _budget_score_left_blank(ev: Evidence, p: Project) -> bool:
    """The funding row was read whole (its weight and amounts) and its score cell is
    empty, and no sentence gives the score instead: the report states no budget score."""
    if not p.budget_lines or not ev.document:
        return False
    row = p.budget_lines[0]
    return row.weight is not None and row.score is None and ev.cells_accounted(row) \
        and not _BUDGET_SCORE_TEXT.search(ev.project_text(p))


def total_comparisons(ev: Evidence) -> list[tuple[Project, Parts, object]]:
    """Every project's total score against the sum of its parts, computed once and
    shared with the rounding rule. A project whose weights are in doubt is skipped
    and the doubt recorded."""
    if "totals" in ev.memo:
        return ev.memo["totals"]
    out = []
    for p in ev.projects:
        total = v(p.total_score)
        parts = score_parts(p)
        if total is None or parts is None or not ev.is_evaluated(p):
            continue
        if any(x.label == BUDGET_PART for x in parts.parts) and not ev.spending_read(p):
            continue  # the budget row's points come from a funding row read shifted
        if parts.source == "indicators" and not adds_up(parts, p):
            doubt = weights_in_doubt(ev, p)
            if doubt:  # a row may not have been read: its score would be missing from the sum
                _record(ev, p, doubt)
                continue
        unscored = [x.label for x in parts.parts if x.score is None]
        if unscored == [BUDGET_PART] and _budget_score_left_blank(ev, p):
            parts = Parts(tuple(replace(x, label=BLANK_BUDGET, score=0) if x.label == BUDGET_PART else x
                                for x in parts.parts), parts.source)
        elif unscored:
            ev.doubt(p, "indicator_table_unread", f"指标表未识别：「{'」「'.join(unscored[:3])}」没有读出得分；"
                     "总分与各部分之和未审核")
            continue
        scores = parts.scores
        out.append((p, parts, compare_sum(scores, total)))
    ev.memo["totals"] = out
    return out


def rule_total_vs_parts(ev: Evidence) -> list[Check]:
    out = []
    for p, parts, c in total_comparisons(ev):
        if c.status != ERROR:
            continue
        label = "各部分" if parts.source == "sections" else "各指标（含预算执行）"
        blank = "；预算执行得分栏空白，按 0 计" if any(x.label == BLANK_BUDGET for x in parts.parts) else ""
        out.append(finding(
            "total_vs_parts",
            f"「{p.name}」总分 {fmt(c.stated)} 与各部分得分之和不一致：{label}得分 {_expr(parts.scores)} = {fmt(c.computed)}"
            f"{blank}",
            f"reported total {fmt(c.stated)} but its parts {_expr(parts.scores)} add up to {fmt(c.computed)} ({parts.source})",
            p.name, (p.total_score, *parts.parts)))
    return out


def total_rounding(ev: Evidence) -> list[Check]:
    return [finding(
        "rounding", f"「{p.name}」总分 {fmt(c.stated)} 与各部分之和 {fmt(c.computed)} 仅差尾数",
        f"total score {fmt(c.stated)} vs its parts {fmt(c.computed)}: a last-digit difference", p.name,
        (p.total_score, *parts.parts)) for p, parts, c in total_comparisons(ev) if c.status == ROUNDING]


def rule_weights_sum(ev: Evidence) -> list[Check]:
    out = []
    for p in ev.projects:
        if not ev.is_evaluated(p) or section_parts(p):
            continue  # sections that make the full score settle it
        parts = indicator_parts(p) if p.indicators else _section_weights(p)
        if parts is None or not parts.weights_complete or adds_up(parts, p):
            continue
        doubt = weights_in_doubt(ev, p) if parts.source == "indicators" else _sections_in_doubt(ev, p)
        if doubt:
            _record(ev, p, doubt)
            continue
        weights = parts.weights
        out.append(finding(
            "weights_sum", f"「{p.name}」各部分分值 {_expr(weights)} 合计 {fmt(sum(weights))}，不等于满分 {fmt(full_score(p))}",
            f"{parts.source} weights {_expr(weights)} add up to {fmt(round(sum(weights), 6))}, not {fmt(full_score(p))}",
            p.name, parts.parts))
    return out


def _section_weights(p: Project) -> Parts | None:
    """Section maxima as the weights of a report scored only by section."""
    return stated_section_parts(p)


def _sections_in_doubt(ev: Evidence, p: Project) -> tuple[str, bool] | None:
    unread = unread_groups(ev, p)
    return (f"「{'」「'.join(unread)}」没有读出得分", True) if unread else None


def _record(ev: Evidence, p: Project, doubt: tuple[str, bool]) -> None:
    """Say why the score rules did not run on `p`, unless a review reason already does."""
    why, is_new = doubt
    if is_new:
        ev.doubt(p, "weights_off", f"权重合计异常：{why}；总分与分值合计未审核")


# a grade scale the report states itself: 90分以上为优秀, 75-89分为良好, 60（含）-74分为合格
_SCALE_STEP = re.compile(r"(\d+(?:\.\d+)?)分?(?:[（(]含[)）])?(?:以上|及以上|[-—~～至到]\d+(?:\.\d+)?分?)(?:的)?(?:为|评为|定为|属于)?"
                         r"[“\"「]?(优秀|良好|合格|不合格|一般|较差|优|良|中|差)")


def stated_scale(ev: Evidence) -> list[tuple[float, str]] | None:
    """The report's own grade bands, (lowest score, grade) best first, when it states at
    least two; grades normalized as the vocabulary's (优秀 → 优)."""
    steps = {}
    for m in _SCALE_STEP.finditer(ev.text):
        grade = normalize_grade(m.group(2))
        if grade:
            steps.setdefault(grade, float(m.group(1)))
    return sorted(((low, g) for g, low in steps.items()), reverse=True) if len(steps) >= 2 else None


def band_of(score: float, scale: list[tuple[float, str]] | None) -> str | None:
    if scale is None:
        return grade_for_score(score)
    return next((grade for low, grade in scale if score >= low), "差")


def rule_grade_vs_score(ev: Evidence) -> list[Check]:
    out = []
    scale = stated_scale(ev) if ev.document else None
    for p in ev.projects:
        total = v(p.total_score)
        if p.grade is None or p.grade.raw is None or total is None:
            continue  # only a written grade can contradict the score
        grade = v(p.grade)
        band = band_of(total * 100 / full_score(p), scale)
        if band == grade or (scale is None and grade in _BROAD_GRADES and 60 <= total < 90):
            continue
        out.append(finding(
            "grade_vs_score", f"「{p.name}」总分 {fmt(total)} 应为「{band}」，报告写为「{p.grade.raw}」",
            f"grade {p.grade.raw} inconsistent with total {fmt(total)} (band {band})", p.name,
            (p.grade, p.total_score)))
    return out


# the report scores execution by its own steps (执行率90%以上得满分, 每低于1%扣0.1分)
_STEP_RULE = re.compile(r"执行率[^。；]{0,15}(?:以上|≥|不低于|达到)[^。；]{0,10}得(?:满分|\d+分)|执行率每(?:降低|低于|减少|下降)")


def rule_execution_score(ev: Evidence) -> list[Check]:
    out = []
    for p in ev.projects:
        if (ev.document and _STEP_RULE.search(ev.project_text(p))) or not ev.spending_read(p):
            continue
        weight, score = v(p.budget_weight), v(p.budget_score)
        rate = _rate(p)
        if weight is None or score is None or rate is None or _score_on_a_moneyless_line(p):
            continue
        expected = weight * min(rate, 100) / 100
        if score > weight + 1e-9 or abs(score - expected) > 1 + 1e-9:
            out.append(finding(
                "execution_score", f"「{p.name}」预算执行得分 {fmt(score)}，按分值 {fmt(weight)} × 执行率 {fmt(round(rate, 2))}% 应约为 {expected:.1f}",
                f"execution score {fmt(score)} differs from weight x rate = {expected:.1f}", p.name,
                (p.budget_score, p.execution_rate, p.executed)))
    return out


def _score_on_a_moneyless_line(p: Project) -> bool:
    """The execution score sits on a money-block line whose amounts are all 0 or
    blank while another line holds the money (年度资金总额 0 | 其中：财政拨款 90): the
    block contradicts itself (amounts_vs_total says so) and the score scores neither."""
    lines = p.budget_lines
    moneyless = [b for b in lines if b.score is not None
                 and all(not x for x in (b.budget_initial_wan, b.budget_adjusted_wan, b.executed_wan))]
    with_money = [b for b in lines if any((b.budget_initial_wan, b.budget_adjusted_wan, b.executed_wan))]
    return bool(moneyless and with_money)


def _rate(p: Project) -> float | None:
    if v(p.execution_rate) is not None:
        return v(p.execution_rate)
    budget = v(p.budget_adjusted) or v(p.budget_initial)
    return v(p.executed) / budget * 100 if budget and v(p.executed) is not None else None


def results_list(ev: Evidence) -> set[int]:
    """Projects read from the rows of one table that lists several projects with a
    score column: a list announcing results of evaluations filed elsewhere."""
    out: set[int] = set()
    for table in ev.tables:
        if not table.rows or not any("得分" in c.text or "分数" in c.text for c in table.rows[0]):
            continue
        inside = ev.projects_between(table.line_start, table.line_end)
        if len(inside) >= 2:
            out |= {id(p) for p in inside}
    return out


def rule_score_unsupported(ev: Evidence) -> list[Check]:
    listed = results_list(ev)
    names_form = bool(ev.has(_FORM_REFERENCE)) or any(_FORM_HEADING.match(line) for line in ev.lines)
    out = []
    for p in ev.projects:
        total = v(p.total_score)
        if total is None or id(p) in listed or any(i.score is not None for i in p.indicators):
            continue
        if any(r.code in UNREAD_TABLE for r in p.review_reasons):
            continue  # an indicator table is there but was not read: the review reason says so
        scored_table = next((t for t in ev.tables_of(p) if t.rows and any(
            "得分" in c.text for c in t.rows[0]) and any("指标" in c.text for c in t.rows[0])), None)
        if scored_table is not None:
            ev.doubt(p, "indicator_table_unread", f"指标表未识别：第 {scored_table.line_start} 行起的评分表没有读出得分；"
                     "总分是否有指标表支撑未审核", ev.prov(scored_table.line_start))
            continue
        if p.section_scores and (names_form or not ev.document):
            continue  # section scores from a scoring form the report names
        what = "各部分得分" if p.section_scores else "指标表"
        out.append(finding(
            "score_unsupported", f"「{p.name}」给出总分 {fmt(total)}，但报告中没有支撑它的指标表（{what}之外无逐项评分）",
            f"total score {fmt(total)} is given without an indicator table", p.name, (p.total_score, *p.section_scores)))
    return out


# a score stated in the text that extraction did not read: "no score" is then in doubt
_SCORE_WORDS = re.compile(r"(?:得分|评分|综合得分|总分)[为是：:]?\d+(?:\.\d+)?分")


def rule_scoring_incomplete(ev: Evidence) -> list[Check]:
    """A grade without a score; an evaluation table with no weights, scores or grade;
    a results list whose grade column is left empty."""
    out = []
    for p in ev.projects:
        if not ev.is_evaluated(p):
            continue
        graded = p.grade is not None and p.grade.raw
        scored = v(p.total_score) is not None or any(i.score is not None for i in p.indicators) \
            or any(s.score is not None for s in p.section_scores)
        if graded and not scored and not (ev.document and _SCORE_WORDS.search(ev.project_text(p))):
            out.append(finding("scoring_incomplete", f"「{p.name}」有等级「{p.grade.raw}」而无得分",
                               f"grade {p.grade.raw} without a score", p.name, (p.grade,)))
        elif not graded and not scored and p.indicators and all(i.weight is None for i in p.indicators) \
                and any(i.actual for i in p.indicators):
            out.append(finding("scoring_incomplete", f"「{p.name}」指标表有实际完成值，却没有分值、得分和等级",
                               "the evaluation table carries no weights, scores or grade", p.name, p.indicators[:1]))
    out += _blank_grade_column(ev)
    return out


def _blank_grade_column(ev: Evidence) -> list[Check]:
    out = []
    for table in ev.tables:
        if len(table.rows) < 2:
            continue
        head = [re.sub(r"\s", "", c.text) for c in table.rows[0]]
        grade_col = next((k for k, h in enumerate(head) if h in ("评价结果", "等级", "评价等级", "自评等级")), None)
        score_col = next((k for k, h in enumerate(head) if "得分" in h), None)
        if grade_col is None or score_col is None:
            continue
        body = [r for r in table.rows[1:] if len(r) > max(grade_col, score_col)
                and not re.match(r"\s*(合计|总计)", r[0].text) and r[score_col].text.strip()]
        if body and all(not r[grade_col].text.strip() for r in body):
            out.append(finding("scoring_incomplete", "评价结果（等级）栏空白，只有得分",
                               "the grade column is empty while scores are given", None,
                               (ev.prov(table.line_start, table.line_end),)))
    return out
