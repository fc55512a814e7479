"""Rules on money and counts: a total against its listed parts (the funding block, a
table's 合计 row, a sentence that splits a total, two breakdowns of one total, a
count of projects), project budgets against the department's, expense lines against
the budget, and a cost cap above the budget.

A gap is the report's own only when the parts are known to be all of the total: a
part larger than its total always is; otherwise another column of the same rows
must add up exactly, or the sentence must list the parts exhaustively (分别为, a colon
list, a known pair such as 基本支出 = 人员经费 + 公用经费, or the number of parts
announced). A 其中 list is often partial and is not flagged on its own.
"""

from __future__ import annotations

import re

from budgetperf.reading.blocks import Table, compact
from budgetperf.understanding.audit.arithmetic import EPSILON, ERROR, OK, ROUNDING, Comparison, compare_sum
from budgetperf.understanding.audit.checks import Check, finding, fmt
from budgetperf.understanding.audit.evidence import Evidence
from budgetperf.understanding.parsers.values import CN_DIGITS, parse_cell_number, parse_measure
from budgetperf.understanding.records import Project, v

_COLUMNS = (("budget_initial_wan", "年初预算数"), ("budget_adjusted_wan", "全年预算数"), ("executed_wan", "执行数"))

# money in a sentence: 2299.98万元, 1.22亿元, 404元
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)(亿元|万元|元)")
_TO_WAN = {"亿元": 10000.0, "万元": 1.0, "元": 0.0001}
# what introduces the parts of a total in a sentence
_PARTS_INTRO = re.compile(r"其中[:：]?|分别为[:：]?|[:：]")
# parts of another measure than the total (a budget split into what was spent)
_OTHER_MEASURE = re.compile(r"实际|执行|到位|结余|结转|支付|拨付|下达|使用|完成|兑付|发放|支出率|占")
COVERS_MOST = 0.9
# a colon list that says it is not the whole: 主要用于：…, …等
_PARTIAL = re.compile(r"主要|重点|部分|包括|如[:：]?$")
# pairs that are always the whole of their total
KNOWN_PARTITIONS = (("基本支出", ("人员经费", "公用经费")), ("支出", ("基本支出", "项目支出")),
                    ("收入", ("财政拨款", "上年结转")))
_ANNOUNCED_COUNT = re.compile(r"(?:包括|分为|分成|分)[^。；]{0,30}?([两二三四五六七八九])(?:类|块|部分|项|个方面)")
_BREAKDOWN = re.compile(r"按(收入|支出)性质分[:：]?(\d[\d,]*(?:\.\d+)?)")
_TOTAL_LABEL = re.compile(r"^(?:支出|资金|经费)?(?:合计|总计)$")
_PROJECT_TOTAL = re.compile(r"共(?:实施|有|安排|开展)?(?:项目)?(\d+)个(?:项目)?")
_PROJECT_INITIAL = re.compile(r"年初[^。；]{0,20}?(\d+)个项目|年初[^。；]{0,20}?项目(\d+)个")
_PROJECT_ADDED = re.compile(r"新增(?:项目)?(\d+)个")
_PROJECT_REMOVED = re.compile(r"取消|撤销|调减|终止|减少")


def _expr(values) -> str:
    return "+".join(fmt(x) for x in values)


# ------------------------------------------------------------------ funding block

def budget_line_comparisons(ev: Evidence) -> list[tuple[Project, list[tuple[str, Comparison]]]]:
    """Each project's funding block: the total row against the rows below it, column
    by column (computed once; the rounding rule shares it)."""
    if "budget_lines" in ev.memo:
        return ev.memo["budget_lines"]
    out = []
    for p in ev.projects:
        if len(p.budget_lines) < 2 or not ev.spending_read(p):
            continue
        total, subs = p.budget_lines[0], p.budget_lines[1:]
        found, exact = [], 0
        for column, label in _COLUMNS:
            stated = getattr(total, column)
            values = [getattr(s, column) for s in subs]
            if stated is None or all(x is None for x in values):
                continue
            if any(x is None and _has_figures(s) for x, s in zip(values, subs)):
                continue  # a row with figures in other columns but none here: in doubt
            c = compare_sum([x for x in values if x is not None], stated)
            exact += c.status == OK
            found.append((label, c))
        bigger = [(label, c) for label, c in found if any(
            (getattr(s, col) or 0) > c.stated + EPSILON for s in subs for col, lab in _COLUMNS if lab == label)]
        # A gap is the report's when a part exceeds the total, or when another column
        # of the same rows adds up exactly (the rows are all the parts).
        kept = [(label, c) for label, c in found if c.status != OK and ((label, c) in bigger or exact)]
        if kept:
            out.append((p, kept))
    ev.memo["budget_lines"] = out
    return out


