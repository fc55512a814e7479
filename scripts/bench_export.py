"""Time a ten-chart meeting pack (PNG ZIP) from the dashboard's own charts.

    python scripts/bench_export.py

Prints: the pack with the browser start included (cold), with the app's export
browser already running (warm, median of 5, PNG cache cleared each time), and a
repeat of the same view served from the PNG cache. Targets: < 6 s cold, < 1.5 s warm.
Charts come from the pages themselves (run headless on a store built from
data/reports), so the figures are the real ones, not toy plots.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def ten_charts():
    from budgetperf.export_cli import collect_page_charts

    charts = []
    for page in ("overview", "execution", "indicators", "scores", "regions"):
        charts.extend(collect_page_charts(page, None, None)[1])
    return charts[:10]


def main() -> None:
    from budgetperf import export
    from budgetperf.store import build_store

    if export.chromium_path() is None:
        print("export bench skipped: chromium not installed (make system-deps)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["BUDGETPERF_DB"] = str(Path(tmp) / "bench.duckdb")
        build_store(ROOT / "data" / "reports", os.environ["BUDGETPERF_DB"])
        charts = ten_charts()
        export.stop_export_browser()
        export.clear_png_cache()
        start = time.perf_counter()
        export.build_zip(charts, export.render_pngs(charts), "bench")
        cold = time.perf_counter() - start
        warm, cached = [], []
        for _ in range(5):
            export.clear_png_cache()  # measure rendering, not the cache
            start = time.perf_counter()
            export.build_zip(charts, export.render_pngs(charts), "bench")
            warm.append(time.perf_counter() - start)
            start = time.perf_counter()
            export.build_zip(charts, export.render_pngs(charts), "bench")
            cached.append(time.perf_counter() - start)
        export.stop_export_browser()
    print(f"ten-chart PNG pack ({len(charts)} charts, 2x scale)")
    print(f"  cold (browser start included): {cold:.2f} s   target < 6 s")
    print(f"  warm (export browser running): median {statistics.median(warm):.2f} s, "
          f"range {min(warm):.2f}-{max(warm):.2f} s   target < 1.5 s")
    print(f"  repeat of the same view (PNG cache): {statistics.median(cached) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
