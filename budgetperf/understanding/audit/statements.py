"""Rules on what the report says in two places: a figure stated differently in the text
and in a table (or in the goal and in a target, or in two sentences, or in a table's
explanation column), a date or code for another year, and a unit slip.

Two statements are compared only when they are plainly about the same figure and of
the same kind: a plan (目标, 计划, 不少于…) is never compared with an actual, a count
only with a count of the same unit, and a clause that agrees with the table settles
the matter even when another clause that shares words does not.
"""

from __future__ import annotations

import re
from collections import defaultdict

from budgetperf.reading.blocks import compact
from budgetperf.understanding.audit.arithmetic import EPSILON, decimals
from budgetperf.understanding.audit.checks import Check, finding, fmt
from budgetperf.understanding.audit.evidence import Evidence
from budgetperf.understanding.audit.execution import spent_share
from budgetperf.understanding.audit.indicators import main_rows
from budgetperf.understanding.audit.outcomes import measure
from budgetperf.understanding.parsers.values import parse_cell_number
from budgetperf.understanding.records import Indicator, NarrativeFigure, Project, v
from budgetperf.vocabulary import LOW_EXECUTION_PCT

# words that make a clause a plan, not a result
PLAN = re.compile(r"目标|计划|预期|预计|力争|确保|要求|拟|争取|不低于|不少于|不超过|不高于|以上的|达到\d+%以上的")
_CLAUSE = re.compile(r"[，,。；;！？]")
# approximate counts (余/多/近/约) agree with a table figure within this band
APPROX_BAND = 1.5


def bigrams(text: str) -> set[str]:
    return {text[k:k + 2] for k in range(len(text) - 1)}


def clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE.split(compact(text)) if c]


def _unit(u: str | None) -> str:
    return (u or "").replace("场次", "场").replace("人次", "人次")


# ------------------------------------------------------------------ counts in the text vs the table

# a bigram found in more figures than this names nothing in particular (服务, 资金):
# it is not used to pair a row with a figure, which also keeps each lookup bounded
COMMON_BIGRAM = 30


def _figure_index(figures: list[NarrativeFigure]) -> dict[str, dict[str, list[int]]]:
    """Result figures by unit, then by the bigrams of their clause (figure positions):
    pairing a row costs the figures that share its distinctive bigrams, not all of them."""
    index: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for k, f in enumerate(figures):
        if not PLAN.search(f.text):
            for gram in bigrams(f.text):
                index[_unit(f.unit)][gram].append(k)
    return index


def _candidates(index, figures, unit: str, name: str) -> list[tuple[NarrativeFigure, int]]:
    """Figures of `unit` sharing at least two distinctive bigrams with `name`, with the count."""
    shared: dict[int, int] = defaultdict(int)
    by_gram = index.get(unit, {})
    for gram in bigrams(name):
        found = by_gram.get(gram, ())
        if len(found) <= COMMON_BIGRAM:
            for k in found:
                shared[k] += 1
    return [(figures[k], n) for k, n in shared.items() if n >= 2]


def _agrees(f: NarrativeFigure, actual: float) -> bool:
    if abs(f.number - actual) < EPSILON:
        return True
    return f.is_approximate and f.number <= actual < f.number * APPROX_BAND


def _parts_agree(ev: Evidence, f: NarrativeFigure, actual: float, unit: str) -> bool:
    """The figure is one of several counts of the same unit in its sentence, and they
    add up to the table's figure (获评…1个、…1个，评选…65个 against 69个)."""
    line = "".join(ev.lines[f.prov.line_start - 1:f.prov.line_end]) if ev.lines else ""
    sentence = next((s for s in re.split(r"[。；;]", line) if compact(f.text) in s), "")
    numbers = [float(n) for n, u in re.findall(r"(\d+(?:\.\d+)?)(" + re.escape(unit) + ")", sentence)]
    return len(numbers) > 1 and abs(sum(numbers) - actual) < EPSILON


def _results(p: Project) -> list[NarrativeFigure]:
    """The project's text figures that state results: not those of its overall goal
    (a target is never compared with an actual)."""
    goal = compact(v(p.goal_expected) or "")
    goal_lines = p.goal_expected.prov if p.goal_expected is not None and p.goal_expected.prov else None
    return [f for f in p.narrative_figures if not (goal and compact(f.text) in goal)
            and not (goal_lines and goal_lines.line_start <= f.prov.line_start <= goal_lines.line_end)]