def _has_figures(line) -> bool:
    return any(getattr(line, col) is not None for col, _ in _COLUMNS) or line.rate_pct is not None


def _block_checks(ev: Evidence, status: str) -> list[Check]:
    out = []
    for p, kept in budget_line_comparisons(ev):
        rows = [(label, c) for label, c in kept if c.status == status]
        if not rows:
            continue
        kind = "amounts_vs_total" if status == ERROR else "rounding"
        text = "；".join(f"{label}合计 {fmt(c.stated)}，分项之和 {fmt(c.computed)}" for label, c in rows)
        out.append(finding(
            kind, f"「{p.name}」项目资金合计行与分项不符：{text}" if kind != "rounding" else f"「{p.name}」项目资金合计与分项仅差尾数：{text}",
            "; ".join(f"{label}: total row {fmt(c.stated)} but the rows below add up to {fmt(c.computed)}" for label, c in rows),
            p.name, p.budget_lines))
    return out


# ------------------------------------------------------------------ tables with a 合计 row

def _numbers(row) -> list[float | None]:
    return [parse_cell_number(c.text) for c in row]


def table_total_comparisons(ev: Evidence) -> list[tuple[Table, int, str, Comparison]]:
    """Money tables whose 合计 row closes the rows above it: each numeric column of the
    total row against the sum of the body rows (rows of the same width, 其中 rows left
    out). Computed once; the rounding rule shares it."""
    if "table_totals" in ev.memo:
        return ev.memo["table_totals"]
    out = []
    for table in ev.tables:
        rows = table.rows
        for k, row in enumerate(rows):
            if not row or not _TOTAL_LABEL.match(compact(row[0].text)):
                continue
            body, header = [], None
            for r in reversed(rows[:k]):
                numbers = _numbers(r)[1:]
                if len(r) == len(row) and any(x is not None for x in numbers):
                    body.append(r)
                    continue
                header = r
                break
            if header is None or len(body) < 2 or len(header) != len(row) or not _is_money_header(header):
                continue
            if any(re.search(r"小计|合计|总计", r[0].text) for r in body):
                continue  # subtotals inside the body: the rows are not all parts of one level
            body = [r for r in body if not compact(r[0].text).startswith("其中")]
            columns = []
            for j in range(1, len(row)):
                stated = parse_cell_number(row[j].text)
                values = [parse_cell_number(r[j].text) for r in body]
                if stated is None or any(x is None for x in values) or "率" in header[j].text or "%" in row[j].text:
                    continue
                columns.append((compact(header[j].text), compare_sum(values, stated)))
            # the rows are all the parts only when some column of them adds up exactly
            if any(c.status == OK for _, c in columns):
                out += [(table, k, name, c) for name, c in columns if c.status != OK]
    ev.memo["table_totals"] = out
    return out


def _is_money_header(header) -> bool:
    text = "".join(c.text for c in header)
    return bool(re.search(r"万元|元|金额|预算|支出数|资金|决算", text))


def _table_checks(ev: Evidence, status: str) -> list[Check]:
    out = []
    for table, k, column, c in table_total_comparisons(ev):
        if c.status != status:
            continue
        row = table.rows[k]
        prov = ev.prov(row[0].line_start, row[-1].line_end)
        kind = "amounts_vs_total" if status == ERROR else "rounding"
        out.append(finding(
            kind, f"表中「{column}」合计 {fmt(c.stated)}，各行之和为 {fmt(c.computed)}"
                  + ("，仅差尾数" if kind == "rounding" else ""),
            f"column {column}: 合计 {fmt(c.stated)} but the rows add up to {fmt(c.computed)}",
            ev.project_at(row[0].line_start), (prov,)))
    return out


# ------------------------------------------------------------------ sentences

def _amounts(text: str) -> list[tuple[str, float, str]]:
    """(label before the amount, amount in 万元, amount as written) in order."""
    out, last = [], 0
    for m in _AMOUNT.finditer(text):
        label = text[last:m.start()]
        label = re.split(r"[，,、；;（(）)]", label)[-1]
        out.append((label, float(m.group(1).replace(",", "")) * _TO_WAN[m.group(2)], m.group(0)))
        last = m.end()
    return out


