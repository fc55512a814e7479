"""Corrections: a person's fix of an extracted value, kept apart from the extraction.

A `Correction` names what it fixes by keys that survive a rebuild and a re-ingest of
the same file: the file's content hash, the project's name as extracted (or as a
person added it), the indicator's name and row number, and the field. It records who
made it, when, the value shown before, the new value and why. Corrections are
appended to a JSON-lines file beside the store (``BUDGETPERF_CORRECTIONS``); undoing
one appends an undo record, so the file is also the trail.

`apply_corrections` applies the active corrections of one document to its facts
before the facts are stored and audited, so every page, export and audit rule reads
corrected values; it returns one `Applied` per correction saying whether it changed
a value (`applied`), whether the extraction already yields that value by itself
(`redundant`: shown as no longer needed), or whether what it names is gone
(`orphan`).

Fields a person can fix (`FIELDS`): a document's region, unit, year and whether it is
a report at all; a project's name, budgets, executed amount, rate, weights, scores,
grade; an indicator's levels, name, target, actual, weight and score. A person can
also add a missing project or indicator.

Pure functions plus an append-only file; no streamlit, no DuckDB.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from budgetperf import settings
from budgetperf.changes.jsonlines import append_lines, read_lines, records_of
from budgetperf.errors import UserError
from budgetperf.understanding.parsers.values import normalize_grade, parse_number
from budgetperf.understanding.records import (
    DocumentFacts,
    Indicator,
    Project,
    Provenance,
    Value,
    v,
)
from budgetperf.vocabulary import FACT_LABELS, FINDING_STATUSES

# field -> (entity, kind, Chinese label). kind: number | integer | text | grade | flag.
# Labels are the vocabulary's names of the facts, with the unit a person types in.
_L = FACT_LABELS
FIELDS: dict[str, tuple[str, str, str]] = {
    "region": ("document", "text", _L["region"]),
    "unit": ("document", "text", "填报单位"),  # the reporting unit, not a 主管部门 named beside it
    "year": ("document", "integer", _L["year"]),
    "not_a_report": ("document", "flag", "不是绩效报告"),
    "name": ("project", "text", _L["name"]),
    "budget_initial": ("project", "number", f"{_L['budget_initial']}（万元）"),
    "budget_adjusted": ("project", "number", f"{_L['budget_adjusted']}（万元）"),
    "executed": ("project", "number", f"{_L['executed']}（万元）"),
    "execution_rate": ("project", "number", f"{_L['execution_rate']}（%）"),
    "budget_weight": ("project", "number", _L["budget_weight"]),
    "budget_score": ("project", "number", _L["budget_score"]),
    "total_score": ("project", "number", _L["total_score"]),
    "grade": ("project", "grade", _L["grade"]),
    "add_project": ("project", "text", "新增项目"),
    **{f: ("indicator", "number" if f in ("indicator.weight", "indicator.score") else "text", _L[f])
       for f in ("indicator.level1", "indicator.level2", "indicator.name", "indicator.target", "indicator.actual",
                 "indicator.weight", "indicator.score")},
    "add_indicator": ("indicator", "text", "新增指标"),
    # A person confirms what extraction flagged as doubtful (a review reason's code),
    # or sets the status of an audit finding (未处理/已核实/忽略).
    "resolve_review": ("review", "text", "确认无误"),
    "finding_status": ("finding", "text", "审核发现处理状态"),
}
# Review reasons a correction of the field settles by itself.
RESOLVES = {"name": {"project_name_missing"}, "year": {"year_inferred", "year_missing"},
            "region": {"region_unknown"}, "unit": {"unit_missing"}}


class CorrectionError(UserError, ValueError):
    """A correction that cannot be made (unknown field, a value of the wrong kind)."""


@dataclass(frozen=True)
class Correction:
    """One fix, or the undo of one (`undoes` set, the rest copied from the fix)."""

    doc_hash: str
    field: str
    new_value: str | None
    old_value: str | None = None
    project: str | None = None  # the project's name as extracted (or as added)
    indicator: str | None = None  # the indicator's name as extracted
    indicator_seq: int | None = None  # its row in the project (1-based), to tell twins apart
    reason: str = ""
    editor: str = ""
    at: str = field(default_factory=lambda: dt.datetime.now().astimezone().isoformat(timespec="seconds"))
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    file: str | None = None  # for people: which file it was
    undoes: str | None = None
    finding: str | None = None  # an audit finding's key (`finding_key`) for finding_status

    @property
    def label_zh(self) -> str:
        return FIELDS[self.field][2]

    @property
    def target_zh(self) -> str:
        """What it corrects, in words: 「项目」指标 · 字段."""
        parts = [f"「{self.project}」" if self.project else "文档"]
        if self.indicator:
            parts.append(f"指标「{self.indicator}」")
        return "".join(parts) + f" · {self.label_zh}"


@dataclass(frozen=True)
class Applied:
    correction: Correction
    status: str  # applied | redundant | orphan
    extracted: str | None  # the value extraction gave, as text


STATUS_ZH = {"applied": "已更正", "redundant": "已无需更正（抽取结果已与更正值一致）", "orphan": "找不到要更正的对象"}


def make(doc_hash: str, field_name: str, new_value, *, project: str | None = None, indicator: str | None = None,
         indicator_seq: int | None = None, old_value=None, reason: str = "", editor: str = "",
         file: str | None = None, finding: str | None = None) -> Correction:
    """A checked `Correction`: the field is known, the value has the field's kind."""
    if field_name not in FIELDS:
        raise CorrectionError(f"unknown field {field_name!r}", f"不能更正的字段：{field_name}")
    entity, kind, label = FIELDS[field_name]
    if entity == "finding" and (not finding or str(new_value) not in FINDING_STATUSES):
        raise CorrectionError("a finding status needs the finding and one of the statuses",
                              f"审核发现的处理状态只能是 {'、'.join(FINDING_STATUSES)}")
    if entity in ("project", "indicator") and not project and field_name not in ("add_project",):
        raise CorrectionError("a project field needs the project", f"更正「{label}」需要指明项目")
    if entity == "indicator" and field_name != "add_indicator" and not indicator:
        raise CorrectionError("an indicator field needs the indicator", f"更正「{label}」需要指明指标")
    if not reason or not str(reason).strip():
        raise CorrectionError("a correction needs a reason", "请写明更正原因（例如：核对原文第 12 行）")
    text = None if new_value is None or str(new_value).strip() == "" else str(new_value).strip()
    _check_kind(kind, text, label)
    return Correction(doc_hash, field_name, text, None if old_value is None else str(old_value), project, indicator,
                      indicator_seq, reason.strip(), editor, file=file, finding=finding)


