"""Repeated content: a report pasted many times is one report, flagged for review."""

from __future__ import annotations

import pytest

from budgetperf.storing.extracting import extract_file
from tests.conftest import FIXTURES_DIR, REPORTS_DIR


def pasted(tmp_path, source, times: int):
    path = tmp_path / f"pasted_{times}.txt"
    path.write_text("\n".join([source.read_text(encoding="utf-8")] * times), encoding="utf-8")
    return path


@pytest.mark.parametrize("source, projects", [
    (REPORTS_DIR / "000_c45d5bc83af97699.txt", 4),  # a department report with four projects
    (REPORTS_DIR / "003_5e5af2f25a3e5b2d.txt", 2),  # two target tables
    (FIXTURES_DIR / "pipe_table.txt", 1),
])
def test_exact_repeats_collapse_to_the_first_and_are_flagged(tmp_path, ref, source, projects):
    single = extract_file(source, ref)
    many = extract_file(pasted(tmp_path, source, 40), ref)
    assert len(single.facts.projects) == projects
    assert len(many.facts.projects) == projects  # not 40×
    first = many.facts.projects[0]
    assert first.prov.line_start == single.facts.projects[0].prov.line_start  # provenance of the first copy
    codes = [r.code for r in many.facts.review_reasons]
    assert codes.count("repeated_content") == 1
    assert "repeated_content" not in [r.code for r in single.facts.review_reasons]


def test_text_pasted_over_and_over_is_flagged_even_without_extra_projects(tmp_path, ref):
    many = extract_file(pasted(tmp_path, REPORTS_DIR / "001_4f47e40a9e3722bd.txt", 30), ref)
    (reason,) = [r for r in many.facts.review_reasons if r.code == "repeated_content"]
    assert "与前文重复" in reason.message_zh


def test_projects_that_differ_in_any_value_are_both_kept():
    from budgetperf.reading.blocks import SourceDocument
    from budgetperf.understanding.records import (
        DocumentFacts,
        Project,
        Provenance,
        Value,
    )
    from budgetperf.understanding.repeats import collapse_repeats

    def project(score, line):
        prov = Provenance("f.txt", line, line)
        return Project("项目甲", "evaluation", prov, total_score=Value(score, prov))

    facts = DocumentFacts("f.txt", "txt", projects=[project(90, 1), project(90, 10), project(91, 20)])
    assert collapse_repeats(SourceDocument("f.txt", "txt", ["x"] * 30), facts) == 1
    assert [(v.total_score.value, v.prov.line_start) for v in facts.projects] == [(90, 1), (91, 20)]
    assert [r.code for r in facts.review_reasons] == ["repeated_content"]


@pytest.mark.parametrize("path", sorted(REPORTS_DIR.glob("*.txt")), ids=lambda p: p.name)
def test_seed_reports_are_not_flagged(ref, path):
    assert "repeated_content" not in [r.code for r in extract_file(path, ref).facts.review_reasons]
