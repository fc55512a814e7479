"""Accuracy of audit findings against an answer key's `checks`.

The rules are the project's answer-key scorer's for checks (compare_checks.py), so
the figures here agree with the ones the audit is judged by:

- a check and a finding pair when they have the same file and kind and, for a check
  that names a project, the same project: names compared after the extraction
  scorer's normalization, then 部门整体支出 with the department, then the most alike
  name (likeness ≥ 0.5 and better than the next);
- a document-level check (project null) pairs with any finding of its kind in the
  file, and further findings of that kind there count as covered by it;
- one finding pairs with one check; project checks are paired first, and a finding
  of the check's severity is preferred;
- reading notes (`reading_note`, not a problem) are not counted;
- every error or warning finding that pairs with no check is listed as unmatched:
  a false alarm, or a real problem the key misses, for a person to judge.

The report's last line reads
`checks found: F/N error+warning (P%), info I/M; unmatched error+warning findings: U`.

Pure: dicts in (keys in the seeds' format, findings as `budgetperf check --json`
prints them or as `Check.to_dict` gives them with a file), a `CheckScore` out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from budgetperf.bench.scoring import likeness, norm_name

DEPARTMENT = "部门整体支出"
UNSCORED = {"reading_note"}
SEVERITIES = {"error": "error", "错误": "error", "warning": "warning", "警告": "warning", "info": "info", "提示": "info"}


def findings_of(data) -> list[dict]:
    """Findings in one shape (file name, kind, severity, project, what, lines) from
    `check --json` output (a list, or a dict with `findings`)."""
    if isinstance(data, dict):
        data = data.get("findings") or data.get("checks") or []
    out = []
    for f in data:
        lines = (f.get("line_start"), f.get("line_end")) if f.get("line_start") is not None else None
        out.append({
            "file": str(f.get("file", "")).split("/")[-1],
            "kind": f.get("kind"),
            "severity": SEVERITIES.get(str(f.get("severity", "")).lower(), str(f.get("severity"))),
            "project": f.get("project_name", f.get("project")),
            "what": f.get("what") or "",
            "message_zh": f.get("message_zh") or "",
            "lines": lines,
        })
    return out


def findings_of_extractions(extractions) -> list[dict]:
    """The findings of extracted documents (`Extraction`s), as the store keeps them."""
    out = []
    for ex in extractions:
        for c in ex.checks:
            first = c.provenance[0] if c.provenance else None
            out.append({"file": ex.facts.file, "kind": c.kind, "severity": c.severity, "project_name": c.project,
                        "what": c.what, "message_zh": c.message_zh,
                        "line_start": first.line_start if first else None, "line_end": first.line_end if first else None})
    return findings_of(out)


def resolve(name: str | None, projects: list[dict]) -> str | None:
    """The key project a finding's project name stands for, or None."""
    if not name:
        return None
    for p in projects:
        if norm_name(p["name"]) == norm_name(name):
            return p["name"]
    if DEPARTMENT in norm_name(name) or "部门整体" in norm_name(name):
        department = [p for p in projects if p.get("kind") == "department" or p["name"] == DEPARTMENT]
        if len(department) == 1:
            return department[0]["name"]
    best = sorted(((likeness(name, p["name"]), p["name"]) for p in projects), reverse=True)
    if best and best[0][0] >= 0.5 and (len(best) == 1 or best[1][0] < best[0][0]):
        return best[0][1]
    return None


def pair(doc: dict, findings: list[dict]) -> tuple[list[tuple[dict, dict | None]], list[dict], list[dict]]:
    """One document's checks paired with its findings: [(check, finding or None)],
    the unmatched findings, the covered findings."""
    projects = doc.get("projects") or []
    keyed = [dict(f, key_project=resolve(f["project"], projects)) for f in findings]
    checks = list(doc.get("checks") or [])
    order = sorted(range(len(checks)), key=lambda i: checks[i].get("project") is None)  # project checks first
    used: set[int] = set()
    result: dict[int, dict | None] = {}
    for i in order:
        c = checks[i]
        candidates = [j for j, f in enumerate(keyed) if j not in used and f["kind"] == c.get("kind")
                      and (c.get("project") is None or f["key_project"] == c["project"])]
        if c.get("project") is None:  # a document-level check prefers a finding no project check wants
            candidates.sort(key=lambda j: keyed[j]["key_project"] is not None)
        candidates.sort(key=lambda j: keyed[j]["severity"] != c.get("severity"))
        result[i] = keyed[candidates[0]] if candidates else None
        if candidates:
            used.add(candidates[0])
    doc_kinds_found = {c["kind"] for i, c in enumerate(checks) if c.get("project") is None and result[i]}
    unmatched = [f for j, f in enumerate(keyed) if j not in used and f["kind"] not in doc_kinds_found]
    covered = [f for j, f in enumerate(keyed) if j not in used and f["kind"] in doc_kinds_found]
    return [(c, result[i]) for i, c in enumerate(checks)], unmatched, covered


