"""Reports the parsers have never seen (other regions, years, departments, encodings
and table shapes), written for these tests. Each `<name>.expected.json` beside a
fixture lists what extraction must yield; fields not listed are not compared."""

import json

import pytest

from budgetperf.storing.extracting import extract_file
from budgetperf.understanding.extract import document_to_dict
from tests.conftest import FIXTURES_DIR

CASES = sorted(FIXTURES_DIR.glob("*.expected.json"))


def _subset_differences(expected, actual, path=""):
    if isinstance(expected, dict):
        out = []
        for key, value in expected.items():
            if not isinstance(actual, dict) or key not in actual:
                out.append(f"{path}.{key}: missing")
            else:
                out.extend(_subset_differences(value, actual[key], f"{path}.{key}"))
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(expected) != len(actual):
            return [f"{path}: expected {len(expected)} items, got {actual!r}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in _subset_differences(e, a, f"{path}[{i}]")]
    return [] if expected == actual else [f"{path}: expected {expected!r}, got {actual!r}"]


@pytest.mark.parametrize("expected_path", CASES, ids=lambda p: p.name.split(".")[0])
def test_unseen_report_extracts_as_expected(ref, expected_path):
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    source = FIXTURES_DIR / expected["file"]
    actual = document_to_dict(extract_file(source, ref))
    assert _subset_differences(expected, actual) == []


def test_there_are_unseen_reports():
    assert len(CASES) >= 6
