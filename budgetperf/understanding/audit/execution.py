"""Rules on spending: the stated rate against executed ÷ budget, low execution, a budget
cut that flatters the rate, spending not disclosed, outputs reported whole on money
not spent.

No execution rule runs on a plan (a target table has no execution), and a rate is
measured against every budget the report states (年初 and 全年/调整后): the report may
use either.
"""

from __future__ import annotations

import re

from budgetperf.understanding.audit.arithmetic import ERROR, ROUNDING, compare_rate
from budgetperf.understanding.audit.checks import Check, finding, fmt
from budgetperf.understanding.audit.evidence import DEPARTMENT_OVERALL, Evidence
from budgetperf.understanding.parsers.words import EXECUTED, EXECUTED_LINK, RATE
from budgetperf.understanding.records import Project, v
from budgetperf.vocabulary import LOW_EXECUTION_PCT

# A budget cut to two thirds or less of the initial budget hides money not spent.
BUDGET_CUT_SHARE = 2 / 3
# Outputs reported whole on less than half the money: a reviewer should ask how.
OUTPUTS_SPENDING_PCT = 50.0

# Spending the report states in words or cells that extraction did not attach to the
# project: the executed figure is then in doubt, not missing.
# The words are the extractor's (`parsers.words`), so "stated but not read" means it.
_SPENDING_SENTENCE = re.compile(
    RATE + r"(?:为|是|达到?|达)?\d+(?:\.\d+)?%"
    r"|" + EXECUTED + EXECUTED_LINK + r"(?:达到)?\d[\d.,]*(?:万元|元|亿元)"
    r"|(?:资金|经费|预算)?(?:已)?全部(?:支出|使用|支付)(?:完毕)?")
_SPENDING_HEADER = re.compile(r"^(?:预算|全年|年度|实际)?(?:执行数|执行率|实际支出|支出实现率|实际支出金额|支出数|决算数)")
_BARE_NUMBER = re.compile(r"^[\d,]+(?:\.\d+)?%?$")


def budgets(p: Project) -> list[float]:
    """The budgets the report states, adjusted first."""
    return [b for b in (v(p.budget_adjusted), v(p.budget_initial)) if b]


def spent_share(p: Project) -> float | None:
    """Executed ÷ the budget spending is measured against (adjusted, else initial),
    in percent; else the stated rate; None when neither is known."""
    executed = v(p.executed)
    if executed is not None and budgets(p):
        return executed / budgets(p)[0] * 100
    return v(p.execution_rate)


_ARRIVED = re.compile(r"(?:实际)?到位(?:资金)?(?:为|共)?(\d[\d,]*(?:\.\d+)?)(万元|元|亿元)")
_TO_WAN = {"亿元": 10000.0, "万元": 1.0, "元": 0.0001}


def arrived(ev: Evidence, p: Project) -> list[float]:
    """Funds the report says arrived (到位): some reports measure the rate against them."""
    return [float(m.group(1).replace(",", "")) * _TO_WAN[m.group(2)]
            for _, text in ev.project_lines(p) for m in _ARRIVED.finditer(text)] if ev.document else []


def rate_comparisons(ev: Evidence) -> list[tuple[Project, object]]:
    """The stated rate against executed ÷ each stated budget, for every project
    (computed once; the rounding rule shares it)."""
    if "rates" in ev.memo:
        return ev.memo["rates"]
    out = []
    for p in ev.projects:
        rate, executed = v(p.execution_rate), v(p.executed)
        if rate is None or executed is None or not ev.spending_read(p):
            continue
        c = compare_rate(rate, executed, budgets(p) + arrived(ev, p))
        if c is None or (c.status == ERROR and rate == 100 and c.computed > 100):
            continue  # no budget, or a rate capped at 100% on spending above the budget
        out.append((p, c))
    ev.memo["rates"] = out
    return out


_STATED_RATE = re.compile(r"(?:执行率|支出率|支付率|执行进度)[^。；，\d]{0,6}?(\d+(?:\.\d+)?)%")


def restates_rate(ev: Evidence, p: Project, computed: float) -> int | None:
    """A line of the project's own text where the report states the rate its amounts
    give (the rate read may be another cell, e.g. the 100% target beside it): the
    mismatch then does not survive a second reading."""
    for line_no, text in ev.project_lines(p):
        for m in _STATED_RATE.finditer(text):
            c = compare_rate(float(m.group(1)), computed, [100])
            if c is not None and c.status != ERROR:
                return line_no
    return None


def rule_execution_rate_mismatch(ev: Evidence) -> list[Check]:
    out = []
    for p, c in rate_comparisons(ev):
        if c.status != ERROR:
            continue
        line = restates_rate(ev, p, c.computed)
        if line is not None:
            ev.doubt(p, "indicator_table_unread", f"指标表未识别：读出的执行率 {fmt(c.stated)}% 与第 {line} 行写的执行率不同，"
                     "执行率未审核", ev.prov(line))
            continue
        out.append(_rate_mismatch(p, c))
    return out


def _rate_mismatch(p: Project, c) -> Check:
    return finding(
        "execution_rate_mismatch",
        f"「{p.name}」执行率写为 {fmt(c.stated)}%，按执行数 {fmt(v(p.executed))} ÷ 预算算得 {c.computed:.2f}%",
        f"execution rate {fmt(c.stated)}% but executed/budget = {c.computed:.2f}%", p.name,
        (p.execution_rate, p.executed, p.budget_adjusted, p.budget_initial))


