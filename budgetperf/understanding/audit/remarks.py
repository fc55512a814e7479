"""Rules on the form and the circumstances of a report: the year and region it can be
placed in, reasons left out for a shortfall, remarks on spending (bunched at year
end, money unpaid, funds issued at year end, lines below plan), cells the form asks
for left blank, units and comparators, and who did what.

Remarks (info) change no figure; `reason_missing` is a warning because the form asks
for the reason and the report does not give it.
"""

from __future__ import annotations

import re

from budgetperf.reading.blocks import Table, compact
from budgetperf.understanding.audit.checks import Check, finding, fmt
from budgetperf.understanding.audit.evidence import Evidence
from budgetperf.understanding.audit.execution import spent_share
from budgetperf.understanding.audit.indicators import main_rows
from budgetperf.understanding.audit.outcomes import COMPARATOR_TEXT, measure
from budgetperf.understanding.parsers.values import parse_cell_number
from budgetperf.understanding.parsers.words import ticked
from budgetperf.understanding.records import Project, Provenance, v

# Spending this far short of the budget needs its reason in the form, unless the form
# states its own threshold (执行率低于90%的应写明原因).
REASON_EXPECTED_BELOW_PCT = 95.0
_STATED_THRESHOLD = re.compile(r"(?:执行率)?低于(\d+(?:\.\d+)?)%的?(?:应|需|须)(?:写明|说明|注明)原因")
_REASON_HEADER = re.compile(r"原因")
# a sentence that explains a shortfall
_REASON_WORDS = re.compile(r"由于|因为|受[^。；]{1,12}影响|主要是|原因是|导致")
# spending remarks
_BUNCHED = re.compile(r"前三季度[^。；]{0,12}?(?:仅|只)[^。；]{0,6}?\d+(?:\.\d+)?%|集中在(?:第四季度|四季度|年底|年末)|年底集中支付|年末集中(?:支付|支出)")
_UNPAID = re.compile(r"尚有\d+(?:\.\d+)?万?元(?:资金)?未(?:支付|拨付)|尚未支付(?:完毕)?\d|\d+(?:\.\d+)?万?元(?:尚)?未支付")
_ISSUE_DATE = re.compile(r"^(20\d\d)年(12)月(\d{1,2})日$")
_YEAR_END_DEADLINE = re.compile(r"12月(?:底|31日)(?:前|之前)")
_ATTACHMENT_OMITTED = re.compile(r"[（(]附件[\d、，,及和]+略[)）]")
_FINANCE_BUREAU = re.compile(r"财政(?:局|厅)$")
_DEVIATION_COLUMN = re.compile(r"偏差|原因|说明")


# ------------------------------------------------------------------ year and region

def rule_year_inferred(ev: Evidence) -> list[Check]:
    facts = ev.facts
    if v(facts.year) is None or facts.year_is_explicit:
        return []
    line = facts.year_line or 0
    prov = (Provenance(facts.file, line, line, facts.year_evidence or ""),) if line else ()
    return [finding("year_inferred", f"年度 {v(facts.year)} 为推断所得，并非报告标题写明（依据：{facts.year_evidence}）",
                    f"the year {v(facts.year)} is inferred, not stated in a header", None, prov)]


def rule_year_missing(ev: Evidence) -> list[Check]:
    if v(ev.facts.year) is not None:
        return []
    return [finding("year_missing", "报告未写明年度，也无法推断", "the year is neither stated nor inferable")]


def rule_region_unresolved(ev: Evidence) -> list[Check]:
    if v(ev.facts.region) is not None:
        return []
    return [finding("region_unresolved", "无法识别报告所属地区：请在「数据校对」页更正该文档的地区，或在地区表中补充该地区",
                    "the report's region is not in the reference table")]


# ------------------------------------------------------------------ reasons

def _threshold(ev: Evidence) -> float:
    m = ev.has(_STATED_THRESHOLD)
    return float(m.group(1)) if m else REASON_EXPECTED_BELOW_PCT


