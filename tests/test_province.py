"""The province-sized test corpus (tests/province.py): a relocated copy of a seed
extracts as a report of its new region and year, and the corpus has the issue's shape."""

from __future__ import annotations

import pytest

from budgetperf.storing.extracting import extract_file
from budgetperf.understanding.records import v
from tests.province import SEED_PLACES, candidate_places, relocate, write_corpus


def test_candidate_places_are_unique_counties_and_districts():
    places = candidate_places()
    assert len(places) > 1000
    assert len({p.name for p in places}) == len(places) and len({p.stem for p in places}) == len(places)
    assert all(len(p.stem) >= 2 and p.code for p in places)
    assert not {p.name for p in places} & {p.name for p in SEED_PLACES.values()}


@pytest.mark.parametrize("seed", sorted(SEED_PLACES))
def test_a_relocated_copy_resolves_to_its_new_region_and_year(tmp_path, ref, seed):
    from tests.conftest import REPORTS_DIR

    original = extract_file(REPORTS_DIR / f"{seed}.txt", ref).facts
    new = candidate_places()[7]
    copy = tmp_path / f"{seed}.txt"
    copy.write_text(relocate((REPORTS_DIR / f"{seed}.txt").read_text(encoding="utf-8"), SEED_PLACES[seed], new, -2),
                    encoding="utf-8")
    facts = extract_file(copy, ref).facts
    assert v(facts.region) == new.name
    assert v(facts.year) == v(original.year) - 2
    assert SEED_PLACES[seed].stem not in copy.read_text(encoding="utf-8")
    assert len(facts.projects) == len(original.projects)


def test_the_corpus_is_400_reports_over_about_250_regions(tmp_path):
    files = write_corpus(tmp_path, copies=100)
    assert len(files) == 404
    copies = [f for f in files if f.name.startswith("c")]
    assert {f.name.split("_", 1)[1] for f in copies} == {f"{s}.txt" for s in SEED_PLACES}
    regions = {line for f in copies if f.name.endswith("001_4f47e40a9e3722bd.txt")
               for line in [f.read_text(encoding="utf-8").splitlines()[0]]}
    assert len(regions) == 100  # every copy of a seed names another place