def _counts_vs_table(ev: Evidence, p: Project) -> list[Check]:
    out, reported = [], set()
    figures = _results(p)
    index = _figure_index(figures)
    for i in main_rows(p):
        actual = measure(i.actual)
        if not actual.is_numeric or not actual.unit or actual.unit in ("%", "‰") or actual.is_approximate:
            continue
        candidates = _candidates(index, figures, _unit(actual.unit), i.name)
        if not candidates or any(_agrees(f, actual.value) or _parts_agree(ev, f, actual.value, actual.unit)
                                 for f, _ in candidates):
            continue
        best, _ = max(candidates, key=lambda c: c[1])
        if best.text in reported:
            continue  # one clause is reported once, against its closest row
        reported.add(best.text)
        out.append(_text_vs_actual(p, best.text, i, best))
    return out


def _text_vs_actual(p: Project, said: str, i: Indicator, where) -> Check:
    """The text (`said`, at `where`) states a figure the indicator's actual in the
    table contradicts."""
    return finding(
        "narrative_vs_table", f"「{p.name}」正文写「{said}」，表中「{i.name}」实际完成值为 {i.actual}",
        f"the text says {said} while the table's actual for {i.name} is {i.actual}", p.name, (where, i))


def _percents_vs_table(ev: Evidence, p: Project) -> list[Check]:
    """A result sentence that states a rate the table contradicts (达到95%以上 against an
    actual of 93.6%)."""
    rows = [(i, measure(i.actual)) for i in main_rows(p)]
    rows = [(i, a) for i, a in rows if a.is_numeric and a.unit == "%" and len(i.name) >= 4]
    if not rows:
        return []
    out = []
    for line, text in ev.statements_of(p):
        for clause in clauses(text):
            if PLAN.search(clause) or "%" not in clause or _OTHER_TIME.search(clause):
                continue
            for i, actual in rows:
                key = i.name[-4:]
                m = re.search(re.escape(key) + r"[^\d%]{0,6}?(\d+(?:\.\d+)?)%(以上|以下)?", clause)
                if not m:
                    continue
                x, bound = float(m.group(1)), m.group(2)
                wrong = (bound == "以上" and actual.value < x - EPSILON) or (bound == "以下" and actual.value > x + EPSILON) \
                    or (bound is None and abs(actual.value - x) > 0.5 * 10 ** -max(decimals(x), decimals(actual.value)) + EPSILON)
                if wrong:
                    out.append(_text_vs_actual(p, clause, i, ev.prov(line)))
    return out


# a figure of another time or a change, not the year's level
_OTHER_TIME = re.compile(r"上年|去年|同比|较上|提高|增长|下降|减少|增加|上升")
# a goal clause of another scope than the year's target
_GOAL_SCOPE = re.compile(r"累计|总计|其中|每|/|各|\d{4}年?[-—至到~]|三年|五年|期间")


def _goal_vs_targets(ev: Evidence, p: Project) -> list[Check]:
    """The overall goal against the indicator targets: both are plans, so the same
    planned quantity must be the same number."""
    goal = v(p.goal_expected)
    if not goal:
        return []
    goal_figures = []
    for clause in clauses(goal):
        if _GOAL_SCOPE.search(clause):
            continue
        for m in re.finditer(r"(\d+(?:\.\d+)?)(万|亿)?([\u4e00-\u9fff]{1,2})", clause):
            goal_figures.append((clause, float(m.group(1)), (m.group(2) or "") + m.group(3)))
    out = []
    for i in main_rows(p):
        target = measure(i.target)
        if not target.is_numeric or not target.unit or target.unit in ("%", "‰") or target.is_approximate:
            continue
        grams = bigrams(i.name)
        candidates = [(c, x) for c, x, u in goal_figures if u == target.unit and len(grams & bigrams(c)) >= 2]
        if not candidates or any(abs(x - target.value) < EPSILON for _, x in candidates):
            continue
        clause = max(candidates, key=lambda c: len(grams & bigrams(c[0])))[0]
        out.append(finding(
            "narrative_vs_table", f"「{p.name}」年度总体目标写「{clause}」，指标「{i.name}」的目标值却为 {i.target}",
            f"the overall goal says {clause} while the indicator {i.name} targets {i.target}", p.name,
            (p.goal_expected, i)))
    return out


_SECTION_RESTATED = re.compile(r"(决策|过程|产出|效益|效果|满意度|投入)(?:指标)?(?:合计|共|总)?得(?:分)?(\d+(?:\.\d+)?)分")


