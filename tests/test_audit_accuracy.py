"""Accuracy of the audit against the answer keys' checks, beside the extraction one
(tests/test_accuracy.py): a store is built from the seeds and one from the devset,
their findings are read the way `budgetperf check --json` reads them, and paired with
the keys' checks by the scorer's rules (budgetperf/bench/checks.py).

Floors only go up: raise them when the audit improves, never lower them to pass. The
devset is whatever tests/fixtures/devset/expected.json lists; a key written before the
check-kind vocabulary cannot be scored and is skipped with a note.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from budgetperf.bench.checks import findings_of, format_check_report, score_checks
from budgetperf.bench.scoring import documents_of
from budgetperf.storing.building import build_store
from budgetperf.storing.store import connect, run_query
from budgetperf.understanding.audit import KINDS

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "tests" / "fixtures" / "devset"

# error+warning checks found, in percent; info checks found, in percent
DEVSET_FLOOR_PCT = 95.0
DEVSET_INFO_FLOOR_PCT = 80.0
# error or warning findings that match no check (each a false alarm or a problem the key misses)
DEVSET_MAX_UNMATCHED_WARNINGS = 3


def _findings_of_store(documents: list[dict], folder: Path, tmp: Path, ref) -> list[dict]:
    reports = tmp / "reports"
    reports.mkdir()
    for doc in documents:
        shutil.copy(folder / doc["file"], reports / doc["file"])
    db = tmp / "audit.duckdb"
    build_store(reports, db, ref)
    with connect(db) as con:
        rows = run_query("audit/findings", con=con)
    return findings_of(json.loads(rows.to_json(orient="records", force_ascii=False)))


def _key(path: Path) -> list[dict]:
    return documents_of(json.loads(path.read_text(encoding="utf-8")))


def test_seeds_every_check_found_and_nothing_unmatched(tmp_path, ref):
    key = _key(ROOT / "tests" / "seed_facts.json")
    score = score_checks(key, _findings_of_store(key, ROOT / "data" / "reports", tmp_path, ref))
    print(format_check_report(score, verbose=False))
    assert score.total_ew == 9 and score.found_ew == score.total_ew, format_check_report(score)
    assert score.found_info == score.total_info
    assert score.unmatched_of("error", "warning") == [], format_check_report(score)


def test_devset_above_the_floor_and_no_unmatched_error(tmp_path, ref):
    key = _key(DEVSET / "expected.json")
    unknown = {c.get("kind") for d in key for c in d.get("checks") or []} - set(KINDS)
    if unknown:
        pytest.skip(f"the devset key predates the check-kind vocabulary ({', '.join(sorted(map(str, unknown))[:5])} …)")
    score = score_checks(key, _findings_of_store(key, DEVSET, tmp_path, ref))
    report = format_check_report(score)
    print(report)
    assert score.pct_ew >= DEVSET_FLOOR_PCT, report
    assert score.pct_info >= DEVSET_INFO_FLOOR_PCT, report
    assert score.unmatched_of("error") == [], report
    assert len(score.unmatched_of("warning")) <= DEVSET_MAX_UNMATCHED_WARNINGS, report
    assert score.agree == score.found_ew + score.found_info, report  # every found check at its kind's severity


# --- the scorer's own rules ------------------------------------------------

KEY = [{"file": "a.txt", "projects": [{"name": "部门整体支出", "kind": "department"}, {"name": "网信乐亭项目"}],
        "checks": [{"kind": "total_vs_parts", "severity": "error", "project": "网信乐亭项目"},
                   {"kind": "year_inferred", "severity": "warning", "project": None},
                   {"kind": "rounding", "severity": "info", "project": "部门整体支出"},
                   {"kind": "reading_note", "severity": "info", "project": None}]}]


def _finding(kind, severity, project=None, file="a.txt"):
    return {"file": f"/x/{file}", "kind": kind, "severity": severity, "project_name": project, "what": kind}


def test_checks_pair_by_file_kind_and_project_name_normalized():
    findings = findings_of([_finding("total_vs_parts", "error", "网信乐亭"),  # 项目 dropped by normalization
                            _finding("year_inferred", "warning", "网信乐亭"),  # a document check takes any project
                            _finding("rounding", "info", "部门整体支出（本级）")])  # the department by its word
    score = score_checks(KEY, findings)
    assert (score.found_ew, score.total_ew, score.found_info, score.total_info) == (2, 2, 1, 1)
    assert score.unmatched == [] and score.agree == 3


def test_unmatched_covered_and_elsewhere_findings_are_told_apart():
    findings = findings_of([_finding("year_inferred", "warning"), _finding("year_inferred", "warning", "网信乐亭"),
                            _finding("low_execution", "warning", "网信乐亭"), _finding("low_execution", "warning", file="b.txt")])
    score = score_checks(KEY, findings)
    assert [f["kind"] for f in score.covered] == ["year_inferred"]
    assert [f["kind"] for f in score.unmatched] == ["low_execution"] and score.elsewhere == 1
    lines = format_check_report(score).splitlines()
    assert lines[-1] == "checks found: 1/2 error+warning (50.0%), info 0/1; unmatched error+warning findings: 1"
    assert lines[-2].startswith("severity agrees on 1 of 1 found checks; unmatched findings: 0 error, 1 warning, 0 info")


def test_a_finding_of_another_severity_still_finds_the_check_but_disagrees():
    score = score_checks(KEY, findings_of([_finding("total_vs_parts", "warning", "网信乐亭项目")]))
    assert score.found_ew == 1 and score.agree == 0 and len(score.disagreements) == 1
