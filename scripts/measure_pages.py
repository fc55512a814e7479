"""Time every dashboard page on a given store: its queries' p50/p95 and its rerun.

    python scripts/measure_pages.py --db /tmp/p25k.duckdb [--runs 20] [--pages overview,execution]
    python scripts/measure_pages.py --db ... --json out.json

For each page (and a filtered variant: the latest year and one region), one
AppTest run records which named queries the page runs with which params (the
query cache is cleared first, so every query really runs); each of those is then
run `--runs` times straight through `store.run_query` on one read-only
connection (p50/p95 in ms, rows returned); then the page's rerun is timed as a
user's next interaction sees it (query cache warm): median of `--reruns`
`AppTest.run()` calls. Prints a table; nothing is asserted.

Targets (issue 9, at about a million indicator rows): every query p95 < 50 ms,
every page rerun < 500 ms.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = {
    "overview": None, "execution": "pages/execution.py", "indicators": "pages/indicators.py",
    "scores": "pages/scores.py", "regions": "pages/regions.py", "sources": "pages/sources.py",
    "audit": "pages/audit.py",
}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def record_queries(page: str | None, state: dict) -> tuple[list[tuple[str, dict]], object]:
    """Run the page once with an empty query cache; return the (name, params) it ran."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from budgetperf.storing import store

    calls: list[tuple[str, dict]] = []
    original = store.run_query

    def recording(name, con=None, **params):
        calls.append((name, params))
        return original(name, con=con, **params)

    st.cache_data.clear()
    store.run_query = recording
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for key, value in state.items():
            at.session_state[key] = value
        if page:
            at.switch_page(page)
        at.run()
    finally:
        store.run_query = original
    if at.exception:
        raise SystemExit(f"{page or 'overview'}: {at.exception[0].value}")
    return calls, at


def time_queries(db: str, calls: list[tuple[str, dict]], runs: int) -> list[dict]:
    from budgetperf.storing import store

    con = store.connect(db)
    out, seen = [], set()
    try:
        for name, params in calls:
            key = (name, repr(sorted(params.items())))
            if key in seen:
                continue
            seen.add(key)
            times, rows = [], 0
            for _ in range(runs):
                start = time.perf_counter()
                rows = len(store.run_query(name, con=con, **params))
                times.append((time.perf_counter() - start) * 1000)
            out.append({"query": name, "rows": rows, "p50_ms": statistics.median(times),
                        "p95_ms": _percentile(times, 0.95)})
    finally:
        con.close()
    return out


def time_reruns(at, reruns: int) -> float:
    times = []
    for _ in range(reruns):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=20, help="runs per query")
    parser.add_argument("--reruns", type=int, default=5, help="AppTest reruns per page")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    os.environ["BUDGETPERF_DB"] = str(Path(args.db).resolve())
    # The 导出 panel starts a Chromium for PNG export in the background on a page's
    # first run (once per server process); here it would compete with the timed
    # queries for the CPU, so this process has none.
    os.environ["BUDGETPERF_CHROMIUM"] = "/nonexistent/chromium"
    os.environ["PATH"] = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                                         if not Path(p, "chromium").exists())
    logging.getLogger("streamlit").setLevel(logging.ERROR)

    from budgetperf.storing import store

    con = store.connect(args.db)
    # a filtered variant that has evaluated projects: the latest such year, one region
    year, region = con.execute(
        "select year, region from mart_projects where kind = 'evaluation' and year is not null "
        "order by year desc, region limit 1").fetchone()
    con.close()
    variants = {"全部": {}, f"{year} 年 {region}": {"years": [year], "regions": [region]}}
    results = []
    print(f"store: {args.db}")
    print(f"{'page':<12}{'filters':<22}{'rerun ms':>9}  {'query':<34}{'rows':>7}{'p50 ms':>8}{'p95 ms':>8}")
    for page_name in args.pages.split(","):
        page = PAGES[page_name]
        for label, state in variants.items():
            calls, at = record_queries(page, state)
            queries = time_queries(args.db, calls, args.runs)
            rerun = time_reruns(at, args.reruns)
            results.append({"page": page_name, "filters": label, "rerun_ms": rerun, "queries": queries})
            for i, q in enumerate(queries or [{"query": "—", "rows": 0, "p50_ms": 0, "p95_ms": 0}]):
                head = f"{page_name:<12}{label:<22}{rerun:>9.0f}" if i == 0 else " " * 43
                print(f"{head}  {q['query']:<34}{q['rows']:>7}{q['p50_ms']:>8.1f}{q['p95_ms']:>8.1f}")
    worst_query = max((q["p95_ms"] for r in results for q in r["queries"]), default=0)
    worst_rerun = max(r["rerun_ms"] for r in results)
    print(f"worst query p95 {worst_query:.1f} ms (target < 50); worst page rerun {worst_rerun:.0f} ms (target < 500)")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
