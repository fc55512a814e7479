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

import re

from budgetperf.understanding.parsers.values import is_unit_slip
from budgetperf.understanding.records import DocumentFacts, Project, Provenance, ReviewReason, v

# code -> short Chinese label (the page groups by it; the message says the detail).
REVIEW_CODES = {
    "not_recognized": "未识别为报告",
    "project_name_missing": "项目名称未识别",
    "indicator_table_unread": "指标表未识别",
    "weights_off": "权重合计异常",
    "rows_unread": "表格有行未读入",
    "cells_guessed": "单元格边界为推断",
    "total_summed": "合计为分项相加",
    "amount_unit_suspect": "金额单位存疑",
    "projects_count_off": "项目数与报告不符",
    "unit_inferred": "单位为推断",
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


def unread_rows_reasons(rows: list[Provenance]) -> list[ReviewReason]:
    """One reason naming the table rows that hold figures no reading took."""
    if not rows:
        return []
    lines = "、".join(f"第 {p.line_start} 行" if p.line_start == p.line_end else f"第 {p.line_start}–{p.line_end} 行"
                     for p in rows[:6]) + ("等" if len(rows) > 6 else "")
    return [reason("rows_unread", f"{lines}含数字但未读入任何字段，请核对是否漏读", rows[0])]


def summed_rows_reasons(rows: list[Provenance]) -> list[ReviewReason]:
    """One reason for a money table with no total row whose sources were added up."""
    if not rows:
        return []
    where = "、".join(f"第 {p.line_start} 行" for p in rows[:6]) + ("等" if len(rows) > 6 else "")
    return [reason("total_summed", f"资金表没有合计行，预算与执行数由{where}各项资金来源相加得到，请核对这些行是否都是分项", rows[0])]


def guessed_cells_reasons(lines: list[tuple[int, int]], first: Provenance | None) -> list[ReviewReason]:
    """One reason naming the rebuilt table rows whose cell boundaries were guessed
    (a PDF text layer that lost the table's grid)."""
    if not lines:
        return []
    where = "、".join(f"第 {a} 行" if a == b else f"第 {a}–{b} 行" for a, b in lines[:6]) + ("等" if len(lines) > 6 else "")
    return [reason("cells_guessed", f"{where}的表格只剩文字流，指标名称与目标值等的分界是推断的，请对照原件核对", first)]


def project_review_reasons(project: Project) -> list[ReviewReason]:
    """Reasons judged from one finished project. A sum that does not hold is the
    audit's to report (the report's own arithmetic); what is said here is what makes
    the *reading* doubtful: figures left unread, an amount whose unit cannot be right,
    rows plainly read twice."""
    out = []
    if project.name == UNNAMED_PROJECT:
        out.append(reason("project_name_missing", "报告中没有找到项目名称，请核对", project.prov))
    weights = [i.weight for i in project.indicators if i.weight is not None]
    if project.kind != "target" and weights and project.total_score is not None:
        total = sum(weights) + (project.budget_weight.value if project.budget_weight and project.budget_weight.value else 0)
        # Over 100 by far means rows were read twice or a subtotal was taken as a row.
        if total > 150:
            out.append(reason("weights_off", f"读出的分值合计 {total:g}，可能有行被重复读取", project.prov))
    out += _amount_reasons(project)
    return out


def _amount_reasons(project: Project) -> list[ReviewReason]:
    """A project amount written in a unit that is plainly a slip (「3.6元」 for a
    project's money: taken as 万元, `values.is_unit_slip`), or one read under 0.01 万元:
    the unit was mistyped or misread, so the figure needs a person."""
    for name in ("budget_initial", "budget_adjusted", "executed"):
        value = getattr(project, name)
        if value is None or not v(value):
            continue
        written = value.raw or str(v(value))
        if is_unit_slip(_amount_phrase(written)):
            return [reason("amount_unit_suspect", f"原文写作「{written}」，按 {v(value):g} 万元计："
                           "项目金额不可能只有几元，疑为万元误写为元，请核对", value.prov)]
        if 0 < v(value) < 0.01:
            return [reason("amount_unit_suspect", f"金额 {written} 折合 {v(value):g} 万元，"
                           "数额过小，疑为单位笔误（如万元写作元）或单位读错，请核对", value.prov)]
    return []


def _amount_phrase(text: str) -> str:
    """The last amount with its unit in a phrase (「市级资金配套3.6元」 → 3.6元)."""
    found = re.findall(r"\d[\d,]*(?:\.\d+)?\s*(?:亿元|万元|元)", text)
    return found[-1] if found else text


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
    out += _projects_count_reasons(facts)
    return out


def _projects_count_reasons(facts: DocumentFacts) -> list[ReviewReason]:
    """A report that says how many projects it covers, read with fewer named ones:
    the others' names and figures were not read (or the totals belong to the unit)."""
    stated = v(facts.projects_stated)
    named = [p for p in facts.projects if p.kind == "evaluation" and p.name != UNNAMED_PROJECT]
    if not stated or stated < 2 or len(named) >= stated:
        return []
    return [reason("projects_count_off", f"报告称共 {stated:g} 个项目，只读出 {len(named)} 个有名称的项目"
                   f"（第 {facts.projects_stated.prov.line_start} 行），其余项目的名称与金额可能未读入，"
                   "读出的金额也可能是单位的合计", facts.projects_stated.prov)]


def add_review_reasons(facts: DocumentFacts) -> None:
    """Append the judged reasons to the document and its projects (parsers' own
    reasons are kept; the same code is not added twice)."""
    for project in facts.projects:
        have = {r.code for r in project.review_reasons}
        project.review_reasons.extend(r for r in project_review_reasons(project) if r.code not in have)
    have = {r.code for r in facts.review_reasons}
    facts.review_reasons.extend(r for r in document_review_reasons(facts) if r.code not in have)
