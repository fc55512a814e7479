"""Extraction throughput per format, on one core: read + parse + resolve + audit,
the median of a few rounds (the machine is shared and noisy); and CPU seconds per
MB of one large text table at growing sizes, which stay flat when extraction and
audit are linear in a file's size (issue 19)."""

from __future__ import annotations

import random
import statistics
import tempfile
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


MB = 1024 * 1024


def large_table_report(total_bytes: int, seed: int = 42) -> str:
    """A .txt report of about `total_bytes`: a title, then one indicator table in
    pipes whose every row is a plausible indicator (weights and scores vary)."""
    rng = random.Random(seed)
    lines = ["某县交通运输局2023年度农村公路养护专项资金绩效评价报告", "",
             "| 一级指标 | 二级指标 | 三级指标 | 指标值 | 实际完成值 | 分值 | 得分 |", "|---|---|---|---|---|---|---|"]
    size, n = sum(len(line.encode()) + 1 for line in lines), 0
    while size < total_bytes:
        n += 1
        weight = rng.randint(1, 10)
        line = (f"| 产出指标 | 数量指标 | 养护里程第{n}段 | ≥{rng.randint(1, 999)}公里 | "
                f"{rng.randint(1, 999)}公里 | {weight} | {rng.randint(0, weight)} |")
        lines.append(line)
        size += len(line.encode()) + 1
    return "\n".join(lines) + "\n"


def seconds_per_mb(sizes_mb: tuple[float, ...] = (0.5, 1, 2)) -> list[dict]:
    """CPU seconds to extract (read, parse, audit) one large text table, per MB, at
    each size: flat when the work is linear in the file's size."""
    ref = load_reference()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sizes_mb:
            path = Path(tmp) / f"table_{mb}mb.txt"
            path.write_text(large_table_report(int(mb * MB)), encoding="utf-8")
            start = time.process_time()
            extract_file(path, ref)
            cpu = time.process_time() - start
            rows.append({"mb": mb, "cpu_s": round(cpu, 2), "s_per_mb": round(cpu / mb, 2)})
    return rows
