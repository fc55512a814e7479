"""Extraction pipeline: file -> SourceDocument -> DocumentFacts (+ audit checks).

Glue only: readers do the I/O, parsers the reading, audit the checking. This module
also links a programme across years (`link_programs`) and renders the answer-key
JSON shape (`document_to_dict`) that `python -m budgetperf extract --json` prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetperf.reading import ReadError
from budgetperf.reading.blocks import SourceDocument, compact
from budgetperf.understanding.doubts import add_review_reasons, guessed_cells_reasons
from budgetperf.understanding.doubts import reason as review_reason
from budgetperf.understanding.parsers.context import (
    Reference,
    canonical_unit,
    clean_unit_name,
    find_region_mentions,
    find_unit_in_text,
    project_code_regions,
    region_from_unit,
    resolve_region,
    resolve_year,
    split_unit_code,
)
from budgetperf.understanding.parsers.shapes import SHAPE_PARSERS
from budgetperf.understanding.parsers.streams import with_stream_tables
from budgetperf.understanding.parsers.values import grade_for_score
from budgetperf.understanding.records import (
    DocumentFacts,
    Project,
    Provenance,
    ReviewReason,
    Value,
    v,
)
from budgetperf.understanding.repeats import collapse_repeats
from budgetperf.understanding.scanned import add_ocr_reasons, correct_slips


class NotAReportError(ReadError):
    """The file reads fine but holds no evaluation or target report."""


@dataclass
class Extraction:
    """One file's result: the source, the facts and the audit findings, and the
    people's corrections applied over the facts (`corrections.Applied`)."""

    source: SourceDocument
    facts: DocumentFacts
    checks: list
    applied: list = field(default_factory=list)
    corrections: list = field(default_factory=list)  # the document's active corrections (findings' statuses too)


# Words every budget-performance document uses; a file with none of them is not one.
_REPORT_VOCABULARY = re.compile(r"预算|绩效|指标|得分|自评|评价|执行率|执行数|目标值|专项资金|经费")


def extract_document(doc: SourceDocument, ref: Reference) -> DocumentFacts:
    """Run the shape parsers, then resolve region, unit and year.

    Never refuses a report silently: when no parser recognises the document's shape
    but it speaks the vocabulary of budgets and evaluations, it is taken with what
    the generic evaluation reading finds (possibly no project) and a review reason.
    Only a file with none of that vocabulary raises `NotAReportError`.
    """
    slips = correct_slips(doc, ref)  # OCR'd lines only: 三内峡市 → 三门峡市 before anything reads them
    facts = DocumentFacts(file=doc.file, fmt=doc.fmt, encoding=doc.encoding, line_count=len(doc.lines))
    streams = with_stream_tables(doc)  # a PDF's word-stream tables rebuilt before any shape is judged
    doc = streams.doc
    if streams.unsure_lines:
        a, b = streams.unsure_lines[0]
        first = Provenance(doc.file, a, b, doc.snippet(a, b))
        facts.review_reasons.extend(guessed_cells_reasons(streams.unsure_lines, first))
    unit_hints: list[Value] = []
    ran = set()
    for parser in SHAPE_PARSERS:
        if not parser.detect(doc):
            continue
        ran.add(parser.name)
        if _take(parser.parse(doc), facts, unit_hints):
            break  # one shape per document: the first that yields projects wins
    if not facts.projects:
        if not _REPORT_VOCABULARY.search("".join(doc.lines[:600])):
            raise NotAReportError(
                "not an evaluation or target report (no budget, score or indicator vocabulary)",
                "未识别为绩效评价报告或绩效目标表：文件中没有预算、绩效、指标或得分等内容",
            )
        fallback = next(p for p in SHAPE_PARSERS if p.name == "evaluation")
        if fallback.name not in ran:
            _take(fallback.parse(doc), facts, unit_hints)
        facts.review_reasons.append(review_reason(
            "not_recognized", "没有识别出报告的结构（评价报告、自评表或绩效目标表），已保留能读到的内容，请人工核对"))
    collapse_repeats(doc, facts)  # one report pasted N times is one report, flagged
    _resolve_context(doc, facts, unit_hints, ref)
    _drop_unit_prefix(facts)
    for p in facts.projects:
        if p.grade is None and v(p.total_score) is not None and p.kind != "target":
            # Kept apart from `grade`: the band is our reading, not the report's words.
            p.grade_derived = grade_for_score(v(p.total_score))
    add_review_reasons(facts)
    add_ocr_reasons(doc, facts, slips)
    return facts