def _sections_restated(ev: Evidence, p: Project) -> list[Check]:
    """A section score stated twice with different values (产出指标合计得36分 in one
    place, 35.5 in the score table)."""
    stated = {re.sub(r"指标$", "", s.section): s for s in p.section_scores if s.score is not None}
    out = []
    for line_no, text in ev.project_lines(p):
        for m in _SECTION_RESTATED.finditer(text):
            section = stated.get(m.group(1))
            score = float(m.group(2))
            if section is not None and abs(section.score - score) > EPSILON and section.prov.line_start != line_no:
                out.append(finding(
                    "narrative_vs_table", f"「{p.name}」第 {line_no} 行写{m.group(1)}得 {fmt(score)} 分，另一处为 {fmt(section.score)} 分",
                    f"the {m.group(1)} section is scored {fmt(score)} here and {fmt(section.score)} elsewhere", p.name,
                    (ev.prov(line_no), section)))
    return out


# a statement that spending kept to the budget, and its negations
_NO_DEVIATION = re.compile(r"(?:没有|无|未)(?:较大|明显|重大)?偏离|(?:全部|足额)(?:支出|执行|使用)完毕|按(?:预算|计划)全部执行")
_NEGATED = re.compile(r"未(?:能)?(?:按计划|全部|足额)|尚未|没有按")


def _claim_vs_rate(ev: Evidence, p: Project) -> list[Check]:
    """A statement that spending kept to the budget while most of it was not spent."""
    share = spent_share(p)
    if share is None or share >= LOW_EXECUTION_PCT or not ev.spending_read(p):
        return []
    for line_no, text in ev.project_lines(p):
        if _NO_DEVIATION.search(text) and not _NEGATED.search(text) and re.search(r"执行|预算|支出|资金", text):
            return [finding(
                "narrative_vs_table", f"「{p.name}」第 {line_no} 行称执行没有偏离预算，而执行率只有 {share:.2f}%",
                f"the report says spending kept to budget ({text[:30]}) while only {share:.2f}% was spent", p.name,
                (ev.prov(line_no), p.executed, p.execution_rate))]
    return []


_COUNTED_NOUN = re.compile(r"(\d+)(个|家|所|户|名|座|处)([\u4e00-\u9fff]{2,4})")
# a count of another scope than the plain one (new, cumulative, a part, last year's)
_OTHER_SCOPE = re.compile(r"累计|新增|新建|其中|另有|分别|剩余|余下|第\d|同比|上年|去年|较上|之一|以上|以下|超过|不足")


def _same_count_twice(ev: Evidence) -> list[Check]:
    """One count of the same thing stated with two numbers in result sentences
    (11个住宅小区 here, 12个住宅小区 there)."""
    seen: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for line, text in ev.statements:
        for clause in clauses(text):
            if PLAN.search(clause) or re.match(r"目标\d", clause) or _OTHER_SCOPE.search(clause):
                continue
            for m in _COUNTED_NOUN.finditer(clause):
                seen[m.group(2) + m.group(3)].append((int(m.group(1)), line, clause))
    out = []
    for thing, statements in seen.items():
        numbers = sorted({n for n, _, _ in statements})
        if len(numbers) < 2:
            continue
        first = statements[0]
        other = next(s for s in statements if s[0] != first[0])
        out.append(finding(
            "narrative_vs_table", f"同一事项「{thing}」两处数量不同：第 {first[1]} 行「{first[2]}」，第 {other[1]} 行「{other[2]}」",
            f"{thing} counted as {' and '.join(map(str, numbers))} in different places", ev.project_at(first[1]),
            (ev.prov(first[1]), ev.prov(other[1]))))
    return out


_BUDGET_LABELS = ("基本支出", "项目支出", "资金总额", "人员经费", "公用经费")
_CELL_SPLIT = re.compile(r"\t|\s{2,}|\|")
_LABEL_AMOUNT = re.compile(r"^[\d,]+(?:\.\d+)?$")
# how far above a row its budget header may sit
_HEADER_REACH = 5


