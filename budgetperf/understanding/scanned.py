"""What a person must know about a report read by OCR (a scan, an image, a scanned
OFD): the look-alike slips that were put right against the reference tables, and
the values that come from lines the engine was unsure of.

`correct_slips` runs before the parsers, so a region or unit read with a slipped
character (三内峡市) is found under its real name (三门峡市); `add_ocr_reasons` runs
after them and adds review reasons (`doubts.REVIEW_CODES`): one on each project
whose values come from a line with an OCR score under `blocks.LOW_CONFIDENCE`, one
on the document for such lines no project value came from (a value may have been
missed there) and for the document's own fields, one naming every corrected slip,
and one saying which pages were read by OCR at all: the engine misreads some
characters with full confidence (门 as 内 at 0.998 on the devset renderings), so a
scanned report's figures are worth a look against the original even where no
score is low (it ranks last in the 数据校对 queue). Documents without OCR'd lines are
untouched. Pure functions; no I/O.
"""

from __future__ import annotations

from budgetperf.reading.blocks import LOW_CONFIDENCE, SourceDocument
from budgetperf.reading.lookalikes import Slip, correct, reference_terms
from budgetperf.understanding.doubts import reason
from budgetperf.understanding.parsers.context import Reference
from budgetperf.understanding.records import DocumentFacts, Project, Provenance, Value

MAX_LINES_SHOWN = 8


def correct_slips(doc: SourceDocument, ref: Reference) -> list[Slip]:
    """Put right, in place, the look-alike slips of region, unit and report names on
    the document's OCR'd lines; the slips corrected."""
    if not doc.confidence:
        return []
    regions = {r.name for r in ref.regions} | {r.city for r in ref.regions if r.city} \
        | {r.province for r in ref.regions if r.province}
    units = {a.long_form for a in ref.unit_aliases} | {a.short_form for a in ref.unit_aliases}
    return correct(doc, reference_terms(sorted(regions), sorted(units)))


def _project_lines(p: Project) -> set[int]:
    """Every source line a project's values and rows were read from."""
    provs: list[Provenance | None] = [p.prov]
    provs += [value.prov for value in vars(p).values() if isinstance(value, Value)]
    for rows in (p.indicators, p.budget_lines, p.section_scores, p.expense_items, p.spending_plan, p.output_facts):
        provs += [row.prov for row in rows]
    lines: set[int] = set()
    for prov in provs:
        if prov is not None and prov.line_start > 0 and prov is not p.prov:
            lines.update(range(prov.line_start, prov.line_end + 1))
    return lines


def _shown(lines: list[int], doc: SourceDocument) -> str:
    parts = [f"第 {n} 行（{doc.confidence[n]:.2f}）" for n in lines[:MAX_LINES_SHOWN]]
    more = f" 等 {len(lines)} 行" if len(lines) > MAX_LINES_SHOWN else ""
    return "、".join(parts) + more


def add_ocr_reasons(doc: SourceDocument, facts: DocumentFacts, slips: list[Slip]) -> None:
    """Review reasons for OCR'd values a person should check (see module docstring)."""
    if not doc.confidence:
        return
    pages = "、".join(map(str, doc.ocr_pages)) if doc.ocr_pages else ""
    facts.review_reasons.append(reason(
        "ocr_scanned", f"{'第 ' + pages + ' 页' if pages else '全文'}是扫描图像，由文字识别读出，个别字和数字可能认错，"
                       "请对照原件抽查"))
    low = {n for n, score in doc.confidence.items() if score < LOW_CONFIDENCE}
    covered: set[int] = set()
    for p in facts.projects:
        mine = sorted(low & _project_lines(p))
        covered.update(mine)
        if mine:
            p.review_reasons.append(reason(
                "ocr_low_confidence", f"这些数值来自扫描件中识别可信度低的行：{_shown(mine, doc)}，请对照原件核对",
                Provenance(doc.file, mine[0], mine[-1], doc.snippet(mine[0], mine[-1]))))
    rest = sorted(low - covered)
    if rest:
        facts.review_reasons.append(reason(
            "ocr_low_confidence", f"扫描件中这些行识别可信度低，其中的数值可能读错或漏读：{_shown(rest, doc)}，请对照原件核对",
            Provenance(doc.file, rest[0], rest[0], doc.snippet(rest[0], rest[0]))))
    if slips:
        said = "、".join(dict.fromkeys(f"第 {s.line} 行「{s.was}」→「{s.now}」" for s in slips))
        first = slips[0].line
        facts.review_reasons.append(reason(
            "ocr_corrected", f"扫描件识别出的形近字已按参考表更正：{said}",
            Provenance(doc.file, first, first, doc.snippet(first, first))))