def sentence_comparisons(ev: Evidence) -> list[tuple[int, str, str, list, Comparison]]:
    """Sentences that state a total and then its parts: (line, sentence, total as
    written, parts, comparison), kept when the sum differs and the parts are known to
    be the whole (or exceed it). Computed once; the rounding rule shares it."""
    if "sentences" in ev.memo:
        return ev.memo["sentences"]
    out, seen = [], set()
    for line, text in ev.statements:
        for sentence in re.split(r"[。；;]", text):
            if sentence in seen:
                continue
            seen.add(sentence)
            for m in _PARTS_INTRO.finditer(sentence):
                found = _sentence_total(sentence, m)
                if found:
                    out.append((line, sentence, *found))
                    break
    ev.memo["sentences"] = out
    return out


def _sentence_total(sentence: str, m: re.Match):
    head, tail = sentence[:m.start()], sentence[m.end():]
    nxt = _PARTS_INTRO.search(tail)
    tail = tail[:nxt.start()] if nxt else tail
    heads = _amounts(head)
    if not heads:
        return None
    total_label, total, total_text = heads[-1]
    if head[head.rfind(total_text) + len(total_text):].strip("，,") and not m.group(0).startswith("其中"):
        return None  # words between the total and the colon: not the total being split
    parts = _amounts(tail)
    if not _OTHER_MEASURE.search(total_label):
        parts = [x for x in parts if not _OTHER_MEASURE.search(x[0])]
    if len(parts) < 2 or "%" in tail and len(parts) < 2:
        return None
    c = compare_sum([x[1] for x in parts], total)
    if c.status == OK:
        return None
    # a list after a colon is all the parts when it says nothing of the kind and covers
    # most of the total (a list of some uses falls far short; a slip in a full list does not)
    listed = not m.group(0).startswith("其中") and not _PARTIAL.search(head[-12:]) \
        and not re.search(r"等(?:[^\d]{0,4})?$", tail) and c.computed >= COVERS_MOST * total
    exhaustive = listed or _known_partition(total_label, [x[0] for x in parts]) or _announced(sentence, len(parts))
    if c.computed > total + EPSILON or exhaustive:
        return total_text, parts, c
    return None


def _known_partition(total_label: str, labels: list[str]) -> bool:
    return any(total_label.endswith(whole) and len(labels) == len(pieces) and all(any(x in label for label in labels) for x in pieces)
               for whole, pieces in KNOWN_PARTITIONS)


def _announced(sentence: str, n: int) -> bool:
    m = _ANNOUNCED_COUNT.search(sentence)
    return bool(m) and CN_DIGITS.get(m.group(1)) == n


def _sentence_checks(ev: Evidence, status: str) -> list[Check]:
    out = []
    for line, sentence, total_text, parts, c in sentence_comparisons(ev):
        if c.status != status:
            continue
        kind = "amounts_vs_total" if status == ERROR else "rounding"
        expr = "+".join(x[2] for x in parts)
        out.append(finding(
            kind, f"「{sentence[:60]}」：合计 {total_text}，分项 {expr} = {fmt(c.computed)} 万元"
                  + ("，仅差尾数" if kind == "rounding" else ""),
            f"{total_text} but its parts {expr} add up to {fmt(c.computed)}万元",
            ev.project_at(line), (ev.prov(line),)))
    return out


def _breakdown_checks(ev: Evidence) -> list[Check]:
    """按收入性质分 and 按支出性质分 are two breakdowns of one total: they must agree."""
    found: dict[str, tuple[float, int]] = {}
    if not ev.has(_BREAKDOWN):  # most reports have no such breakdown: no line-by-line look
        return []
    for line_no, text in enumerate(ev.lines, start=1):
        for m in _BREAKDOWN.finditer(text):
            found.setdefault(m.group(1), (float(m.group(2).replace(",", "")), line_no))
    if len(found) < 2 or abs(found["收入"][0] - found["支出"][0]) < EPSILON:
        return []
    (income, a), (spending, b) = found["收入"], found["支出"]
    totals = {x for p in ev.projects for line in p.budget_lines[:1]
              for x in (line.budget_initial_wan, line.budget_adjusted_wan, line.executed_wan) if x is not None}
    if totals and all(any(abs(x - t) < EPSILON for t in totals) for x in (income, spending)):
        return []  # each matches a column of the total row (the budget, the spending): two measures
    return [finding(
        "amounts_vs_total", f"按收入性质分合计 {fmt(income)} 万元，按支出性质分合计 {fmt(spending)} 万元，两者应相等",
        f"the total by source {fmt(income)} and by nature {fmt(spending)} differ", ev.project_at(a),
        (ev.prov(a), ev.prov(b)))]


