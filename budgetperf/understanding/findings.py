"""What audit findings and review reasons mean, in words for reviewers: the three
severities, and for each audit rule its title (from `audit.RULES`) and a short
explanation of what it checks and what to look at in the report.

Pure data and lookups, no I/O; the 审核 page and its exports use it. The rules
themselves live in `budgetperf.audit`; a rule without an explanation here still
shows with its title (a test keeps the two in step).
"""

from __future__ import annotations

from budgetperf.understanding.audit import RULES
from budgetperf.understanding.doubts import REVIEW_CODES

SEVERITY_HELP = {
    "错误": "报告自身的数字互相矛盾（如总分不等于各部分之和）：引用前须与填报单位核实。",
    "警告": "数字可能有问题或缺失（如执行率与金额不符、未披露执行数）：看原文判断是否需要更正。",
    "提示": "不影响数字，但值得改进（如指标缺少量化目标）：供下一年度编制目标时参考。",
}

RULE_TITLES = {kind: title for kind, _severity, title, _rule in RULES}

RULE_HELP = {
    "total_vs_parts": "报告写的总分与各评价部分得分相加不等。核对自评表各部分得分与总分所在行。",
    "weights_sum": "各评价部分或指标的分值加起来不是 100 分，评分体系可能漏项或多计。",
    "execution_rate_mismatch": "报告写的执行率与「执行数 ÷ 预算」算出的不一致（相差超过 0.5 个百分点）。",
    "execution_score": "预算执行一项的得分与「分值 × 执行率」不符，可能评分口径不同或笔误。",
    "grade_vs_score": "报告写的等级与总分所在区间（优 ≥90、良 ≥80、中 ≥60、差 <60）不符。",
    "actual_below_target": "实际值没有达到目标值，该指标却得了满分。",
    "satisfaction_vs_score": "满意度低于目标，满意度指标却得了满分。",
    "cost_cap_over_budget": "成本指标设定的上限高于项目预算本身，起不到控制作用。",
    "projects_vs_department": "各项目预算之和与部门整体预算不一致，可能有项目未列入评价。",
    "expenses_vs_budget": "列出的支出明细加起来与项目预算不一致。",
    "execution_missing": "报告没有写执行数和执行率：看板显示为「未披露」，不按 0 或 100% 计。",
    "score_unsupported": "报告给出了总分，但没有指标表支撑这一得分。",
    "year_inferred": "标题没有写明年度，年度由正文或项目编码推断：请核对年度是否正确。",
    "region_unresolved": "没能从报告中识别所属地区：请数据管理员在地区参考表中补充该地区后重新生成。",
    "narrative_vs_table": "正文中的数字与自评表中的同一数字不一致。",
    "qualitative_targets": "部分指标只有文字目标，没有可衡量的数值目标（量化率低）。",
}

REVIEW_HELP = "抽取时不确定、需要人工看一眼的地方（与报告本身的审核发现不同）：例如年度是推断的、没找到项目名称。"


def rule_title(kind: str) -> str:
    """A rule's Chinese title (the kind itself for a rule this version does not know)."""
    return RULE_TITLES.get(kind, kind)


def rule_help(kind: str) -> str:
    """What a rule checks and what to look at, in one or two sentences."""
    return RULE_HELP.get(kind, "")


def review_label(code: str) -> str:
    """A review reason's short Chinese label."""
    return REVIEW_CODES.get(code, code)