def _reason_cell(ev: Evidence, line: int) -> tuple[bool, int] | None:
    """(is the reason cell of the table row at `line` empty, the row's line) when its
    table's header has a reason column; None when the row or the column is not there."""
    at = ev.row_at(line)
    if at is None:
        return None
    table, row = at
    key = ("reason_header", id(table))
    if key not in ev.memo:
        header = next((r for r in table.rows if any(_REASON_HEADER.search(compact(c.text)) for c in r)), None)
        col = next(k for k, c in enumerate(header) if _REASON_HEADER.search(compact(c.text))) if header else None
        ev.memo[key] = (header, col)
    header, col = ev.memo[key]
    if header is None or row is header:
        return None
    if len(row) == len(header):
        return not compact(row[col].text), row[0].line_start
    if len(row) == len(header) - 1 and col == len(header) - 1:
        return True, row[0].line_start  # the empty last cell was dropped
    return None


def rule_reason_missing(ev: Evidence) -> list[Check]:
    threshold = _threshold(ev)
    out = []
    reasons_given = bool(_REASON_WORDS.search(ev.text))
    form_asks = any(_REASON_HEADER.search(compact(c.text)) for t in ev.tables for r in t.rows for c in r)
    for p in ev.projects:
        if not ev.spending_read(p):
            continue
        share = spent_share(p)
        if share is not None and share < threshold - 1e-9:
            cell = _reason_cell(ev, p.prov.line_start)
            if cell and cell[0]:
                out.append(finding(
                    "reason_missing", f"「{p.name}」执行率 {share:.2f}%，「未完成原因」栏却空白",
                    f"executed {share:.2f}% with its reason cell empty", p.name, (ev.prov(cell[1]),)))
                continue
        # a funding line short of its budget, in a form with reason cells none of which is filled
        if not form_asks or reasons_given or any(i.deviation_reason for i in p.indicators):
            continue
        short = [b for b in p.budget_lines[1:] if b.rate_pct is not None and b.rate_pct < min(threshold, 90.0) - 1e-9
                 and b.budget_adjusted_wan]
        if short:
            b = short[0]
            out.append(finding(
                "reason_missing", f"「{p.name}」的「{b.label}」执行率 {fmt(b.rate_pct)}%，表中原因栏均未填写，也没有说明原因",
                f"{b.label} executed {fmt(b.rate_pct)}% and no reason is given", p.name, (b,)))
    return out


# ------------------------------------------------------------------ spending remarks

def rule_execution_remark(ev: Evidence) -> list[Check]:
    out = []
    for pattern, zh, en in ((_BUNCHED, "支出集中在年末", "spending bunched at year end"),
                            (_UNPAID, "评价时仍有资金未支付", "money unpaid at the evaluation date")):
        if not ev.has(pattern):  # a line's match is a match in the whole text: most reports have none
            continue
        line = next((k for k, text in enumerate(ev.lines, start=1) if pattern.search(text)), None)
        if line:
            out.append(finding("execution_remark", f"{zh}（第 {line} 行）", en, ev.project_at(line), (ev.prov(line),)))
    out += _issued_at_year_end(ev) + _lines_below_plan(ev)
    return out


def _issued_at_year_end(ev: Evidence) -> list[Check]:
    """Funds issued (a notice dated) in December of the report's year while its targets
    must be met by the end of that December."""
    year = v(ev.facts.year)
    if year is None or not ev.has(_YEAR_END_DEADLINE):
        return []
    for line_no, text in enumerate(ev.lines, start=1):
        m = _ISSUE_DATE.match(text)
        if m and int(m.group(1)) == year:
            return [finding("execution_remark", f"文件于 {text} 下达，目标却要求 12 月底前完成",
                            f"issued on {text} with year-end deadlines", ev.project_at(line_no), (ev.prov(line_no),))]
    return []


def _lines_below_plan(ev: Evidence) -> list[Check]:
    """Expense lines spent well below their plan, in a table with a plan and an actual
    column (计划支出数 / 实际支出数)."""
    out = []
    for table in ev.tables:
        if not table.rows:
            continue
        head = [compact(c.text) for c in table.rows[0]]
        plan = next((k for k, h in enumerate(head) if "计划" in h), None)
        actual = next((k for k, h in enumerate(head) if "实际" in h), None)
        if plan is None or actual is None or plan == actual or len(head) > 4:
            continue
        low = []
        for row in table.rows[1:]:
            if len(row) != len(head) or re.search(r"合计|总计", row[0].text):
                continue
            a, b = parse_cell_number(row[plan].text), parse_cell_number(row[actual].text)
            if a and b is not None and b / a < 0.9:
                low.append(f"{compact(row[0].text)} {fmt(b)}/{fmt(a)}")
        if low:
            out.append(finding("execution_remark", f"个别支出行明显低于计划：{'；'.join(low[:5])}",
                               f"expense lines below plan: {'; '.join(low[:5])}", ev.project_at(table.line_start),
                               (ev.prov(table.line_start, table.line_end),)))
    return out


