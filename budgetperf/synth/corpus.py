"""Write a synthetic corpus: `OUT/reports/*` (the files) and `OUT/truth.json` (what a
correct extraction yields, in the answer-key shape), plus `OUT/README.md`.

    python -m budgetperf synth --regions 20 --years 2019-2025 --seed 1 --out synth/small
    python -m budgetperf score synth/small/truth.json synth/small/reports/*

Deterministic: the same arguments give the same bytes. Documents are made and
written in worker processes in chunks; results are put back in plan order.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from budgetperf import settings
from budgetperf.storing.reference import load_reference
from budgetperf.synth import MARKER, SYNTH_FILE_PREFIX
from budgetperf.synth.model import (
    FORMATS,
    PlannedDocument,
    SynthDocument,
    document_to_key,
    make_document,
    plan_documents,
)
from budgetperf.synth.office import render_office
from budgetperf.synth.programmes import link_truth
from budgetperf.synth.text import render_text


@dataclass
class CorpusSummary:
    out: Path
    documents: int
    by_format: dict[str, int]
    by_shape: dict[str, int]
    regions: int
    provinces: int
    indicators: int


def render_document(planned: PlannedDocument, seed: int) -> tuple[str, bytes, dict]:
    """(file name, bytes, truth) of one planned document (its truth without
    `same_program_as`, which needs the whole corpus: `write_corpus` adds it)."""
    doc, data = _render(planned, seed)
    return doc.file, data, document_to_key(doc)


def _render(planned: PlannedDocument, seed: int) -> tuple[SynthDocument, bytes]:
    doc = make_document(planned, seed)
    if doc.fmt == "txt":
        return doc, render_text(doc).encode(doc.encoding)
    return doc, render_office(doc)


def _sighting(doc: SynthDocument, planned: PlannedDocument) -> tuple:
    """What `link_truth` needs of a document: its unit, year and which programme each
    project is."""
    return (doc.file, (planned.region.code, planned.department), doc.year,
            [(p.name, p.programme) for p in doc.projects])


def _write_chunk(args: tuple[list[PlannedDocument], int, str]) -> list[tuple[dict, tuple]]:
    chunk, seed, folder = args
    out = []
    for planned in chunk:
        doc, data = _render(planned, seed)
        path = os.path.join(folder, doc.file)
        # Same bytes already there (a re-run): leave the file alone.
        if not (os.path.exists(path) and os.path.getsize(path) == len(data) and Path(path).read_bytes() == data):
            with open(path, "wb") as fh:
                fh.write(data)
        out.append((document_to_key(doc), _sighting(doc, planned)))
    return out


def _check_out(out: Path) -> Path:
    out = out.resolve()
    # the configured reports folder, and the repository's own, whatever the setting says
    for reports_dir in {Path(settings.get("BUDGETPERF_REPORTS_DIR")).resolve(), (settings.ROOT / "data" / "reports").resolve()}:
        if out == reports_dir or reports_dir in out.parents or out in reports_dir.parents:
            raise ValueError(f"synthetic reports must not be written into or over the reports folder {reports_dir}")
    folder = out / "reports"
    if folder.exists():
        strangers = [p.name for p in folder.iterdir() if not p.name.startswith(SYNTH_FILE_PREFIX)]
        if strangers:
            raise ValueError(f"{folder} holds files that are not synthetic ({strangers[0]}, …); choose another --out")
    return folder


def write_corpus(out: str | Path, regions: int, years: tuple[int, int], seed: int, units: int = 3,
                 formats: tuple[str, ...] = FORMATS, workers: int | None = None, ref=None) -> CorpusSummary:
    """Plan, render and write the corpus; returns what it holds."""
    if regions < 1:
        raise ValueError("--regions must be at least 1")
    if years[0] > years[1]:
        raise ValueError(f"years {years[0]}-{years[1]}: the first year is after the last")
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats {sorted(unknown)}; choose from {', '.join(FORMATS)}")
    out = Path(out)
    folder = _check_out(out)
    folder.mkdir(parents=True, exist_ok=True)
    plan = plan_documents(ref or load_reference(), regions, years, seed, units, tuple(formats))
    size = max(1, min(200, len(plan) // max(1, (workers or 2) * 4) or 1))
    chunks = [(plan[i : i + size], seed, str(folder)) for i in range(0, len(plan), size)]
    workers = workers or min(2, os.cpu_count() or 1)
    if workers > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(workers) as pool:
            made = [k for part in pool.map(_write_chunk, chunks) for k in part]
    else:
        made = [k for chunk in chunks for k in _write_chunk(chunk)]
    links = link_truth([sighting for _, sighting in made])
    keys = [{**key, "same_program_as": links[key["file"]]} for key, _ in made]
    wanted = {k["file"] for k in keys}
    for stale in folder.iterdir():  # files of an earlier, larger run with other arguments
        if stale.name not in wanted:
            stale.unlink()
    truth = {
        "about": "合成数据（synthetic）: what a correct extraction of these generated reports yields, in the "
                 "answer-key shape of tests/seed_facts.json. Not real reports. Amounts in 万元. "
                 "same_program_as: projects that are an earlier year's programme of the same region and unit "
                 "under another name (renamed), with the latest earlier year the corpus holds it.",
        "synthetic": True,
        "generator": {"regions": regions, "years": list(years), "seed": seed, "units": units, "formats": list(formats)},
        "documents": keys,
    }
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "README.md").write_text(
        f"# 合成数据 / synthetic corpus\n\n{MARKER}\n\n"
        f"Generated by `python -m budgetperf synth --regions {regions} --years {years[0]}-{years[1]} --seed {seed}"
        f" --units {units} --formats {','.join(formats)}`.\n"
        "`reports/` holds the files, `truth.json` the answer key. Never copy these into data/reports.\n",
        encoding="utf-8")
    by_format: dict[str, int] = {}
    by_shape: dict[str, int] = {}
    for p in plan:
        by_format[p.fmt] = by_format.get(p.fmt, 0) + 1
        by_shape[p.shape] = by_shape.get(p.shape, 0) + 1
    return CorpusSummary(out, len(plan), by_format, by_shape, len({p.region.name for p in plan}),
                         len({p.region.province for p in plan}),
                         sum(len(pr["indicators"]) for k in keys for pr in k["projects"]))
