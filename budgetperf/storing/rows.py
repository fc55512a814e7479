"""One extraction as the rows it adds to each store table (pure, no I/O).

Kept apart from `loading` because stored rows depend on this code: it is part of
the extractor fingerprint (`loading.extractor_fingerprint`), and how rows are
batched, linked or copied is not.
"""

from __future__ import annotations

from budgetperf.changes.corrections import FIELDS, STATUS_ZH, digest, finding_key
from budgetperf.understanding.duplicates import fingerprint
from budgetperf.understanding.extract import Extraction
from budgetperf.understanding.parsers.values import parse_measure
from budgetperf.understanding.records import Provenance, Value, v
from budgetperf.vocabulary import OPEN, SYNTHETIC_MARKER

# Tables holding one document's rows, in the order a document is deleted (children
# first). `units`, `regions`, `program_links` and `store_meta` are store-wide.
DOCUMENT_TABLES = ("corrections_applied", "review_reasons", "checks", "output_facts", "passages", "spending_plans",
                   "expense_items", "section_scores", "budget_lines", "indicators", "provenance", "projects", "source_lines",
                   "documents")
DOCUMENT_COLUMNS = ("doc_id", "file", "fmt", "encoding", "content_hash", "region", "region_level", "city", "province",
                    "region_code", "unit", "unit_code", "year", "year_is_explicit", "year_evidence", "year_line",
                    "doc_kinds", "unit_project_budget_wan", "projects_total", "line_count", "unit_short",
                    "is_synthetic", "is_excluded", "corrections_digest", "fingerprint", "report_key")
_PROJECT_FIELDS = ("code", "budget_initial", "budget_adjusted", "executed", "execution_rate", "budget_weight",
                   "budget_score", "total_score", "total_weight", "grade", "projects_evaluated", "special_projects",
                   "funding_source", "goal_expected", "goal_actual")




def _lines(p: Provenance | None) -> tuple[int | None, int | None, str | None]:
    if p is None:
        return None, None, None
    return p.line_start, p.line_end, p.snippet


def _place(place) -> tuple[int | None, str | None, int | None]:
    """(page, sheet, table index) of a line, as `source_lines` stores them."""
    return (place.page, place.sheet, place.table) if place is not None else (None, None, None)


def is_synthetic(ex: Extraction) -> bool:
    """A document made by `budgetperf synth` carries its marker line."""
    return any(SYNTHETIC_MARKER in line for line in ex.source.lines[-40:])


