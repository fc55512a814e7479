"""Accuracy against a synthetic corpus's truth: fields (the answer-key scorer's rules,
`bench.scoring`) and the planted inconsistencies the audit should find."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import duckdb

from budgetperf.bench.scoring import documents_of, score_documents
from budgetperf.storing.extracting import extract_to_dicts
from budgetperf.storing.reference import load_reference


def score_corpus(reports: Path, truth: Path, limit_misses: int = 12) -> dict:
    """Extract every report (in this process) and score it against `truth`."""
    key = documents_of(json.loads(truth.read_text(encoding="utf-8")))
    documents, failures = extract_to_dicts(sorted(str(p) for p in reports.iterdir()), load_reference())
    score = score_documents(key, documents_of(documents))
    by_kind = {k: {"correct": ok, "total": n, "pct": round(100 * ok / max(n, 1), 1)}
               for k, (ok, n) in sorted(score.by("kind").items())}
    # Misses grouped by what was missed (field, without the document and project).
    patterns = Counter()
    for miss in score.misses():
        field = miss.where.split(".")[-1]
        patterns[f"{miss.kind}: {field}"] += 1
    return {
        "documents": len(key), "refused": len(failures), "fields_correct": score.correct, "fields": score.total,
        "pct": round(score.pct, 2), "by_kind": by_kind, "top_misses": patterns.most_common(limit_misses),
        "example_misses": [f"{m.where}: expected {m.expected!r}, got {m.actual!r}" for m in score.misses()[:limit_misses]],
    }


def planted_recall(db: Path, truth: Path) -> dict:
    """Per kind: inconsistencies planted in the corpus, how many the stored audit found
    in the same file, and how many files it flagged with that kind without a plant."""
    key = json.loads(truth.read_text(encoding="utf-8"))["documents"]
    planted = {(d["file"], c["kind"]) for d in key for c in d.get("checks", [])}
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = set(con.execute("select distinct d.file, c.kind from checks c join documents d using (doc_id)").fetchall())
    finally:
        con.close()
    files = {d["file"] for d in key}
    found = {(f, k) for f, k in found if f in files}
    kinds = sorted({k for _, k in planted} | {k for _, k in found})
    out = {}
    for kind in kinds:
        p = {f for f, k in planted if k == kind}
        got = {f for f, k in found if k == kind}
        out[kind] = {"planted": len(p), "found": len(p & got), "flagged_unplanted": len(got - p)}
    return out
