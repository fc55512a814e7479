"""The generality harness: the facts of every answer key we have (the seeds and the
devset), rendered through every layout `synth.layouts` writes, extracted, and
scored field by field against what each rendering wrote (`bench.scoring`).

A fix counts when it holds for the same facts in every layout, not for one file:
the matrix (facts × layouts) shows where a layout loses fields, and its worst
cells name the project and layout to look at. `make accuracy` prints it whole;
CI runs a sample (`tests/test_generality.py`) with a floor per layout.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from budgetperf.bench.scoring import Score, documents_of, score_documents
from budgetperf.storing.extracting import extract_to_dicts
from budgetperf.storing.reference import load_reference
from budgetperf.synth.layouts import (
    LAYOUTS,
    MANY_LAYOUTS,
    TARGET_LAYOUTS,
    Facts,
    ManyFacts,
    many_truth,
    rendered_truth,
    target_truth,
)
from budgetperf.synth.model import SynthIndicator, SynthProject


def facts_from_key(key_docs: list[dict]) -> list[Facts]:
    """One `Facts` per project of the keys that has an indicator table (two rows or
    more, unique names, levels either all written or none), with its money, total
    and grade as the key states them."""
    out = []
    for doc in key_docs:
        if not doc.get("unit") or not doc.get("year"):
            continue
        for p in doc.get("projects") or []:
            rows = p.get("indicators") or []
            names = [i.get("name") for i in rows]
            if len(rows) < 2 or len(set(names)) != len(names) or not all(names):
                continue
            if any(i.get("level1") is None for i in rows) and any(i.get("level1") for i in rows):
                continue  # a first level left to inference: a convention, not a layout's matter
            grade = p.get("grade")
            project = SynthProject(
                name=p["name"], kind="department" if p.get("kind") == "department" else "evaluation",
                budget_initial=p.get("budget_initial"), budget_adjusted=p.get("budget_adjusted"),
                executed=p.get("executed"), execution_rate=p.get("execution_rate"),
                budget_weight=p.get("budget_weight"), budget_score=p.get("budget_score"),
                total_score=p.get("total_score"), grade=grade,
                grade_as_written=p.get("grade_as_written") or grade,
                indicators=[SynthIndicator(i.get("level1") or "", i.get("level2") or "", i["name"],
                                           _text(i.get("target")), _text(i.get("actual")) or None,
                                           i.get("weight"), i.get("score")) for i in rows])
            if project.name == "部门整体支出":
                continue  # a department's table has its own form, not the project form
            out.append(Facts(doc["unit"], int(doc["year"]), project, doc.get("region") or ""))
    return out


def _text(value) -> str:
    return "" if value is None else str(value)


@dataclass
class Cell:
    """One rendering: which facts, which layout, how it scored."""

    facts: int
    project: str
    layout: str
    score: Score


def many_from_facts(all_facts: list[Facts], size: int = 8) -> list[ManyFacts]:
    """The keys' projects in lists of `size` (a unit's many projects), distinct names."""
    out, seen = [], set()
    group: list = []
    for facts in all_facts:
        if facts.project.name in seen or _budget_of(facts.project) is None:
            continue
        seen.add(facts.project.name)
        group.append(facts.project)
        if len(group) == size:
            out.append(ManyFacts(all_facts[0].unit, all_facts[0].year, group))
            group = []
    return out


def _budget_of(p: SynthProject) -> float | None:
    return p.budget_adjusted if p.budget_adjusted is not None else p.budget_initial


def run(key_paths: list[Path], layouts: list[str] | None = None, limit: int | None = None) -> list[Cell]:
    """Render, extract and score every (facts, layout) pair, and the lists of many
    projects through the many-project layouts."""
    key_docs = []
    for path in key_paths:
        key_docs += documents_of(json.loads(Path(path).read_text(encoding="utf-8")))
    all_facts = facts_from_key(key_docs)
    chosen = all_facts[:limit]
    layouts = layouts or [*LAYOUTS, *TARGET_LAYOUTS, *MANY_LAYOUTS]
    ref = load_reference()
    cells = []
    with tempfile.TemporaryDirectory(prefix="budgetperf-generality-") as folder:
        jobs = []
        for k, facts in enumerate(chosen):
            for layout in [name for name in layouts if name in LAYOUTS]:
                suffix, render = LAYOUTS[layout]
                path = Path(folder) / f"{k:03d}_{layout}{suffix}"
                path.write_bytes(render(facts))
                jobs.append((k, facts.project.name, layout, path, rendered_truth(facts, path.name)))
            for layout in [name for name in layouts if name in TARGET_LAYOUTS]:
                suffix, render = TARGET_LAYOUTS[layout]
                path = Path(folder) / f"{k:03d}_{layout}{suffix}"
                path.write_bytes(render(facts))
                jobs.append((k, facts.project.name, layout, path, target_truth(facts, path.name)))
        for k, many in enumerate(many_from_facts(all_facts)[: max(1, (limit or 99) // 4)]):
            for layout in [name for name in layouts if name in MANY_LAYOUTS]:
                suffix, render, with_results = MANY_LAYOUTS[layout]
                path = Path(folder) / f"m{k:02d}_{layout}{suffix}"
                path.write_bytes(render(many))
                jobs.append((1000 + k, f"{len(many.projects)} 个项目", layout, path,
                             many_truth(many, path.name, with_results=with_results)))
        extracted, _ = extract_to_dicts([str(j[3]) for j in jobs], ref)
        by_file = {d["file"]: d for d in extracted}
        for k, name, layout, path, truth in jobs:
            got = documents_of([by_file[path.name]]) if path.name in by_file else []
            cells.append(Cell(k, name, layout, score_documents(documents_of([truth]), got)))
    return cells


def by_layout(cells: list[Cell]) -> dict[str, tuple[int, int, int]]:
    """(correct, total, silent) per layout."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for c in cells:
        out[c.layout][0] += c.score.correct
        out[c.layout][1] += c.score.total
        out[c.layout][2] += c.score.silent
    return {k: tuple(v) for k, v in out.items()}


