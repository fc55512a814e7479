"""The `rounding` remark: a sum or a rate that differs from its parts only in the last
digit. It reports the comparisons the arithmetic rules already made (scores, rates,
amounts), so a difference is either an error there or a remark here, never both;
and a balance stated in 元 beside amounts rounded to 万元.
"""

from __future__ import annotations

import re

from budgetperf.understanding.audit.amounts import amounts_rounding
from budgetperf.understanding.audit.arithmetic import EPSILON
from budgetperf.understanding.audit.checks import Check, finding, fmt
from budgetperf.understanding.audit.evidence import Evidence
from budgetperf.understanding.audit.execution import budgets, rate_rounding
from budgetperf.understanding.audit.scores import total_rounding
from budgetperf.understanding.records import v

_BALANCE = re.compile(r"(?:余额|结余|结转)(?:资金)?(?:为)?(\d[\d,]*(?:\.\d+)?)元")
# half a unit of 万元 amounts written to two decimals, in 万元
_WAN_ROUNDING = 0.005


def _balance_rounding(ev: Evidence) -> list[Check]:
    """A balance in 元 against budget − executed in 万元, where the two differ only as
    far as the 万元 figures are rounded."""
    out = []
    for p in ev.projects:
        executed = v(p.executed)
        if executed is None or not budgets(p):
            continue
        left = budgets(p)[0] - executed
        for line_no, text in ev.project_lines(p):
            m = _BALANCE.search(text)
            if not m:
                continue
            stated = float(m.group(1).replace(",", "")) / 10000
            if EPSILON < abs(stated - left) <= _WAN_ROUNDING + EPSILON:
                out.append(finding(
                    "rounding", f"「{p.name}」余额 {m.group(1)} 元，而预算减执行数为 {fmt(round(left, 4))} 万元：万元金额四舍五入所致",
                    f"balance {m.group(1)}元 vs {left:.4f}万元 from the rounded amounts", p.name, (ev.prov(line_no),)))
            break
    return out


def rule_rounding(ev: Evidence) -> list[Check]:
    return total_rounding(ev) + rate_rounding(ev) + amounts_rounding(ev) + _balance_rounding(ev)