def finding_key(kind: str, project: str | None, what: str) -> str:
    """A stable key of an audit finding: its rule, project and English statement (the
    same finding comes back with the same key after a rebuild)."""
    return f"{kind}|{project or ''}|{what}"


def finding_statuses(corrections: list[Correction]) -> dict[tuple[str, str], Correction]:
    """(doc_hash, finding key) -> the latest active status record."""
    out = {}
    for c in active(corrections):
        if c.field == "finding_status":
            out[(c.doc_hash, c.finding)] = c
    return out


def by_document(corrections: list[Correction]) -> dict[str, list[Correction]]:
    """Active corrections per document (content hash), oldest first: what a build
    hands each extraction, so no extraction scans the whole file."""
    out: dict[str, list[Correction]] = {}
    for c in active(corrections):
        if c.field != "finding_status":  # a finding's status changes no fact (`finding_status`)
            out.setdefault(c.doc_hash, []).append(c)
    return out


def digest(corrections: list[Correction]) -> str | None:
    """Which active corrections one document's rows carry: equal digests, equal rows
    (a rebuild reuses the stored rows only then). None for a document without any."""
    ids = sorted(c.id for c in corrections)
    return hashlib.sha256("\n".join(ids).encode()).hexdigest()[:16] if ids else None


def _check_kind(kind: str, text: str | None, label: str) -> None:
    if text is None:
        return
    if kind in ("number", "integer") and parse_number(text) is None:
        raise CorrectionError(f"{label}: not a number: {text!r}", f"「{label}」应为数字，收到「{text}」")
    if kind == "integer" and (n := parse_number(text)) is not None and not (1990 <= n <= 2100):
        raise CorrectionError(f"{label}: not a year: {text!r}", f"「{label}」应为年份（如 2023），收到「{text}」")
    if kind == "grade" and normalize_grade(text) is None:
        raise CorrectionError(f"{label}: not a grade: {text!r}", f"「{label}」应为 优/良/中/差 或 优秀/良好/合格/不合格")
    if kind == "flag" and text not in ("是", "否", "true", "false"):
        raise CorrectionError(f"{label}: yes or no", f"「{label}」只能是 是 或 否")


