"""The synthetic corpus: deterministic, marked as synthetic, every level of region,
realistic distributions, planted inconsistencies, and a truth the extractor can be
scored against."""

from __future__ import annotations

import json
import random
import statistics

import pytest

from budgetperf.reading import read_document
from budgetperf.synth import MARKER, SYNTH_FILE_PREFIX
from budgetperf.synth.corpus import write_corpus
from budgetperf.synth.model import (
    document_to_key,
    eligible_regions,
    key_level,
    make_document,
    pick_regions,
    plan_documents,
    region_category,
)
from tests.conftest import REPORTS_DIR


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, ref):
    out = tmp_path_factory.mktemp("synth")
    summary = write_corpus(out, regions=6, years=(2023, 2024), seed=3, ref=ref, workers=1)
    return out, summary


def test_same_seed_same_bytes(corpus, tmp_path, ref):
    out, _ = corpus
    again = tmp_path / "again"
    write_corpus(again, regions=6, years=(2023, 2024), seed=3, ref=ref, workers=2)
    first = {p.name: p.read_bytes() for p in (out / "reports").iterdir()}
    second = {p.name: p.read_bytes() for p in (again / "reports").iterdir()}
    assert first == second
    assert (out / "truth.json").read_text(encoding="utf-8") == (again / "truth.json").read_text(encoding="utf-8")


def test_every_file_is_marked_synthetic(corpus):
    out, summary = corpus
    files = sorted((out / "reports").iterdir())
    assert len(files) == summary.documents and "txt" in summary.by_format and len(summary.by_format) >= 3
    for path in files:
        assert path.name.startswith(SYNTH_FILE_PREFIX)
        assert any(MARKER in line for line in read_document(path).lines), path.name
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    assert truth["synthetic"] and "合成" in truth["about"]
    assert {d["file"] for d in truth["documents"]} == {p.name for p in files}
    assert all(d["synthetic"] for d in truth["documents"])


def test_truth_has_the_answer_key_shape(corpus):
    out, _ = corpus
    key = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    core = {"file", "region", "region_level", "city", "province", "unit", "year", "year_is_explicit", "doc_kinds"}
    seed_key = json.loads((REPORTS_DIR.parent.parent / "tests" / "seed_facts.json").read_text(encoding="utf-8"))
    assert core <= set(seed_key["documents"][0])  # the fields the seeds' key has too
    for doc in key["documents"]:
        assert core | {"projects"} <= set(doc), core - set(doc)
        for p in doc["projects"]:
            assert {"name", "kind", "budget_initial", "executed", "total_score", "grade", "indicators"} <= set(p)
            for i in p["indicators"]:
                assert set(i) == {"level1", "level2", "name", "target", "actual", "weight", "score"}


def test_refuses_the_reports_folder_and_foreign_files(tmp_path, ref, monkeypatch):
    from budgetperf.synth.corpus import _check_out

    # the repository's data/reports, whatever the setting says (checked without writing)
    for folder in (REPORTS_DIR, REPORTS_DIR / "sub", REPORTS_DIR.parent):
        with pytest.raises(ValueError, match="reports folder"):
            _check_out(folder)
    configured = tmp_path / "configured_reports"
    monkeypatch.setenv("BUDGETPERF_REPORTS_DIR", str(configured))
    with pytest.raises(ValueError, match="reports folder"):
        write_corpus(configured, regions=1, years=(2024, 2024), seed=1, ref=ref)
    assert not configured.exists()
    other = tmp_path / "other"
    (other / "reports").mkdir(parents=True)
    (other / "reports" / "real.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="not synthetic"):
        write_corpus(other, regions=1, years=(2024, 2024), seed=1, ref=ref)
    with pytest.raises(ValueError):
        write_corpus(tmp_path / "b", regions=1, years=(2025, 2024), seed=1, ref=ref)


def test_regions_of_every_level_across_provinces(ref):
    picked = pick_regions(ref, 24, random.Random(5))
    assert len(picked) == 24 and len({r.name for r in picked}) == 24
    assert {region_category(r) for r in picked} == {"county", "district", "county_city", "prefecture",
                                                    "zhou_meng", "province_direct"}
    assert len({r.province for r in picked}) >= 3
    small = pick_regions(ref, 3, random.Random(5))
    assert len({r.province for r in small}) == 3
    # the answer key's conventions for levels
    by_cat = {region_category(r): r for r in picked}
    assert key_level(by_cat["county_city"]) == ("county", by_cat["county_city"].city)
    assert key_level(by_cat["province_direct"]) == ("county", None)
    assert key_level(by_cat["zhou_meng"])[0] == "city"
    # names resolve one way: unique in the table, no other region's name inside
    pool = eligible_regions(ref)
    assert all(len(ref.by_name[r.name]) == 1 for rs in pool.values() for r in rs)


def test_figures_look_like_self_evaluations(ref):
    plan = plan_documents(ref, regions=30, years=(2019, 2025), seed=11)
    assert {p.fmt for p in plan} == {"txt", "docx", "xlsx", "pdf"}
    docs = [make_document(p, 11) for p in plan]
    evaluated = [p for d in docs for p in d.projects if p.kind == "evaluation"]
    totals = [p.total_score for p in evaluated if p.total_score is not None]
    rates = [p.execution_rate for p in evaluated if p.execution_rate is not None]
    assert statistics.median(totals) >= 88  # clustered high
    assert sum(85 <= r <= 100 for r in rates) / len(rates) > 0.7  # mostly 85-100%
    assert any(r < 70 for r in rates)  # with a tail
    assert sum(p.executed is None for p in evaluated) > 0  # execution not disclosed
    indicators = [i for p in evaluated for i in p.indicators]
    assert 0.1 < sum(i.is_qualitative for i in indicators) / len(indicators) < 0.5
    planted = {k for d in docs for k in d.planted}
    assert {"total_vs_parts", "cost_cap_over_budget", "year_inferred", "execution_missing"} <= planted
    assert any(d.layout["amount_unit"] == "元" for d in docs)
    assert {d.layout["budget_header"] for d in docs} == {"全年预算数", "调整后预算数", "调整预算数"}
    inferred = [d for d in docs if not d.year_is_explicit]
    assert inferred and all(document_to_key(d)["year_is_explicit"] is False for d in inferred)


def test_extraction_scores_against_the_truth(corpus):
    from budgetperf.bench.scoring import documents_of, score_documents
    from budgetperf.storing.extracting import extract_to_dicts
    from budgetperf.storing.reference import load_reference

    out, _ = corpus
    key = documents_of(json.loads((out / "truth.json").read_text(encoding="utf-8")))
    documents, failures = extract_to_dicts(sorted(str(p) for p in (out / "reports").iterdir()), load_reference())
    assert not failures  # every synthetic report is accepted as a report
    score = score_documents(key, documents_of(documents))
    # A floor, not the figure: `python -m budgetperf bench` reports the accuracy and its misses.
    assert score.pct >= 90, score.pct