def _count_checks(ev: Evidence) -> list[Check]:
    """A stated number of projects against the initial ones plus those added."""
    out = []
    for line, text in ev.statements:
        total, initial, added = _PROJECT_TOTAL.search(text), _PROJECT_INITIAL.search(text), _PROJECT_ADDED.search(text)
        if not (total and initial and added) or _PROJECT_REMOVED.search(text):
            continue
        n, a, b = int(total.group(1)), int(initial.group(1) or initial.group(2)), int(added.group(1))
        if n != a + b:
            out.append(finding(
                "amounts_vs_total", f"称共有项目 {n} 个，但年初 {a} 个加新增 {b} 个为 {a + b} 个",
                f"{n} projects stated, but {a} initial + {b} added = {a + b}", ev.project_at(line), (ev.prov(line),)))
    return out


def rule_amounts_vs_total(ev: Evidence) -> list[Check]:
    return (_block_checks(ev, ERROR) + _table_checks(ev, ERROR) + _sentence_checks(ev, ERROR)
            + _breakdown_checks(ev) + _count_checks(ev))


def amounts_rounding(ev: Evidence) -> list[Check]:
    return _block_checks(ev, ROUNDING) + _table_checks(ev, ROUNDING) + _sentence_checks(ev, ROUNDING)


# ------------------------------------------------------------------ budgets of parts

def rule_projects_vs_department(ev: Evidence) -> list[Check]:
    """The projects' budgets against the department's, like for like (initial with
    initial, adjusted with adjusted), only when the report evaluates every project."""
    department = next((p for p in ev.projects if p.kind == "department"), None)
    projects = [p for p in ev.projects if p.kind == "evaluation"]
    if department is None or not projects or v(department.projects_evaluated) != len(projects):
        return []
    for field in ("budget_initial", "budget_adjusted"):
        stated = v(getattr(department, field))
        values = [v(getattr(p, field)) for p in projects]
        if stated is None or any(x is None for x in values):
            continue
        c = compare_sum(values, stated)
        if c.status == ERROR:
            return [finding(
                "projects_vs_department", f"各项目预算合计 {fmt(c.computed)} 万元，与部门预算 {fmt(stated)} 万元不一致",
                f"project budgets ({field}) add up to {fmt(c.computed)} but the department's is {fmt(stated)}",
                department.name, (getattr(department, field), *[getattr(p, field) for p in projects]))]
        return []
    return []


def rule_expenses_vs_budget(ev: Evidence) -> list[Check]:
    out = []
    for p in ev.projects:
        stated = [b for b in (v(p.budget_adjusted), v(p.budget_initial)) if b]
        if not p.expense_items or not stated:
            continue
        c = min((compare_sum([e.amount_wan for e in p.expense_items], b) for b in stated),
                key=lambda x: abs(x.computed - x.stated))
        if c.status == ERROR:
            out.append(finding(
                "expenses_vs_budget", f"「{p.name}」支出明细合计 {fmt(c.computed)} 万元，与预算 {fmt(c.stated)} 万元不一致",
                f"expense items add up to {fmt(c.computed)} but the budget is {fmt(c.stated)}", p.name,
                (*p.expense_items, p.budget_adjusted, p.budget_initial)))
    return out


# a cap on a whole (multi-year) contract or investment is not a cap on the year's budget
_WHOLE_PROJECT = re.compile(r"合同|总投资|概算|中标|总价|总造价")


def rule_cost_cap_over_budget(ev: Evidence) -> list[Check]:
    out = []
    for p in ev.projects:
        # The larger budget: a cap set at the 年初预算 is not over it because the
        # budget was adjusted down afterwards.
        budget = max((x for x in (v(p.budget_adjusted), v(p.budget_initial)) if x), default=None)
        if not budget:
            continue
        for i in p.indicators:
            if "成本" not in (i.level2 or "") + (i.level1 or "") or _WHOLE_PROJECT.search(i.name + (i.target or "")):
                continue
            m = parse_measure(i.target)
            if not m.is_numeric or m.comparator not in ("≤", "<") or not m.unit or m.unit.lstrip("万亿") not in ("元", ""):
                continue
            if "/" in (i.target or "") or "每" in (i.target or "") + i.name:
                continue  # a per-unit standard, not a cap on the whole
            cap = m.value * (1 if m.unit.startswith("万") else 10000 if m.unit.startswith("亿") else 0.0001)
            if cap > budget + 1e-9:
                out.append(finding(
                    "cost_cap_over_budget", f"「{p.name}」成本指标「{i.name}」上限 {i.target} 高于预算 {fmt(budget)} 万元",
                    f"{p.name}: cost indicator caps spending at {i.target} but the budget is {fmt(budget)}万元",
                    p.name, (i, p.budget_adjusted, p.budget_initial)))
    return out