def _drop_unit_prefix(facts: DocumentFacts) -> None:
    """A title read as "<unit><project>" where the unit's region was not one the
    title splitter knows (a region ending in 岛): once the unit is resolved, a
    project name that starts with it is the rest."""
    unit = compact(v(facts.unit) or "")
    if len(unit) < 4:
        return
    for p in facts.projects:
        name = compact(p.name)
        if name.startswith(unit) and len(name) - len(unit) >= 4:
            p.name = name[len(unit):]


def _take(result, facts: DocumentFacts, unit_hints: list[Value]) -> bool:
    """Add a parser's result to the facts; True when it yielded projects with content."""
    projects = [p for p in result.projects if _has_content(p)]
    facts.projects.extend(projects)
    facts.doc_kinds.extend(k for k in result.doc_kinds if k not in facts.doc_kinds)
    unit_hints.extend(result.unit_hints)
    facts.unit_project_budget = facts.unit_project_budget or result.unit_project_budget
    facts.projects_total = facts.projects_total or result.projects_total
    facts.projects_stated = facts.projects_stated or result.projects_stated
    facts.supervisor = facts.supervisor or result.supervisor
    facts.evaluator = facts.evaluator or result.evaluator
    return bool(projects)


def _has_content(p: Project) -> bool:
    """A project section that states no figure at all (a policy notice that merely
    mentions 绩效评价) is not a report of one; a project the report says was not
    carried out (its 实际完成情况 and nothing else) is."""
    return any((p.budget_initial, p.budget_adjusted, p.executed, p.execution_rate, p.total_score, p.grade,
                p.indicators, p.section_scores, p.expense_items, p.spending_plan, p.output_facts, p.goal_actual))


def _title_block_end(doc: SourceDocument) -> int:
    """The last line of the title block: the first three non-empty lines."""
    seen = 0
    for i, text in enumerate(doc.lines, start=1):
        if text.strip():
            seen += 1
            if seen == 3:
                return i
    return len(doc.lines)


def _resolve_context(doc: SourceDocument, facts: DocumentFacts, unit_hints: list[Value], ref: Reference) -> None:
    hint = next((h for h in unit_hints if compact(h.value)), None)
    unit_name = clean_unit_name(hint.value) if hint is not None else None
    # Where the reporting unit is, is where the report is from: a street office's
    # report is its district's even when it names other places.
    region = None
    if not project_code_regions(doc, ref) and unit_name:
        region = region_from_unit(unit_name, ref)
    region = region or resolve_region(doc, ref, hints=[h.value for h in unit_hints], codes=project_code_regions(doc, ref))
    if region is not None:
        line = next((i + 1 for i, text in enumerate(doc.lines) if region.name in text), 0)
        facts.region = Value(region.name, Provenance(doc.file, line, line, doc.snippet(line, line)) if line else None)
        facts.region_level, facts.city, facts.province, facts.region_code = region.level, region.city, region.province, region.code
    if hint is None and (found := find_unit_in_text(doc.lines, region)):
        name, line = found
        hint = Value(name, Provenance(doc.file, line, line, doc.snippet(line, line)), name)
        unit_name = clean_unit_name(name)
        if line > _title_block_end(doc):  # a unit on the title lines is the title's
            facts.review_reasons.append(review_reason(
                "unit_inferred", f"报告没有以标签或标题写明填报单位，「{name}」由正文第 {line} 行推断", hint.prov))
    if hint is not None and unit_name:
        code, _ = split_unit_code(compact(hint.raw or hint.value))
        facts.unit_short = canonical_unit(hint.value, region, ref)
        if region is not None and not find_region_mentions([unit_name], ref) \
                and not re.match(r"^[\u4e00-\u9fff]{2,8}?(?:镇|乡|街道|苏木|村)", unit_name):
            unit_name = facts.unit_short  # a bare 网信办: its region makes it a name
        facts.unit = Value(unit_name, hint.prov, hint.raw or hint.value)
        if code:
            facts.unit_code = Value(code, hint.prov)
    year = resolve_year(doc, ref, [p.name for p in facts.projects])
    if year is not None:
        facts.year = Value(year.year, None, year.evidence)
        facts.year_is_explicit = year.is_explicit
        facts.year_evidence = year.evidence
        facts.year_line = year.line




