"""The generality harness in CI: a sample of the keys' projects rendered through
every layout, each layout above its floor (the floors only go up; `make accuracy`
prints the whole matrix)."""

from __future__ import annotations

from budgetperf.bench import generality
from budgetperf.synth.layouts import LAYOUTS, MANY_LAYOUTS, TARGET_LAYOUTS
from tests.conftest import ROOT

KEYS = [ROOT / "tests" / "seed_facts.json", ROOT / "tests" / "fixtures" / "devset" / "expected.json"]
LAYOUT_FLOOR_PCT = 97.0
# A PDF text layer's word stream has lost the grid: in a row with no points whose
# one measure could be the target or the actual, the reading is a guess (said as a
# review reason). The whole matrix reads it at 97.7%; this sample of eight at 97.0%.
LAYOUT_FLOORS = {"word_stream": 96.5}
SILENT_CEILING_PCT = 1.0


def test_every_layout_is_above_its_floor_on_a_sample_of_the_keys():
    cells = generality.run(KEYS, limit=8)
    assert {c.layout for c in cells} == {*LAYOUTS, *TARGET_LAYOUTS, *MANY_LAYOUTS}
    report = generality.format_matrix(cells)
    for layout, (ok, n, silent) in generality.by_layout(cells).items():
        assert 100 * ok / n >= LAYOUT_FLOORS.get(layout, LAYOUT_FLOOR_PCT), report
        assert 100 * silent / n <= SILENT_CEILING_PCT, report


def test_the_facts_of_the_keys_are_usable():
    from budgetperf.bench.scoring import documents_of
    import json

    docs = []
    for key in KEYS:
        docs += documents_of(json.loads(key.read_text(encoding="utf-8")))
    facts = generality.facts_from_key(docs)
    assert len(facts) >= 20 and all(len(f.project.indicators) >= 2 for f in facts)