def rate_rounding(ev: Evidence) -> list[Check]:
    return [finding(
        "rounding", f"「{p.name}」执行率 {fmt(c.stated)}% 与计算值 {c.computed:.4f}% 仅差尾数",
        f"executed/budget = {c.computed:.4f}%, the report prints {fmt(c.stated)}%", p.name,
        (p.execution_rate, p.executed))
        for p, c in rate_comparisons(ev) if c.status == ROUNDING]


def rule_low_execution(ev: Evidence) -> list[Check]:
    out = []
    for p in ev.projects:
        share = spent_share(p)
        if share is None or _zero_budget(p) or not ev.spending_read(p):
            continue
        if share < LOW_EXECUTION_PCT - 1e-9:
            spent = f"执行数 {fmt(v(p.executed))} ÷ 预算 {fmt(budgets(p)[0])}" if v(p.executed) is not None and budgets(p) else "执行率"
            out.append(finding(
                "low_execution", f"「{p.name}」预算执行率 {share:.2f}%（{spent}），低于 {fmt(LOW_EXECUTION_PCT)}%",
                f"only {share:.2f}% of the budget was spent", p.name,
                (p.executed, p.execution_rate, p.budget_adjusted, p.budget_initial)))
    return out


def _zero_budget(p: Project) -> bool:
    """A budget stated as zero: a rate against it measures nothing (an empty total row
    is amounts_vs_total's)."""
    return any(b is not None and b <= 0 for b in (v(p.budget_adjusted), v(p.budget_initial))) and not budgets(p)


def rule_budget_cut(ev: Evidence) -> list[Check]:
    out = []
    for p in ev.projects:
        initial, adjusted = v(p.budget_initial), v(p.budget_adjusted)
        if not initial or initial <= 0 or adjusted is None or not ev.spending_read(p):
            continue
        if adjusted <= initial * BUDGET_CUT_SHARE + 1e-9:
            executed = v(p.executed)
            of_initial = f"，执行数只占年初预算的 {executed / initial * 100:.1f}%" if executed is not None else ""
            out.append(finding(
                "budget_cut", f"「{p.name}」全年预算 {fmt(adjusted)} 万元较年初 {fmt(initial)} 万元调减 {100 - adjusted / initial * 100:.1f}%{of_initial}",
                f"budget cut from {fmt(initial)} to {fmt(adjusted)} ({adjusted / initial * 100:.1f}% of the initial)", p.name,
                (p.budget_initial, p.budget_adjusted, p.executed)))
    return out


def discloses_spending(ev: Evidence, p: Project) -> int | None:
    """The line where the project's own text states spending that extraction did not
    attach (a sentence with an amount or rate spent, or a spending column header with
    a number under it), else None."""
    for line_no, text in ev.project_lines(p):
        if _SPENDING_SENTENCE.search(text):
            return line_no
    for table in ev.tables_of(p):
        for r, row in enumerate(table.rows[:-1]):
            for c, cell in enumerate(row):
                if not _SPENDING_HEADER.match(re.sub(r"\s", "", cell.text)):
                    continue
                nxt = table.rows[r + 1]
                below = next((x for x in nxt if x.col == cell.col), None) if cell.col is not None else \
                    (nxt[c] if c < len(nxt) else None)
                if below is not None and _BARE_NUMBER.match(re.sub(r"\s", "", below.text)):
                    return cell.line_start
    return None


def rule_execution_missing(ev: Evidence) -> list[Check]:
    out = []
    for p in ev.projects:
        if not ev.spending_read(p):
            continue
        if p.kind == "department" and DEPARTMENT_OVERALL not in ev.facts.doc_kinds \
                and any(q.kind != "department" for q in ev.projects):
            continue  # a department total mentioned in a project report is not evaluated here
            # (when it is all the report gives, a unit's report on its projects, it is)
        executed, rate = v(p.executed), v(p.execution_rate)
        if executed is None and rate is None:
            line = discloses_spending(ev, p)
            if line is not None:
                ev.doubt(p, "indicator_table_unread", f"指标表未识别：第 {line} 行写有支出数或执行率，但没有读出，"
                         "执行情况未审核", ev.prov(line))
                continue
            out.append(finding("execution_missing", f"「{p.name}」未披露执行数和执行率",
                               "no executed amount or execution rate is disclosed", p.name,
                               (p.budget_adjusted, p.budget_initial, p)))
        elif p.kind == "department" and executed is not None and rate is None and not budgets(p):
            out.append(finding("execution_missing", f"「{p.name}」只写了支出 {fmt(executed)} 万元，没有可对照的预算数和执行率",
                               f"spending {fmt(executed)} is given with no budget or rate", p.name, (p.executed,)))
    return out


def rule_outputs_vs_spending(ev: Evidence) -> list[Check]:
    out = []
    for p in ev.projects:
        executed = v(p.executed)
        if executed is None or not budgets(p) or not ev.spending_read(p):
            continue
        share = executed / max(budgets(p)) * 100
        outputs = [i for i in p.indicators if "产出" in (i.level1 or "") and not i.name.startswith("其中")]
        quantity = [i for i in outputs if "数量" in (i.level2 or "")]
        if share >= OUTPUTS_SPENDING_PCT or not quantity:
            continue
        if all(i.weight is not None and i.score is not None and i.score >= i.weight for i in outputs):
            out.append(finding(
                "outputs_vs_spending", f"「{p.name}」只支出了预算的 {share:.1f}%，产出指标却全部得满分",
                f"only {share:.1f}% of the largest stated budget was spent, yet every output indicator got full marks",
                p.name, (p.executed, p.budget_initial, p.budget_adjusted, *outputs)))
    return out