def _same_label_two_amounts(ev: Evidence) -> list[Check]:
    """The same budget label given two different amounts (基本支出 110.61 in the budget
    block, 171.41 in a goal row). Only rows holding that label and a single amount,
    under a header that speaks of 预算 (not 决算, 执行 or 实际), are compared."""
    if not ev.document:
        return []
    seen: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for line_no, raw in enumerate(ev.document.lines, start=1):
        if not any(label in raw for label in _BUDGET_LABELS):
            continue  # most lines name none of them: not worth splitting
        cells = [compact(c) for c in _CELL_SPLIT.split(raw) if c.strip()]
        amounts = [c for c in cells if _LABEL_AMOUNT.match(c)]
        labels = [c.rstrip("：:") for c in cells if c.rstrip("：:") in _BUDGET_LABELS]
        if len(amounts) != 1 or len(labels) != 1:
            continue
        context = "".join(ev.lines[max(0, line_no - 1 - _HEADER_REACH):line_no])
        if "预算" in context and not re.search(r"决算|执行|实际", context):
            seen[labels[0]].append((float(amounts[0].replace(",", "")), line_no))
    out = []
    for label, values in seen.items():
        if len({x for x, _ in values}) > 1:
            (a, la), (b, lb) = values[0], next(x for x in values if x[0] != values[0][0])
            out.append(finding(
                "narrative_vs_table", f"「{label}」在第 {la} 行为 {fmt(a)} 万元，在第 {lb} 行为 {fmt(b)} 万元",
                f"{label} is given as {fmt(a)} and as {fmt(b)}", ev.project_at(la), (ev.prov(la), ev.prov(lb))))
    return out


def _explanation_vs_target(ev: Evidence) -> list[Check]:
    """A rate whose explanation column says one percentage and whose target column
    another (90% explained, target 1, i.e. 100%)."""
    out = []
    for table in ev.tables:
        if not table.rows:
            continue
        head = [compact(c.text) for c in table.rows[0]]
        explained = next((k for k, h in enumerate(head) if re.search(r"指标解释|指标说明", h)), None)
        target_col = next((k for k, h in enumerate(head) if re.fullmatch(r"(?:年度)?(?:目标值|指标值)", h)), None)
        if explained is None or target_col is None or len(head) < 3:
            continue
        name_col = explained - 1
        for row in table.rows[1:]:
            if len(row) != len(head):
                continue
            name, text, target = compact(row[name_col].text), compact(row[explained].text), compact(row[target_col].text)
            m = re.match(r"(\d+(?:\.\d+)?)%", text)
            number = parse_cell_number(target)
            if not m or not name.endswith("率") or number is None:
                continue
            as_percent = number * 100 if "%" not in target and number <= 1 else number
            if abs(as_percent - float(m.group(1))) > EPSILON:
                out.append(finding(
                    "narrative_vs_table", f"「{name}」指标解释为 {m.group(0)}，目标值栏却为「{target}」",
                    f"{name}: the explanation column says {m.group(0)} while the target column says {target}",
                    ev.project_at(row[0].line_start), (ev.prov(row[0].line_start, row[-1].line_end),)))
    return out


def rule_narrative_vs_table(ev: Evidence) -> list[Check]:
    out = []
    for p in ev.projects:
        out += _counts_vs_table(ev, p) + _percents_vs_table(ev, p) + _goal_vs_targets(ev, p)
        out += _sections_restated(ev, p) + _claim_vs_rate(ev, p)
    return out + _same_count_twice(ev) + _same_label_two_amounts(ev) + _explanation_vs_target(ev)


# ------------------------------------------------------------------ periods

_DEADLINE = re.compile(r"(20\d\d)年(\d{1,2})月(?:(\d{1,2})日)?底?(?:前|之前|以前|止)")
_CODE = re.compile(r"^(\d{6})(\d{2})[A-Z]\d{6,}")
_YEAR_SPAN = re.compile(r"(20\d\d)年?[-—–至到~～](20\d\d)年")
_PLANNED = re.compile(r"目标|计划|任务|要求")
_DONE = re.compile(r"已|完成了|实际|截至|截止|上年|去年|以前年度")
# a cited document's title (《关于…2022年12月底前完成…的通知》) is not the report's own deadline
_CITED = re.compile(r"《[^》]*》")


def _spans(text: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in _YEAR_SPAN.findall(text) if int(a) < int(b)]


