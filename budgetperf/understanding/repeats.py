"""Repeated content: one report pasted many times into one file is taken once, and flagged.

A file that holds the same report N times would otherwise become N copies of every
project (a 67 MB text of one report pasted 1,800 times gave 1,803 projects), and
every sum on the dashboard would count it N times. `collapse_repeats`:

- keeps the first of projects that are exact repeats: the same name, kind, values,
  indicators, budget lines and so on, compared without their line numbers; the
  project kept has the provenance of its first occurrence;
- adds the review reason ``repeated_content`` to the document, saying how many
  copies were dropped, and also when the text repeats itself heavily without
  producing extra projects (most long lines are copies of earlier ones).

Two projects that differ in any value are both kept: only exact repeats collapse.
Pure functions over records; no I/O.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from budgetperf.reading.blocks import SourceDocument
from budgetperf.understanding.doubts import reason
from budgetperf.understanding.records import DocumentFacts, Project, Provenance, Value

# Judging the text itself: lines this long or longer (shorter ones such as "是",
# "100%" or "合计" repeat in every table), enough of them, and the share that are
# copies of an earlier line from which the text counts as pasted over and over.
MIN_LINE_CHARS = 8
MIN_LINES = 60
REPEATED_SHARE = 0.5

_SKIPPED_FIELDS = {"prov", "review_reasons"}


def _content(obj):
    """A hashable picture of a record's content, without provenance."""
    if isinstance(obj, Provenance):
        return None
    if isinstance(obj, Value):
        return ("Value", _content(obj.value), obj.raw)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return (type(obj).__name__,) + tuple(
            (f.name, _content(getattr(obj, f.name))) for f in dataclasses.fields(obj) if f.name not in _SKIPPED_FIELDS
        )
    if isinstance(obj, (list, tuple)):
        return tuple(_content(x) for x in obj)
    if isinstance(obj, dict):
        return tuple(sorted((str(k), _content(x)) for k, x in obj.items()))
    try:
        hash(obj)
    except TypeError:
        return repr(obj)
    return obj


def project_fingerprint(project: Project) -> tuple:
    """What makes two projects the same content, whatever lines they sit on."""
    return _content(project)


def repeated_line_share(lines: list[str]) -> float:
    """Share of the long lines that repeat an earlier line (0 when there are few)."""
    long_lines = [line.strip() for line in lines if len(line.strip()) >= MIN_LINE_CHARS]
    if len(long_lines) < MIN_LINES:
        return 0.0
    return 1 - len(set(long_lines)) / len(long_lines)


def collapse_repeats(doc: SourceDocument, facts: DocumentFacts) -> int:
    """Drop exact repeats of projects (keeping the first) and flag repeated content.

    Returns how many projects were dropped. Adds at most one ``repeated_content``
    review reason to the document.
    """
    kept: list[Project] = []
    seen: dict[tuple, Project] = {}
    copies: Counter = Counter()
    # Only projects sharing a name can be copies: the full fingerprint (a walk of
    # every record) is taken for those alone.
    named = Counter(project.name for project in facts.projects)
    for project in facts.projects:
        key = project_fingerprint(project) if named[project.name] > 1 else ("unique", id(project))
        if key in seen:
            copies[id(seen[key])] += 1
            continue
        seen[key] = project
        kept.append(project)
    dropped = len(facts.projects) - len(kept)
    facts.projects = kept
    if dropped:
        repeated = [p for p in kept if copies[id(p)]]
        first = repeated[0]
        names = "、".join(f"「{p.name}」{copies[id(p)] + 1} 次" for p in repeated[:3])
        more = f"等 {len(repeated)} 个项目" if len(repeated) > 3 else ""
        facts.review_reasons.append(reason(
            "repeated_content",
            f"同一内容在文件中重复出现（{names}{more}），只保留第一次出现的内容，共略去 {dropped} 个重复项目；"
            "请确认文件是否把同一份报告粘贴了多次",
            first.prov,
        ))
        return dropped
    share = repeated_line_share(doc.lines)
    if share >= REPEATED_SHARE:
        facts.review_reasons.append(reason(
            "repeated_content",
            f"全文约 {share:.0%} 的行与前文重复，可能把同一份报告粘贴了多次，请核对",
        ))
    return 0