def document_rows(ex: Extraction) -> dict[str, list[tuple]]:
    """Every row one extraction adds, per table (documents in DOCUMENT_COLUMNS order,
    the others in schema column order). `units` holds at most one candidate row."""
    f = ex.facts
    doc_id = f.content_hash[:16]
    rows: dict[str, list[tuple]] = {t: [] for t in (*DOCUMENT_TABLES, "units")}
    # the facts' fingerprint: the same report in another file has the same one
    same = fingerprint(f)
    rows["documents"].append((
        doc_id, f.file, f.fmt, f.encoding, f.content_hash, v(f.region), f.region_level, f.city, f.province,
        f.region_code, v(f.unit), v(f.unit_code), v(f.year), f.year_is_explicit, f.year_evidence, f.year_line,
        list(f.doc_kinds), v(f.unit_project_budget), v(f.projects_total), f.line_count, f.unit_short,
        is_synthetic(ex), f.is_excluded, digest(ex.corrections),
        same.key if same else None, same.report_key if same else None,
    ))
    places = ex.source.places
    rows["source_lines"] = [(doc_id, i + 1, line, *_place(places.get(i + 1))) for i, line in enumerate(ex.source.lines)]
    if f.is_excluded:  # 不是绩效报告: the file stays listed and readable, in no figure
        rows["corrections_applied"] = _applied_rows(ex, doc_id, {})
        return rows
    if v(f.unit):
        rows["units"].append((f.unit_short or v(f.unit), v(f.region), v(f.unit_code)))
    prov = rows["provenance"]
    for name in ("region", "unit", "unit_code", "unit_project_budget", "projects_total"):
        value = getattr(f, name)
        if isinstance(value, Value) and value.prov is not None:
            prov.append((doc_id, "document", doc_id, name, value.raw or str(value.value), *_lines(value.prov)))
    if f.year_line:
        prov.append((doc_id, "document", doc_id, "year", f.year_evidence, f.year_line, f.year_line,
                     ex.source.snippet(f.year_line, f.year_line)))
    project_ids = {}
    for seq, p in enumerate(f.projects, start=1):
        pid = f"{doc_id}:{seq}"
        project_ids[id(p)] = pid
        grade = p.grade
        rows["projects"].append((
            pid, doc_id, seq, p.name, v(p.code), p.kind, v(p.budget_initial), v(p.budget_adjusted), v(p.executed),
            v(p.execution_rate), v(p.budget_weight), v(p.budget_score), v(p.total_score), v(p.total_weight),
            v(grade), grade.raw if grade is not None else None, v(p.projects_evaluated), v(p.special_projects),
            v(p.funding_source), p.amount_unit_as_written, p.has_indicator_table, v(p.goal_expected),
            v(p.goal_actual), p.prov.line_start, p.prov.line_end, p.grade_derived,
        ))
        for name in _PROJECT_FIELDS:
            value = getattr(p, name)
            if isinstance(value, Value) and value.prov is not None:
                prov.append((doc_id, "project", pid, name, value.raw or str(value.value), *_lines(value.prov)))
        for k, i in enumerate(p.indicators, start=1):
            t, a = parse_measure(i.target), parse_measure(i.actual)
            rows["indicators"].append((
                f"{pid}:{k}", pid, doc_id, k, i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score,
                t.comparator, t.value, t.unit, t.is_numeric, a.comparator, a.value, a.unit, a.is_numeric,
                i.level1_inferred, i.deviation_reason, *_lines(i.prov),
            ))
        rows["budget_lines"] += [
            (pid, doc_id, k, b.label, b.budget_initial_wan, b.budget_adjusted_wan, b.executed_wan, b.weight,
             b.rate_pct, b.score, *_lines(b.prov))
            for k, b in enumerate(p.budget_lines, start=1)
        ]
        rows["section_scores"] += [(pid, doc_id, s.section, s.max, s.score, *_lines(s.prov)) for s in p.section_scores]
        rows["expense_items"] += [(pid, doc_id, e.item, e.amount_wan, e.amount_raw, *_lines(e.prov))
                                  for e in p.expense_items]
        rows["spending_plans"] += [(pid, doc_id, s.by, s.share_pct, *_lines(s.prov)) for s in p.spending_plan]
        rows["passages"] += [(pid, doc_id, k, x.kind, x.label, x.text, *_lines(x.prov))
                             for k, x in enumerate(p.passages, start=1)]
        for o in p.output_facts:
            m = parse_measure(o.value)
            rows["output_facts"].append((pid, doc_id, o.name, o.value, m.value, m.unit, *_lines(o.prov)))
    rows["review_reasons"] = [(doc_id, None, r.code, r.message_zh, *_lines(r.prov)) for r in f.review_reasons]
    rows["review_reasons"] += [(doc_id, project_ids[id(p)], r.code, r.message_zh, *_lines(r.prov))
                               for p in f.projects for r in p.review_reasons]
    names = {p.name: project_ids[id(p)] for p in f.projects}
    # A finding's status is laid over at every write (`schema.apply_finding_statuses`).
    for k, c in enumerate(ex.checks, start=1):
        first = c.provenance[0] if c.provenance else None
        rows["checks"].append((f"{doc_id}:{k}", doc_id, names.get(c.project), c.kind, c.severity, c.severity_zh,
                               c.message_zh, c.what, *_lines(first), finding_key(c.kind, c.project, c.what),
                               OPEN, None, None, None))
    rows["corrections_applied"] = _applied_rows(ex, doc_id, {id(p): project_ids[id(p)] for p in f.projects})
    return rows


def _applied_rows(ex: Extraction, doc_id: str, project_ids: dict[int, str]) -> list[tuple]:
    """One row per applied correction, pointing at the project and indicator it
    concerns as they are stored now (a renamed project under its new name)."""
    out = []
    for a in ex.applied:
        c = a.correction
        project = _project_of(ex.facts.projects, c)
        pid = project_ids.get(id(project)) if project is not None else None
        indicator_id = indicator_name = None
        if project is not None and FIELDS[c.field][0] == "indicator":
            wanted = c.new_value if c.field in ("indicator.name", "add_indicator") else c.indicator
            for k, i in enumerate(project.indicators, start=1):
                if i.name == wanted and (c.indicator_seq in (None, k) or indicator_id is None):
                    indicator_id, indicator_name = f"{pid}:{k}", i.name
        out.append((doc_id, c.id, c.field, c.label_zh, pid, project.name if project is not None else c.project,
                    indicator_id, indicator_name or c.indicator, a.extracted, c.new_value, a.status,
                    STATUS_ZH[a.status], c.editor, c.at, c.reason))
    return out


def _project_of(projects, c):
    """The project a correction concerns, found by its extracted or corrected name."""
    names = [c.project]
    if c.field in ("name", "add_project"):
        names.append(c.new_value)
    for name in names:
        found = next((p for p in projects if name is not None and p.name == name), None)
        if found is not None:
            return found
    return None