def active(corrections: list[Correction]) -> list[Correction]:
    """Fixes not undone, oldest first (a later fix of the same field wins)."""
    undone = {c.undoes for c in corrections if c.undoes}
    return sorted((c for c in corrections if not c.undoes and c.id not in undone), key=lambda c: c.at)


# ---------------------------------------------------------------------------
# applying

def _as_text(value) -> str | None:
    value = v(value)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _converted(kind: str, text: str | None):
    if text is None:
        return None
    if kind == "number":
        return parse_number(text)
    if kind == "integer":
        return int(parse_number(text))
    if kind == "grade":
        return normalize_grade(text)
    return text


_CORRECTED = Provenance("", 0, 0, "人工更正")


def _corrected_value(old: Value | None, new, raw: str | None) -> Value:
    """The corrected value keeps the source lines of the value it replaces, so the
    fix can be checked against them; `raw` records it was typed by a person."""
    prov = old.prov if isinstance(old, Value) and old.prov is not None else None
    return Value(new, prov, f"人工更正：{raw}" if raw is not None else "人工更正：清空")


def apply_corrections(facts: DocumentFacts, corrections: list[Correction], ref=None) -> list[Applied]:
    """Apply this document's active corrections to `facts` in place (see module
    docstring). `ref` resolves a corrected region to its level, city and province."""
    out: list[Applied] = []
    for c in active([c for c in corrections if c.doc_hash == facts.content_hash]):
        if c.field == "finding_status":
            continue  # applies to the audit's findings, not to facts (see finding_statuses)
        applied = _apply_one(facts, c, ref)
        if applied.status == "applied":
            _settle_review(facts, c, RESOLVES.get(c.field, set()))
        out.append(applied)
    return out


def _settle_review(facts: DocumentFacts, c: Correction, codes: set[str]) -> bool:
    """Remove the review reasons a correction settles; True when one was removed."""
    if not codes:
        return False
    before = len(facts.review_reasons) + sum(len(p.review_reasons) for p in facts.projects)
    facts.review_reasons = [r for r in facts.review_reasons if r.code not in codes]
    for p in facts.projects:
        if c.project is None or p.name in (c.project, c.new_value):
            p.review_reasons = [r for r in p.review_reasons if r.code not in codes]
    return before != len(facts.review_reasons) + sum(len(p.review_reasons) for p in facts.projects)


def _find_project(facts: DocumentFacts, name: str | None) -> Project | None:
    return next((p for p in facts.projects if p.name == name), None)


def _find_indicator(project: Project, name: str | None, seq: int | None) -> tuple[int, Indicator] | None:
    if seq is not None and 1 <= seq <= len(project.indicators) and project.indicators[seq - 1].name == name:
        return seq - 1, project.indicators[seq - 1]
    return next(((k, i) for k, i in enumerate(project.indicators) if i.name == name), None)