def format_matrix(cells: list[Cell], worst: int = 12) -> str:
    """Per-layout accuracy and silent misses, then the worst cells with their misses."""
    lines = [f"{'layout':<16} {'fields':>13} {'pct':>7} {'silent':>7}"]
    for layout, (ok, n, silent) in sorted(by_layout(cells).items(), key=lambda kv: kv[1][0] / max(kv[1][1], 1)):
        lines.append(f"{layout:<16} {ok:>6}/{n:<6} {100 * ok / max(n, 1):6.1f}% {silent:>7}")
    total_ok, total_n = sum(c.score.correct for c in cells), sum(c.score.total for c in cells)
    lines.append(f"{'all':<16} {total_ok:>6}/{total_n:<6} {100 * total_ok / max(total_n, 1):6.1f}% "
                 f"{sum(c.score.silent for c in cells):>7}")
    lines.append(f"worst cells ({len(cells)} renderings of {len({c.facts for c in cells})} projects):")
    for c in sorted(cells, key=lambda c: c.score.pct)[:worst]:
        if c.score.pct >= 100:
            break
        misses = "; ".join(f"{m.where.split('.', 2)[-1]}={m.actual!r}" for m in c.score.misses()[:4])
        lines.append(f"  {c.score.pct:5.1f}%  {c.layout:<15} {c.project[:24]:<24} {misses[:150]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`python -m budgetperf.bench.generality KEY.json … [--layouts a,b] [--limit N]`:
    the whole matrix, worst cells last (`make accuracy`)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m budgetperf.bench.generality")
    parser.add_argument("keys", nargs="+", help="answer keys (seed_facts.json, the devset's expected.json)")
    parser.add_argument("--layouts", help="comma-separated layouts (default: all)")
    parser.add_argument("--limit", type=int, help="at most this many projects")
    parser.add_argument("--worst", type=int, default=15)
    args = parser.parse_args(argv)
    cells = run([Path(k) for k in args.keys], args.layouts.split(",") if args.layouts else None, args.limit)
    print(format_matrix(cells, args.worst))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
