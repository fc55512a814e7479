"""Review reasons: what a person should check because the extractor was unsure.

Extraction never refuses a report that looks like one; it keeps what it could read
and says why it needs review. Parsers add reasons where they notice them (a table
whose header was missing); `add_review_reasons` adds the ones that can be judged
from the finished facts (no project name, no year, region not found …).

These are statements about the *extraction*, not about the report: the audit
(`budgetperf.audit`) reports the report's own inconsistencies, and skips the rules
whose input a review reason says was not fully read.

Pure functions over records; no I/O.
"""

from __future__ import annotations

from budgetperf.understanding.records import DocumentFacts, Project, ReviewReason

# code -> short Chinese label (the page groups by it; the message says the detail).
REVIEW_CODES = {
    "not_recognized": "未识别为报告",
    "project_name_missing": "项目名称未识别",
    "indicator_table_unread": "指标表未识别",
    "weights_off": "权重合计异常",
    "year_inferred": "年度为推断",
    "year_missing": "年度未识别",
    "region_unknown": "地区未识别",
    "unit_missing": "单位未识别",
    "repeated_content": "内容重复",
    # scanned reports (understanding.scanned)
    "ocr_low_confidence": "识别可信度低",
    "ocr_corrected": "识别字形已更正",
    "ocr_scanned": "扫描件（文字识别）",
}

UNNAMED_PROJECT = "未命名项目"


def reason(code: str, detail: str | None = None, prov=None) -> ReviewReason:
    """A review reason with the code's label, and the detail when there is one."""
    label = REVIEW_CODES[code]
    return ReviewReason(code, f"{label}：{detail}" if detail else label, prov)


def project_review_reasons(project: Project) -> list[ReviewReason]:
    """Reasons judged from one finished project."""
    out = []
    if project.name == UNNAMED_PROJECT:
        out.append(reason("project_name_missing", "报告中没有找到项目名称，请核对", project.prov))
    weights = [i.weight for i in project.indicators if i.weight is not None]
    if project.kind != "target" and weights and project.total_score is not None:
        total = sum(weights) + (project.budget_weight.value if project.budget_weight and project.budget_weight.value else 0)
        # Over 100 by far means rows were read twice or a subtotal was taken as a row:
        # an extraction problem, not the report's (the audit judges sums near 100).
        if total > 150:
            out.append(reason("weights_off", f"读出的分值合计 {total:g}，可能有行被重复读取", project.prov))
    return out


def document_review_reasons(facts: DocumentFacts) -> list[ReviewReason]:
    """Reasons judged from the whole document once region, unit and year are resolved."""
    out = []
    if facts.year is None:
        out.append(reason("year_missing", "报告中没有找到评价年度"))
    elif not facts.year_is_explicit:
        out.append(reason("year_inferred", facts.year_evidence))
    if facts.region is None:
        out.append(reason("region_unknown", "没有在地区参考表中找到报告所属地区"))
    if facts.unit is None:
        out.append(reason("unit_missing", "没有找到填报单位"))
    return out


def add_review_reasons(facts: DocumentFacts) -> None:
    """Append the judged reasons to the document and its projects (parsers' own
    reasons are kept; the same code is not added twice)."""
    for project in facts.projects:
        have = {r.code for r in project.review_reasons}
        project.review_reasons.extend(r for r in project_review_reasons(project) if r.code not in have)
    have = {r.code for r in facts.review_reasons}
    facts.review_reasons.extend(r for r in document_review_reasons(facts) if r.code not in have)
