"""Words reports use in sentences for spending, rates and ticked boxes, shared by the
extractor (`parsers.narrative`, `parsers.evaluation`) and the audit (`audit.execution`,
`audit.remarks`), so that what the audit calls "stated but not read" is exactly what
the extractor could have read.

Only vocabulary lives here: no patterns with amounts, no reading of any one report.
"""

from __future__ import annotations

import re

# Money spent, as a sentence names it: "实际支出数为1100万元", "决算数480万元",
# "累计支出…", "实际拨付…". 到位 alone is money arriving, not spent: it stays out.
# Longer words first, so a regex alternation takes the whole word.
EXECUTED_WORDS = (
    "实际到位并支出", "实际预算支出", "实际使用资金", "实际支出", "实际执行", "全年执行", "全年支出",
    "执行数", "决算数", "累计支出", "实际拨付", "支出金额", "使用资金", "实际使用",
    "已支付", "已拨付", "到位并使用",
)
# A plan is not spending: "计划使用资金", "预计支出".
_PLANNED_BEFORE = ("计划", "预计", "拟")
# Bare 支出数 also names a part or a plan: "基本支出数", "项目支出数", "预算支出数".
_PART_BEFORE = ("基本", "项目", "公用", "人员", "经费", "预算", "三公")
EXECUTED = (
    "".join(f"(?<!{w})" for w in _PLANNED_BEFORE)
    + "(?:" + "|".join(EXECUTED_WORDS) + "|" + "".join(f"(?<!{w})" for w in _PART_BEFORE) + "支出数)"
)
# What may sit between the word and its amount: "实际支出数为", "支出金额是", "共支出".
EXECUTED_LINK = r"(?:数|金额|资金)?(?:为|了|共|是|达|合计)?"

# The share of the budget spent. 到位率 (money arrived) is not a spending rate.
RATE = r"(?:预算|资金)?(?:执行率|支出率|支出实现率|执行进度|支付率|拨付率)"

# Ticked and empty boxes as text exports write them: Unicode boxes and marks, and the
# Wingdings characters a Word export leaves behind (þ ticked, ¨ empty; Wingdings 2
# R ticked, £ empty).
TICKS = "☑√■✓✔☒▇þR"
EMPTY_BOXES = "☐□▢¨£"
_BOX = re.compile(f"[{TICKS}{EMPTY_BOXES}]")
_LETTER = re.compile(r"[A-Za-z0-9]")


def _is_box(text: str, i: int) -> bool:
    """A box character at `i`; an R inside a Latin word is a letter, not a box."""
    if not 0 <= i < len(text) or text[i] not in TICKS + EMPTY_BOXES:
        return False
    if text[i] == "R":
        return not any(0 <= j < len(text) and _LETTER.match(text[j]) for j in (i - 1, i + 1))
    return True


def _boxes_lead(line: str) -> bool:
    """Whether this line writes its boxes before their labels ("☑自评 ☐中介机构") rather
    than after them ("自评☑ 中介机构☐"): decided by the first box, which has no label
    before it in the first style."""
    for i in range(len(line)):
        if _is_box(line, i):
            before = line[:i].rstrip()
            return not before or not re.match(r"[\u4e00-\u9fffA-Za-z]", before[-1])
    return False


def ticked(line: str, label: str) -> bool:
    """Whether `label` is ticked on this line, with the tick before or after it."""
    if label not in line:
        return False
    lead = _boxes_lead(line)
    start = line.find(label)
    while start >= 0:
        end = start + len(label)
        if lead:
            i = start - 1
            while i >= 0 and line[i] == " ":
                i -= 1
            if _is_box(line, i) and line[i] in TICKS:
                return True
        else:
            i = end
            while i < len(line) and line[i] == " ":
                i += 1
            if _is_box(line, i) and line[i] in TICKS:
                return True
        start = line.find(label, end)
    return False