@dataclass
class CheckScore:
    """Recall of a key's checks and the findings that match none."""

    found_ew: int = 0
    total_ew: int = 0
    found_info: int = 0
    total_info: int = 0
    agree: int = 0
    misses: list[tuple[str, dict]] = field(default_factory=list)
    disagreements: list[tuple[dict, dict]] = field(default_factory=list)
    unmatched: list[dict] = field(default_factory=list)
    covered: list[dict] = field(default_factory=list)
    elsewhere: int = 0

    @property
    def pct_ew(self) -> float:
        return 100.0 * self.found_ew / self.total_ew if self.total_ew else 100.0

    @property
    def pct_info(self) -> float:
        return 100.0 * self.found_info / self.total_info if self.total_info else 100.0

    def unmatched_of(self, *severities: str) -> list[dict]:
        return [f for f in self.unmatched if f["severity"] in severities]


def score_checks(documents: list[dict], findings: list[dict]) -> CheckScore:
    """Score findings (`findings_of`) against the key's documents and their checks."""
    score = CheckScore()
    files = {d["file"] for d in documents}
    by_file: dict[str, list[dict]] = {}
    for f in findings:
        by_file.setdefault(f["file"], []).append(f)
    score.elsewhere = sum(1 for f in findings if f["file"] not in files)
    for doc in documents:
        pairs, unmatched, covered = pair(doc, by_file.get(doc["file"], []))
        score.unmatched += unmatched
        score.covered += covered
        for check, found in pairs:
            if check.get("kind") in UNSCORED:
                continue
            info = check.get("severity") == "info"
            if info:
                score.total_info += 1
            else:
                score.total_ew += 1
            if found is None:
                score.misses.append((doc["file"], check))
                continue
            if info:
                score.found_info += 1
            else:
                score.found_ew += 1
            if found["severity"] == check.get("severity"):
                score.agree += 1
            else:
                score.disagreements.append((check, found))
    return score


def _describe(f: dict) -> str:
    lines = f" lines {f['lines'][0]}-{f['lines'][1]}" if f.get("lines") else ""
    return f"{f['file'][:40]} [{f['severity']}] {f['kind']} / {f['project'] or '-'}{lines}: {f['what'] or f['message_zh']}"


def format_check_report(score: CheckScore, verbose: bool = True) -> str:
    """The report compare_checks.py prints: misses, severity disagreements and covered
    findings (verbose), every unmatched error or warning finding, then the two
    summary lines."""
    out = []
    if verbose:
        out += [f"MISS {file[:40]} [{c.get('severity')}] {c.get('kind')} / {c.get('project') or '-'}: {c.get('what', '')}"
                for file, c in score.misses]
        out += [f"SEVERITY {f['file'][:40]} {c['kind']} / {c.get('project') or '-'}: key {c.get('severity')}, "
                f"finding {f['severity']}" for c, f in score.disagreements]
        out += [f"COVERED {_describe(f)}" for f in score.covered]
    out += [f"UNMATCHED {_describe(f)}" for f in score.unmatched_of("error", "warning")]
    if score.elsewhere:
        out.append(f"{score.elsewhere} findings on files the key does not have (not counted)")
    found = score.found_ew + score.found_info
    out.append(f"severity agrees on {score.agree} of {found} found checks; unmatched findings: "
               f"{len(score.unmatched_of('error'))} error, {len(score.unmatched_of('warning'))} warning, "
               f"{len(score.unmatched_of('info'))} info; {len(score.covered)} more covered by document-level checks")
    out.append(f"checks found: {score.found_ew}/{score.total_ew} error+warning ({score.pct_ew:.1f}%), "
               f"info {score.found_info}/{score.total_info}; unmatched error+warning findings: "
               f"{len(score.unmatched_of('error', 'warning'))}")
    return "\n".join(out)
