"""Benchmarks that print figures (never asserted in tests).

    python scripts/bench.py            # extraction throughput per format, store build
    python scripts/bench.py --pages    # also page rerun times (scripts/bench_pages.py)
    python scripts/bench.py --export   # also the ten-chart export pack (scripts/bench_export.py)

Extraction target: at least 300 seed-sized .txt reports per second on one core.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetperf.extract import extract_document  # noqa: E402
from budgetperf.readers import read_document  # noqa: E402
from budgetperf.reference import load_reference  # noqa: E402
from budgetperf.store import build_store  # noqa: E402


def _throughput(paths: list[Path], ref, seconds: float = 0.6, rounds: int = 5) -> float:
    """Reports per second for read + extract: the median of `rounds` rounds, each
    repeating the set for `seconds` (a shared 2-core machine is noisy)."""
    rates = []
    for _ in range(rounds):
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            for path in paths:
                extract_document(read_document(path), ref)
                done += 1
        rates.append(done / (time.perf_counter() - start))
    return statistics.median(rates)


def bench_extraction() -> None:
    ref = load_reference()
    groups = {
        "txt (seeds)": sorted((ROOT / "data" / "reports").glob("*.txt")),
        "txt (fixtures)": sorted((ROOT / "tests" / "fixtures" / "reports").glob("*_*.txt")),
        "docx": sorted((ROOT / "tests" / "fixtures" / "reports").glob("*.docx")),
        "pdf": sorted((ROOT / "tests" / "fixtures" / "reports").glob("*.pdf")),
        "xlsx": sorted((ROOT / "tests" / "fixtures" / "reports").glob("*.xlsx")),
    }
    print("extraction throughput (read + parse + resolve, one core, median of 5 rounds)")
    print(f"{'format':<16}{'files':>6}{'reports/s':>12}{'ms/report':>12}")
    for name, paths in groups.items():
        usable = []
        for path in paths:
            try:
                extract_document(read_document(path), ref)
                usable.append(path)
            except Exception:
                continue  # bad-input fixtures are not reports
        if not usable:
            continue
        rate = _throughput(usable, ref)
        print(f"{name:<16}{len(usable):>6}{rate:>12.0f}{1000 / rate:>12.2f}")
    sizes = [p.stat().st_size for p in groups["txt (seeds)"]]
    print(f"seed sizes: {min(sizes)}–{max(sizes)} bytes, mean {statistics.mean(sizes):.0f}; target ≥ 300 reports/s")


def bench_build() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        build_store(ROOT / "data" / "reports", Path(tmp) / "bench.duckdb")
        print(f"store build from data/reports: {time.perf_counter() - start:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", action="store_true")
    parser.add_argument("--export", action="store_true")
    parser.add_argument("--all", action="store_true")
    args = parser.parse_args()
    bench_extraction()
    bench_build()
    if args.pages or args.all:
        import bench_pages

        bench_pages.main([])
    if args.export or args.all:
        import bench_export

        bench_export.main()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