# ---------------------------------------------------------------------------
# programmes across years













# ---------------------------------------------------------------------------
# the answer-key JSON shape

def _num(value):
    return v(value)


def project_to_dict(p: Project) -> dict:
    grade = p.grade
    return {
        "name": p.name,
        "code": v(p.code),
        "kind": p.kind,
        "budget_initial": _num(p.budget_initial),
        "budget_adjusted": _num(p.budget_adjusted),
        "executed": _num(p.executed),
        "execution_rate": _num(p.execution_rate),
        "budget_weight": _num(p.budget_weight),
        "budget_score": _num(p.budget_score),
        "total_score": _num(p.total_score),
        "grade": v(grade),
        "grade_as_written": grade.raw if grade is not None else None,
        "grade_derived": p.grade_derived,
        "projects_evaluated": _num(p.projects_evaluated),
        "special_projects": _num(p.special_projects),
        "funding_source": v(p.funding_source),
        "amount_unit_as_written": p.amount_unit_as_written,
        "section_scores": [{"section": s.section, "max": s.max, "score": s.score} for s in p.section_scores],
        "indicators": [
            {"level1": i.level1, "level2": i.level2, "name": i.name, "target": i.target, "actual": i.actual,
             "weight": i.weight, "score": i.score}
            for i in p.indicators
        ],
        "output_facts": [{"name": f.name, "value": f.value} for f in p.output_facts],
        "expense_items": [{"item": e.item, "amount": e.amount_wan} for e in p.expense_items],
        "passages": [{"kind": x.kind, "label": x.label, "text": x.text, "line": x.prov.line_start,
                      "line_end": x.prov.line_end} for x in p.passages],
        "spending_plan": [{"by": s.by, "share": s.share_pct} for s in p.spending_plan],
        "needs_review": [review_to_dict(r) for r in p.review_reasons],
    }


def review_to_dict(r: ReviewReason) -> dict:
    return {"code": r.code, "message": r.message_zh, "line": r.prov.line_start if r.prov else None}


def document_to_dict(extraction: Extraction) -> dict:
    f = extraction.facts
    return {
        "file": f.file,
        "region": v(f.region),
        "region_level": f.region_level,
        "city": f.city,
        "province": f.province,
        "unit": v(f.unit),
        "unit_short": f.unit_short,
        "supervising_unit": v(f.supervisor),
        "evaluator": v(f.evaluator),
        "unit_code": v(f.unit_code),
        "year": v(f.year),
        "year_is_explicit": f.year_is_explicit,
        "year_evidence": f.year_evidence,
        "doc_kinds": f.doc_kinds,
        "unit_project_budget": v(f.unit_project_budget),
        "projects_total": v(f.projects_total),
        "needs_review": [review_to_dict(r) for r in f.review_reasons],
        "projects": [project_to_dict(p) for p in f.projects],
        "checks": [c.to_dict() for c in extraction.checks],
        "same_program_as": [{k: link[k] for k in ("this", "earlier", "earlier_year")} for link in f.same_program_as],
    }
