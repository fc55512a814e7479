"""The same report in another file: a fingerprint of what a report says.

A bureau sends its report as a .docx and as the PDF printed from it, or a .txt in
GBK and again in UTF-8: different bytes (the content hash tells them apart), the
same report. Counting both doubles its budget in every total. The fingerprint is
made of the facts, not the bytes, so format and encoding drop out:

- who, when and what: the region, the unit (its short form), the year and the
  kinds of document;
- each project: its kind, its name (compared without spaces, punctuation and
  full-width forms), the budget it is measured against (adjusted, else initial:
  a layout may put one figure under either heading), the executed amount, the
  total score (two decimals, in 万元 and points, so 元 and 万元 layouts agree) and
  the number of indicators.

Two documents are probable duplicates when their fingerprints are equal. The
rule asks for every project's money and score, not for the text: reports of the
same unit come from one template, so words prove little, while a report's own
figures, all equal, are what only a copy has.

A document whose figures differ is not a duplicate, even when everything else is
the same (`report_key`): a corrected resubmission, or a midterm and a final sheet.
Which of two versions holds cannot be told from the figures, so neither is left
out of any total on a guess: intake says 「可能是修订版本」 and a person deletes the
old one (a duplicate, by contrast, loses nothing when one copy is set aside).

A document without a year, without a unit or region, or without a single figure
has no fingerprint: there is nothing to tell two such documents apart by, and
identical files are caught by their content hash already. Pure, no I/O.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from budgetperf.understanding.records import DocumentFacts, Project, v


@dataclass(frozen=True)
class Fingerprint:
    """`key`: equal for the same report in any file; `report_key`: equal for
    reports of the same unit, year, kind and projects, whatever their figures."""

    key: str
    report_key: str


def plain_text(text: str | None) -> str:
    """Text compared as a reader would: NFKC (full-width forms folded), letters and
    digits only, lower case. A name a PDF wraps over two lines, or writes with
    full-width brackets, compares equal to the Word original."""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN").lower()


def figure(value) -> str:
    """A figure to two decimals (half up), or ``-`` when the report does not say."""
    value = v(value)
    if value is None or isinstance(value, bool):
        return "-"
    try:
        return str(Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError, OverflowError):
        return "-"


def _budget(p: Project):
    """The budget the dashboard counts: adjusted if stated, else initial."""
    return v(p.budget_adjusted) if v(p.budget_adjusted) is not None else v(p.budget_initial)


def _figures(p: Project) -> tuple[str, str, str, str]:
    return figure(_budget(p)), figure(p.executed), figure(p.total_score), str(len(p.indicators))


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def fingerprint(facts: DocumentFacts) -> Fingerprint | None:
    """The facts' fingerprint (see module docstring), or None when the document has
    too little to be told apart by (no year, no unit or region, no figure)."""
    if facts.is_excluded:
        return None
    year = v(facts.year)
    who = plain_text(facts.unit_short or v(facts.unit)), plain_text(v(facts.region))
    if year is None or not any(who):
        return None
    projects = [(p.kind, plain_text(p.name), _figures(p)) for p in facts.projects]
    if not any(f != "-" for _, _, figures in projects for f in figures[:3]):
        return None
    head = [str(int(year)), *who, ",".join(sorted(set(facts.doc_kinds)))]
    names = sorted(f"{kind}:{name}" for kind, name, _ in projects)
    rows = sorted(f"{kind}:{name}:{'/'.join(figures)}" for kind, name, figures in projects)
    return Fingerprint(_digest(["facts", *head, *rows]), _digest(["report", *head, *names]))


def reason_zh(unit: str | None, year: int | None, projects: int) -> str:
    """Why two documents are taken for one report, in a sentence a reviewer checks."""
    who = f"同一单位（{unit}）" if unit else "同一地区"
    when = f"同一年度（{year}）" if year is not None else "同一年度"
    return f"{who}、{when}、同一类型，{projects} 个项目的名称、预算、执行数、得分和指标数都相同"
