"""The 数据校对 queue: what needs a person, most important first.

An issue is one thing a person should look at: a review reason of the extraction
(`review_reasons`: project name not found, indicator table not read …), an audit
error still 未处理, or an audit warning about a value still 未处理. The queue lists
items, one per document (document-wide issues) or project, each with its issues,
ranked by its most important issue and then by budget (a wrong figure in a larger
budget matters more).

This module owns the ranking and the words for it; `queries/review/queue.sql`
applies it in SQL (``list_position($order, issue_key)``), so a province's tens of
thousands of issues are ranked and paged in the store, never loaded whole. Pure
data and functions, no I/O.
"""

from __future__ import annotations

from budgetperf.understanding.doubts import REVIEW_CODES
from budgetperf.understanding.findings import rule_title

# Issue kinds, as the page's 类型 filter offers them.
KINDS = {
    "error": "审核错误",
    "extraction": "抽取存疑",
    "value": "数值存疑",
}
KIND_HELP = {
    "error": "报告的数字自相矛盾（审核规则判为错误），且尚未标为已核实或忽略。",
    "extraction": "抽取时不确定：项目名称、指标表、地区、年度等没有读准。",
    "value": "审核规则提示某个数值可疑（如执行率与金额不符），且尚未处理。",
}

# Most important first. An issue's key is ``review:<code>`` for a review reason,
# ``error:<rule>`` for an audit error and ``warning:<rule>`` for an audit warning.
# Errors and unreadable tables come before doubtful values, and those before a year
# that was inferred (usually right, and cheap to confirm).
ORDER = [
    "review:not_recognized",
    "review:indicator_table_unread",
    "review:rows_unread",
    "review:cells_guessed",
    "review:total_summed",
    "review:amount_unit_suspect",
    "error:total_vs_parts",
    "error:weights_sum",
    "error:grade_vs_score",
    "error:execution_rate_mismatch",
    "error:amounts_vs_total",
    "review:project_name_missing",
    "review:region_unknown",
    "review:projects_count_off",
    "review:weights_off",
    "review:year_missing",
    "review:unit_missing",
    "review:ocr_low_confidence",
    "warning:narrative_vs_table",
    "warning:unit_or_measure_wrong",
    "warning:execution_score",
    "warning:score_vs_rule",
    "warning:expenses_vs_budget",
    "warning:projects_vs_department",
    "warning:cost_cap_over_budget",
    "warning:actual_below_target",
    "warning:satisfaction_vs_score",
    "warning:claim_unsupported",
    "warning:outputs_vs_spending",
    "warning:actual_restates_target",
    "warning:period_mismatch",
    "warning:low_execution",
    "warning:budget_cut",
    "warning:reason_missing",
    "warning:score_unsupported",
    "warning:execution_missing",
    "review:repeated_content",
    "review:unit_inferred",
    "review:ocr_corrected",
    "review:ocr_scanned",
    "review:year_inferred",
]
# An audit error whose rule is not listed above ranks with the errors, a warning
# with the warnings (a rule added later still shows, in a sensible place).
FALLBACK = {"error": ORDER.index("review:project_name_missing"), "warning": ORDER.index("review:repeated_content")}

# Audit warnings left out of the queue: they restate a review reason of the same
# document (the reason is the item), so a person settles one, not two.
SKIPPED_RULES = ["year_inferred", "year_missing", "region_unresolved"]


def issue_key(source: str, code: str) -> str:
    """The ranking key of an issue: source is review | error | warning."""
    return f"{source}:{code}"


def rank(key: str) -> int:
    """0 = most important. Unknown keys rank after the known ones of their source."""
    if key in ORDER:
        return ORDER.index(key)
    source = key.split(":", 1)[0]
    return FALLBACK.get(source, len(ORDER))


def kind_of(key: str) -> str:
    """The 类型 of an issue: error | extraction | value."""
    source = key.split(":", 1)[0]
    return {"review": "extraction", "error": "error"}.get(source, "value")


def query_params(kinds: list[str] | None = None) -> dict:
    """The ranking and filtering params `queries/review/queue.sql` needs."""
    return {"order": list(ORDER), "skip_rules": list(SKIPPED_RULES), "fallback_error": FALLBACK["error"],
            "fallback_warning": FALLBACK["warning"], "issue_kinds": list(kinds) if kinds else None}


def issue_label(key: str) -> str:
    """An issue's short Chinese label: the review code's, or the audit rule's title."""
    source, _, code = key.partition(":")
    if source == "review":
        return REVIEW_CODES.get(code, code)
    return rule_title(code)


def item_title(doc_name: str, project_name: str | None) -> str:
    """How an item is named in the queue: 「文档」·「项目」."""
    return f"{doc_name} · {project_name}" if project_name else f"{doc_name}（整份文档）"
