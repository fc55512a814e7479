"""Accuracy of extraction against the answer keys: the seeds exactly, the devset above a floor.

The devset (tests/fixtures/devset) is 38 reports written from real public reports of
other provinces, departments and formats; its key is in the seeds' key format. The
floor only goes up: raise it when extraction improves, never lower it to pass.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from budgetperf.bench.scoring import (
    Check,
    Score,
    documents_of,
    format_report,
    same,
    score_documents,
)
from budgetperf.reading import ReadError
from budgetperf.storing.extracting import extract_file
from budgetperf.understanding.extract import document_to_dict
from budgetperf.understanding.linking import link_programs

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "tests" / "fixtures" / "devset"
DEVSET_FLOOR_PCT = 99.5
# Wrong values with no review reason on their document or project (what a user would
# trust): the ceiling only goes down. The 7 left are two reports writing a level
# without 指标 (产出) where their key keeps it as written; we add 指标 as the other keys do.
DEVSET_SILENT_CEILING = 7


def _extract_all(paths, ref) -> tuple[list[dict], list[str]]:
    extractions, refused = [], []
    for path in paths:
        try:
            extractions.append(extract_file(path, ref))
        except ReadError:
            refused.append(path.name)
    link_programs(extractions)
    return [document_to_dict(ex) for ex in extractions], refused


def test_seeds_are_exact(ref):
    key = documents_of(json.loads((ROOT / "tests" / "seed_facts.json").read_text(encoding="utf-8")))
    docs, refused = _extract_all([ROOT / "data" / "reports" / d["file"] for d in key], ref)
    score = score_documents(key, documents_of(docs))
    assert refused == []
    assert [c.where for c in score.misses()] == []
    assert score.total == 424


def test_devset_is_above_the_floor_and_nothing_is_refused(ref):
    key = documents_of(json.loads((DEVSET / "expected.json").read_text(encoding="utf-8")))
    docs, refused = _extract_all([DEVSET / d["file"] for d in key], ref)
    score = score_documents(key, documents_of(docs))
    print(format_report(score, verbose=False))
    assert refused == []
    assert score.pct >= DEVSET_FLOOR_PCT, format_report(score)
    assert score.silent <= DEVSET_SILENT_CEILING, format_report(score)


# --- the scorer's own rules ------------------------------------------------

@pytest.mark.parametrize("expected, actual, kind, ok", [
    (None, None, "text", True),
    (None, "", "text", True),
    (None, "优", "text", False),  # a value where the report says nothing is a miss
    (12.5, "12.5万元", "num", True),
    (12.5, 12.504, "num", True),
    (12.5, 12.51, "num", False),
    ("≥200人", "≥ 200人", "measure", True),
    ("≥200人", ">=200人", "measure", True),
    ("95%", "95", "measure", True),  # the unit sat in its own column
    ("95", "95%", "measure", True),
    ("产出指标", "产出指标（50分）", "name", False),
    ("网信乐亭项目", "网信乐亭", "name", True),
    ("指标1：阅读量", "阅读量", "name", True),
])
def test_same(expected, actual, kind, ok):
    assert same(expected, actual, kind) is ok


def test_a_refused_document_scores_nothing():
    key = documents_of([{"file": "a.txt", "unit": "某局", "year": 2023, "year_is_explicit": True,
                         "region": None, "projects": [{"name": "甲", "grade": None}]}])
    score = score_documents(key, [])
    assert score.correct == 0 and score.total > 5


def test_one_budget_in_either_field_and_unit_abbreviation():
    key = documents_of([{"file": "a.txt", "unit": "某市医疗保障局", "year": 2023, "year_is_explicit": True,
                         "projects": [{"name": "甲", "budget_adjusted": 10}]}])
    actual = documents_of([{"file": "a.txt", "unit": "某市医保局", "year": 2023, "year_is_explicit": True,
                            "projects": [{"name": "甲", "budget_initial": 10}]}])
    score = score_documents(key, actual)
    assert {c.where for c in score.misses()} == set()


def test_report_lists_documents_kinds_and_misses():
    score = Score([Check("a.txt", "unit", "a.unit", "甲", "乙", False), Check("a.txt", "year", "a.year", 1, 1, True)])
    text = format_report(score)
    assert "a.txt" in text and "unit" in text and "MISS a.unit" in text
    assert text.splitlines()[-1] == "fields correct: 1/2 (50.0%)"
