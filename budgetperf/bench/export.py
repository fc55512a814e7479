"""A ten-chart meeting pack (PNG ZIP) from the dashboard's own charts: cold (browser
start included), warm (export browser running) and a repeat served from the PNG
cache. Targets: < 6 s cold, < 1.5 s warm. Skipped without Chromium."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from budgetperf.app.headless import collect_page_charts
from budgetperf.export import packs


def bench_export(db: Path, warm_runs: int = 5) -> dict:

    if packs.chromium_path() is None:
        return {"skipped": "chromium not installed (make system-deps)"}
    os.environ["BUDGETPERF_DB"] = str(db)
    charts = []
    for page in ("overview", "execution", "indicators", "scores", "regions"):
        charts.extend(collect_page_charts(page, None, None)[1])
    charts = charts[:10]
    packs.stop_export_browser()
    packs.clear_png_cache()
    start = time.perf_counter()
    packs.build_zip(charts, packs.render_pngs(charts), "bench")
    cold = time.perf_counter() - start
    warm, cached = [], []
    for _ in range(warm_runs):
        packs.clear_png_cache()  # measure rendering, not the cache
        start = time.perf_counter()
        packs.build_zip(charts, packs.render_pngs(charts), "bench")
        warm.append(time.perf_counter() - start)
        start = time.perf_counter()
        packs.build_zip(charts, packs.render_pngs(charts), "bench")
        cached.append(time.perf_counter() - start)
    packs.stop_export_browser()
    return {"charts": len(charts), "cold_s": round(cold, 2), "warm_median_s": round(statistics.median(warm), 2),
            "cached_ms": round(statistics.median(cached) * 1000, 1)}