def rule_period_mismatch(ev: Evidence) -> list[Check]:
    """A deadline in the goal or an indicator that falls before the report's year, or a
    project code that carries a later year than the report's."""
    year = v(ev.facts.year)
    out = []
    if year is None:
        return out
    for p in ev.projects:
        spans = _spans(ev.project_text(p)) if ev.document else []
        texts = [(v(p.goal_expected), p.goal_expected)] + [(t, i) for i in p.indicators for t in (i.name, i.target)]
        # goals stated in the text but not read into a field: a clause that plans (目标, 计划, 任务)
        texts += [(clause, ev.prov(line)) for line, text in ev.statements_of(p)
                  for clause in clauses(text) if _PLANNED.search(clause) and not _DONE.search(clause)]
        for text, where in texts:
            m = _DEADLINE.search(_CITED.sub("", compact(text or "")))
            if m and int(m.group(1)) < year and not any(a <= int(m.group(1)) < b for a, b in spans):
                out.append(finding(
                    "period_mismatch", f"「{p.name}」时限「{m.group(0)}」早于报告年度 {year} 年",
                    f"a deadline {m.group(0)} in a {year} report", p.name, (where,)))
                break
        code = v(p.code) or p.name
        m = _CODE.match(compact(code or ""))
        if m and 2000 + int(m.group(2)) > year:
            out.append(finding(
                "period_mismatch", f"「{p.name}」项目编码 {m.group(0)} 的年度段为 {2000 + int(m.group(2))} 年，晚于报告年度 {year} 年",
                f"the project code {m.group(0)} carries year {2000 + int(m.group(2))}, the report is for {year}", p.name,
                (p.code, p)))
    return out


# ------------------------------------------------------------------ units

# an amount of money in bare 元 that is too small to be a budget: 配套3.6元 meant 3.6万元
_SMALL_YUAN = re.compile(r"(资金|经费|预算|配套|拨款|拨付|安排)[^，。；\d]{0,8}?(\d+(?:\.\d+)?)元")
_PER_UNIT = re.compile(r"每|/|标准|人均|户均|生均|单价|元/")
SMALL_YUAN_LIMIT = 100


def _small_yuan(ev: Evidence) -> list[Check]:
    out = []
    if not ev.has(_SMALL_YUAN):  # a line's match is a match in the whole text
        return out
    for line_no, text in enumerate(ev.lines, start=1):
        for m in _SMALL_YUAN.finditer(text):
            before, after = text[max(0, m.start(2) - 8):m.start(2)], text[m.end():m.end() + 2]
            if text[m.start(2) - 1:m.start(2)] in ("万", "亿", "千") or _PER_UNIT.search(before + after):
                continue
            if float(m.group(2)) < SMALL_YUAN_LIMIT:
                out.append(finding(
                    "unit_or_measure_wrong", f"第 {line_no} 行金额「{m.group(0)}」只有 {m.group(2)} 元，疑为万元",
                    f"the amount {m.group(2)}元 is implausibly small for {m.group(1)}: probably 万元", ev.project_at(line_no),
                    (ev.prov(line_no),)))
    return out


_RATE_NAME = re.compile(r"(?:率|进度|比例|占比)$")
# a rate over 1000% is no rate: an amount or a count was written in its place
RATE_IMPLAUSIBLE = 1000


def _rate_filled_with_amount(p: Project) -> list[Check]:
    out = []
    for i in main_rows(p):
        name = re.sub(r"[（(][^）)]*[)）]$", "", i.name)
        if not _RATE_NAME.search(name) or not i.actual:
            continue
        actual, target = measure(i.actual), measure(i.target)
        money = actual.unit is not None and actual.unit.endswith("元")
        bare_large = actual.unit is None and actual.value is not None and actual.value > RATE_IMPLAUSIBLE \
            and target.unit in ("%", None)
        if actual.is_numeric and (money or bare_large) and not (target.unit or "").endswith("元"):
            out.append(_rate_check(p, i))
    return out


def _rate_check(p: Project, i: Indicator) -> Check:
    return finding("unit_or_measure_wrong", f"「{p.name}」指标「{i.name}」应填比率，实际完成值却为 {i.actual}",
                   f"{i.name} asks for a rate but the actual is {i.actual}", p.name, (i,))


def rule_unit_or_measure_wrong(ev: Evidence) -> list[Check]:
    out = []
    for p in ev.projects:
        out += _rate_filled_with_amount(p)
    return out + _small_yuan(ev)


_PUNCTUATION = re.compile(r"[，,。；;：:、\s“”\"（）()]")


def rule_copied_text(ev: Evidence) -> list[Check]:
    """What was achieved written as the goal, word for word."""
    out = []
    for p in ev.projects:
        goal, achieved = v(p.goal_expected), v(p.goal_actual)
        if not goal or not achieved:
            continue
        a, b = _PUNCTUATION.sub("", goal), _PUNCTUATION.sub("", achieved)
        if len(a) >= COPIED_MIN_CHARS and a == b:
            out.append(finding(
                "copied_text", f"「{p.name}」年度目标的实际完成情况照抄预期目标：「{achieved[:40]}」",
                "the achieved text repeats the goal word for word", p.name, (p.goal_actual, p.goal_expected)))
    return out


# a text this long copied word for word is no coincidence
COPIED_MIN_CHARS = 10