# ------------------------------------------------------------------ the form

def rule_form_irregular(ev: Evidence) -> list[Check]:
    out = []
    for p in ev.projects:
        if p.budget_lines and _initial_blank(ev, p):
            out.append(finding("form_irregular", f"「{p.name}」项目资金表的「年初预算数」空白，只填了全年预算数",
                               "the 年初预算数 cell is blank", p.name, p.budget_lines[:1]))
        rows = main_rows(p)
        if len(rows) >= 3 and all(i.level1 is None and i.level2 is None for i in rows):
            out.append(finding("form_irregular", f"「{p.name}」指标表没有一级、二级指标栏",
                               "the indicator table has no level columns", p.name, rows[:1]))
    m = ev.has(_ATTACHMENT_OMITTED)
    if m:
        line = next(k for k, text in enumerate(ev.lines, start=1) if _ATTACHMENT_OMITTED.search(text))
        out.append(finding("form_irregular", f"文中列出的附件未全部附上（{m.group(0)}）",
                           "announced attachments are omitted", ev.project_at(line), (ev.prov(line),)))
    return out


def _initial_blank(ev: Evidence, p: Project) -> bool:
    """The funding block's header asks for 年初预算数 and the total row leaves it blank."""
    total = p.budget_lines[0]
    if total.budget_initial_wan is not None or total.budget_adjusted_wan is None or not ev.lines or ev.funding_in_doubt(p):
        return False
    first = total.prov.line_start
    return "年初预算" in "".join(ev.lines[max(0, first - 13):first])


def rule_units_and_comparators(ev: Evidence) -> list[Check]:
    out = []
    in_yuan = [p for p in ev.projects if p.amount_unit_as_written == "元"]
    if in_yuan and re.search(r"\d万元", ev.text):
        out.append(finding("units_and_comparators", "表中金额以元为单位，正文却用万元",
                           "amounts in 元 in the table, 万元 in the text", None, in_yuan[:1]))
    for p in ev.projects:
        rows = [i for i in main_rows(p) if i.target and measure(i.target).is_numeric]
        with_cmp = [i for i in rows if COMPARATOR_TEXT.match(compact(i.target))]
        without = [i for i in rows if not COMPARATOR_TEXT.match(compact(i.target)) and not re.search(r"\d{4}年", i.target)]
        # a table that writes comparators for most numeric targets but not for some
        if len(rows) >= 4 and len(with_cmp) >= len(rows) / 2 and without and _split_comparator_column(ev, p):
            names = "、".join(i.name for i in without[:5])
            out.append(finding("units_and_comparators", f"「{p.name}」部分数值目标缺少比较符号（≥、≤）：{names}",
                               f"numeric targets without a comparator: {names}", p.name, without))
    return out


def _split_comparator_column(ev: Evidence, p: Project) -> bool:
    """The indicator table has its own comparator column (指标性质), so a blank in it is
    the form left incomplete rather than a reading of ours."""
    return any("指标性质" in compact(c.text) for t in ev.tables_of(p) for c in (t.rows[0] if t.rows else ())) \
        or "指标性质" in ev.project_text(p)


def rule_unit_roles(ev: Evidence) -> list[Check]:
    out = []
    supervisor = v(ev.facts.supervisor)
    if supervisor and _FINANCE_BUREAU.search(supervisor):
        out.append(finding("unit_roles", f"主管部门写为「{supervisor}」（财政部门），而非项目的业务主管部门",
                           f"the 主管部门 is {supervisor}, a finance bureau", None, (ev.facts.supervisor,)))
    # Boxes are ticked before or after their labels, in any of the marks exports write.
    self_ticked = any(ticked(text, "自评") for text in ev.lines)
    line = next((k for k, text in enumerate(ev.lines, start=1) if ticked(text, "中介机构")), None)
    if self_ticked and line is not None:
        out.append(finding("unit_roles", "评价方式勾选单位自评，评价机构却勾选中介机构",
                           "a self-evaluation ticked while the evaluator ticked is an intermediary", None, (ev.prov(line),)))
    return out
