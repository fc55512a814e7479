"""Extraction throughput per format, on one core: read + parse + resolve + audit,
the median of a few rounds (the machine is shared and noisy)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from budgetperf.bench.stores import ROOT
from budgetperf.storing.extracting import extract_file
from budgetperf.storing.reference import load_reference


def _usable(paths: list[Path], ref) -> list[Path]:
    out = []
    for path in paths:
        try:
            extract_file(path, ref)
            out.append(path)
        except Exception:
            continue  # bad-input fixtures are not reports
    return out


def throughput(paths: list[Path], ref, seconds: float = 0.6, rounds: int = 5) -> float:
    """Reports per second: the median of `rounds` rounds, each going over the set
    for at least `seconds`."""
    rates = []
    for _ in range(rounds):
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            for path in paths:
                extract_file(path, ref)
                done += 1
        rates.append(done / (time.perf_counter() - start))
    return statistics.median(rates)


def bench_extraction(corpus: Path | None, *, seconds: float = 0.6, rounds: int = 5, per_format: int = 40) -> list[dict]:
    """Rows of (set, files, reports/s, ms/report, mean KB)."""
    ref = load_reference()
    groups = {"txt (seeds)": sorted((ROOT / "data" / "reports").glob("*.txt"))}
    if corpus is not None:
        files = sorted(corpus.iterdir())
        for fmt in ("txt", "docx", "xlsx", "pdf"):
            # a spread sample of the corpus's files of this format
            of_fmt = [p for p in files if p.suffix == f".{fmt}"]
            step = max(1, len(of_fmt) // per_format)
            groups[f"{fmt} (synthetic)"] = of_fmt[::step][:per_format]
    rows = []
    for name, paths in groups.items():
        usable = _usable(paths, ref)
        if not usable:
            continue
        rate = throughput(usable, ref, seconds, rounds)
        size = statistics.mean(p.stat().st_size for p in usable) / 1024
        rows.append({"set": name, "files": len(usable), "reports_per_s": round(rate, 1),
                     "ms_per_report": round(1000 / rate, 2), "mean_kb": round(size, 1)})
    return rows
