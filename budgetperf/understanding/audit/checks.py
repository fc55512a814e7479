"""The audit's vocabulary and its one result type.

`KINDS` is the repository's copy of the shared vocabulary of check kinds (the
answer keys' `check_kinds.json`): each kind has exactly one severity. A finding is
made with `finding(kind, …)`, which takes the severity from `KINDS`, so a rule
cannot print a kind under another severity. What each kind means, in Chinese for
reviewers, lives in `understanding.findings`.

Severities: error 错误 (the report's own arithmetic or banding fails, certain from the
report alone), warning 警告 (a figure is probably wrong, missing or unsupported, or a
result a reviewer must look at), info 提示 (a quality remark that changes no figure).

Pure data and small helpers, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from budgetperf.understanding.records import Provenance

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}

KINDS: dict[str, str] = {
    # error: the report's own sums, ratios or bands fail
    "total_vs_parts": "error",
    "weights_sum": "error",
    "execution_rate_mismatch": "error",
    "grade_vs_score": "error",
    "amounts_vs_total": "error",
    # warning: probably wrong, missing or unsupported; or a result to look at
    "execution_score": "warning",
    "actual_below_target": "warning",
    "score_vs_rule": "warning",
    "satisfaction_vs_score": "warning",
    "claim_unsupported": "warning",
    "outputs_vs_spending": "warning",
    "actual_restates_target": "warning",
    "narrative_vs_table": "warning",
    "unit_or_measure_wrong": "warning",
    "cost_cap_over_budget": "warning",
    "projects_vs_department": "warning",
    "expenses_vs_budget": "warning",
    "budget_cut": "warning",
    "low_execution": "warning",
    "execution_missing": "warning",
    "reason_missing": "warning",
    "score_unsupported": "warning",
    "period_mismatch": "warning",
    "year_inferred": "warning",
    "year_missing": "warning",
    "region_unresolved": "warning",
    # info: remarks that change no figure
    "qualitative_targets": "info",
    "target_missed": "info",
    "points_deducted": "info",
    "target_underset": "info",
    "indicator_design": "info",
    "units_and_comparators": "info",
    "rounding": "info",
    "scoring_incomplete": "info",
    "form_irregular": "info",
    "name_mismatch": "info",
    "copied_text": "info",
    "unit_roles": "info",
    "execution_remark": "info",
    # not a problem: a note on how to read a figure; the audit never raises it
    "reading_note": "info",
}


@dataclass(frozen=True)
class Check:
    """One finding: its kind and severity, a Chinese message for reviewers, an English
    `what` for logs and the CLI, the project it concerns (None for the whole
    document) and the source lines a reader checks."""

    kind: str
    severity: str
    message_zh: str
    what: str
    project: str | None = None
    provenance: tuple[Provenance, ...] = field(default_factory=tuple)

    @property
    def severity_zh(self) -> str:
        return SEVERITY_ZH[self.severity]

    def to_dict(self) -> dict:
        return {
            "kind": self.kind, "severity": self.severity, "what": self.what, "message_zh": self.message_zh,
            "project": self.project, "lines": [[p.line_start, p.line_end] for p in self.provenance],
        }


def finding(kind: str, message_zh: str, what: str, project: str | None = None, provenance=()) -> Check:
    """A finding of `kind`, with the kind's severity; `provenance` is anything
    `provenances` accepts."""
    return Check(kind, KINDS[kind], message_zh, what, project, provenances(*provenance))


def provenances(*items) -> tuple[Provenance, ...]:
    """The distinct provenances of values, rows or provenances, in order; None and
    items without one are skipped. A dict keeps the order and makes this linear in
    the number of items (a list search here made a 2 MB table take minutes)."""
    seen: dict[Provenance, None] = {}
    for item in items:
        prov = item if isinstance(item, Provenance) else getattr(item, "prov", None)
        if isinstance(prov, Provenance):
            seen[prov] = None
    return tuple(seen)


def fmt(x) -> str:
    """A number as a reader writes it (no trailing zeros), anything else as text."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    text = f"{x:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