def _apply_one(facts: DocumentFacts, c: Correction, ref) -> Applied:
    entity, kind, _ = FIELDS[c.field]
    new = _converted(kind, c.new_value)
    if c.field == "resolve_review":
        settled = _settle_review(facts, c, {c.new_value})
        return Applied(c, "applied" if settled else "redundant", c.new_value)
    if entity == "document":
        return _apply_document(facts, c, kind, new, ref)
    if c.field == "add_project":
        if _find_project(facts, c.new_value) is not None:
            return Applied(c, "redundant", c.new_value)
        facts.projects.append(Project(name=c.new_value, kind="evaluation", prov=_CORRECTED))
        return Applied(c, "applied", None)
    project = _find_project(facts, c.project)
    if project is None:
        return Applied(c, "orphan", None)
    if entity == "project":
        current = project.name if c.field == "name" else getattr(project, c.field)
        extracted = _as_text(current)
        if (extracted or None) == (_as_text(new) or None):
            return Applied(c, "redundant", extracted)
        if c.field == "name":
            project.name = c.new_value
        elif c.field == "grade":
            project.grade = _corrected_value(current, new, c.new_value) if new else None
            project.grade_derived = None if new else project.grade_derived
        else:
            setattr(project, c.field, _corrected_value(current, new, c.new_value))
        return Applied(c, "applied", extracted)
    if c.field == "add_indicator":
        if any(i.name == c.new_value for i in project.indicators):
            return Applied(c, "redundant", c.new_value)
        project.indicators.append(Indicator(None, None, c.new_value, None, None, None, None, _CORRECTED))
        project.has_indicator_table = True
        return Applied(c, "applied", None)
    found = _find_indicator(project, c.indicator, c.indicator_seq)
    if found is None:
        return Applied(c, "orphan", None)
    k, indicator = found
    attr = c.field.split(".", 1)[1]
    extracted = _as_text(getattr(indicator, attr))
    if (extracted or None) == (_as_text(new) or None):
        return Applied(c, "redundant", extracted)
    project.indicators[k] = replace(indicator, **{attr: new})
    return Applied(c, "applied", extracted)


def _apply_document(facts: DocumentFacts, c: Correction, kind: str, new, ref) -> Applied:
    if c.field == "not_a_report":
        is_excluded = c.new_value in ("是", "true")
        if facts.is_excluded == is_excluded:
            return Applied(c, "redundant", "是" if facts.is_excluded else "否")
        facts.is_excluded = is_excluded
        return Applied(c, "applied", "否" if is_excluded else "是")
    current = getattr(facts, c.field)
    extracted = _as_text(current)
    if (extracted or None) == (_as_text(new) or None):
        return Applied(c, "redundant", extracted)
    setattr(facts, c.field, _corrected_value(current, new, c.new_value) if new is not None else None)
    if c.field == "year":
        facts.year_is_explicit, facts.year_evidence = True, f"人工更正：{c.new_value}（{c.reason}）"
    if c.field == "region":
        region = _region(ref, new)
        facts.region_level, facts.city, facts.province, facts.region_code = (
            (region.level, region.city, region.province, region.code) if region else (None, None, None, None))
    if c.field == "unit":
        facts.unit_short = new
    return Applied(c, "applied", extracted)


def _region(ref, name):
    if ref is None or not name:
        return None
    matches = ref.by_name.get(name) or []
    return matches[0] if matches else None


# ---------------------------------------------------------------------------
# the file

def corrections_path() -> Path:
    return Path(settings.get("BUDGETPERF_CORRECTIONS"))


def load(path: str | Path | None = None) -> list[Correction]:
    """Every record in the file, fixes and undos, in file order. A torn last line
    (a crash while appending) is skipped."""
    return records_of(Correction, read_lines(path or corrections_path()))


def append(records: list[Correction], path: str | Path | None = None) -> None:
    """Append records durably (whole lines under an exclusive flock, fsynced)."""
    append_lines(path or corrections_path(), [asdict(r) for r in records])


def undo(correction: Correction, editor: str, reason: str = "撤销") -> Correction:
    """The record that undoes `correction`."""
    return replace(correction, id=uuid.uuid4().hex[:12], undoes=correction.id, editor=editor, reason=reason,
                   at=dt.datetime.now().astimezone().isoformat(timespec="seconds"))


def export_records(path: str | Path, records: list[Correction]) -> int:
    """Write records to a file another installation can import (JSON lines)."""
    Path(path).write_text("".join(json.dumps(asdict(r), ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return len(records)



def import_records(path: str | Path, existing: list[Correction]) -> list[Correction]:
    """Records of an exported file that this installation does not have yet (by id)."""
    known = {c.id for c in existing}
    return [c for c in load(path) if c.id not in known]
