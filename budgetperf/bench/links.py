"""Programme links across years (地区对比's same-project comparison) against the truth
of a synthetic corpus whose programmes continue, end, start and get renamed
(`synth.programmes`): precision and recall of the links the store would hold.

The corpus is extracted the way a build extracts it (`storing.extracting`, worker
processes) and linked the way a build links it (`storing.linking.link_rows`, one
region at a time); a link counts when its file, project name, earlier name and
earlier year are the truth's. Targets (issue 18): precision ≥ 99%, recall ≥ 90%.

    python -m budgetperf bench --links        # make links-accuracy: this measurement alone
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from budgetperf.bench.stores import Tier, ensure_corpus
from budgetperf.storing.arrow import table_schemas
from budgetperf.storing.extracting import extract_rows, worker_pool
from budgetperf.storing.linking import LinkInput, link_rows
from budgetperf.storing.reference import load_reference
from budgetperf.storing.schema import create_schema

TARGET_PRECISION_PCT = 99.0
TARGET_RECALL_PCT = 90.0

# The measurement's corpus: 60 regions (the trial), three units each, seven years.
LINKS = Tier("links", "links (60 regions, 2019-2025)", regions=60)


@dataclass
class LinkScore:
    """Links found against links in the truth, each (file, this, earlier, earlier year)."""

    truth: set[tuple] = field(default_factory=set)
    found: set[tuple] = field(default_factory=set)
    documents: int = 0
    seconds: float = 0.0  # extraction and linking
    link_seconds: float = 0.0  # linking alone (what a build adds)

    @property
    def correct(self) -> set[tuple]:
        return self.truth & self.found

    @property
    def precision_pct(self) -> float:
        return 100.0 * len(self.correct) / len(self.found) if self.found else 100.0

    @property
    def recall_pct(self) -> float:
        return 100.0 * len(self.correct) / len(self.truth) if self.truth else 100.0

    def as_dict(self, examples: int = 10) -> dict:
        return {"documents": self.documents, "truth": len(self.truth), "found": len(self.found),
                "correct": len(self.correct), "precision_pct": round(self.precision_pct, 2),
                "recall_pct": round(self.recall_pct, 2), "seconds": round(self.seconds, 1),
                "link_seconds": round(self.link_seconds, 2),
                "false_links": [list(x) for x in sorted(self.found - self.truth)[:examples]],
                "missed_links": [list(x) for x in sorted(self.truth - self.found)[:examples]]}


def truth_links(truth: Path) -> set[tuple]:
    key = json.loads(truth.read_text(encoding="utf-8"))
    return {(d["file"], link["this"], link["earlier"], link["earlier_year"])
            for d in key["documents"] for link in d.get("same_program_as") or []}


def link_inputs(reports: Path, workers: int | None = None) -> list[LinkInput]:
    """What linking takes of every report, extracted as a build extracts it."""
    ref = load_reference()
    con = duckdb.connect()
    create_schema(con)
    schemas = table_schemas(con)
    con.close()
    paths = sorted(reports.iterdir())
    with worker_pool(len(paths), ref, schemas, workers) as pool:
        return [o.link for chunk in extract_rows(paths, ref, schemas, pool) for o in chunk.outcomes if o.link]


def found_links(inputs: list[LinkInput]) -> set[tuple]:
    """The links `link_rows` stores, as (file, this, earlier, earlier year)."""
    names = {f"{li.doc_id}:{seq}": name for li in inputs for seq, name, *_ in li.projects}
    files = {li.doc_id: li.file for li in inputs}
    rows = link_rows(sorted(inputs, key=lambda li: li.file))
    return {(files[doc_id], names[this], names[earlier], year) for doc_id, this, earlier, year, _ in rows}


def score_links(reports: Path, truth: Path, workers: int | None = None) -> LinkScore:
    """Extract and link every report of a synthetic corpus; score against its truth."""
    start = time.time()
    inputs = link_inputs(reports, workers)
    linked = time.time()
    score = LinkScore(truth_links(truth), found_links(inputs), len(inputs))
    score.link_seconds = time.time() - linked
    score.seconds = time.time() - start
    return score


def format_score(score: dict) -> str:
    met = score["precision_pct"] >= TARGET_PRECISION_PCT and score["recall_pct"] >= TARGET_RECALL_PCT
    lines = [f"programme links: {score['correct']}/{score['found']} found are right (precision "
             f"{score['precision_pct']}%), {score['correct']}/{score['truth']} of the truth found (recall "
             f"{score['recall_pct']}%); {score['documents']} documents, {score['seconds']} s "
             f"(linking {score.get('link_seconds', 0)} s); targets "
             f"precision ≥ {TARGET_PRECISION_PCT:g}%, recall ≥ {TARGET_RECALL_PCT:g}%: {'met' if met else 'MISSED'}"]
    for title, rows in (("false links", score["false_links"]), ("missed links", score["missed_links"])):
        if rows:
            lines.append(f"  {title} (first {len(rows)}):")
            lines += [f"    {f}: {this} ← {earlier} ({year})" for f, this, earlier, year in rows]
    return "\n".join(lines)
