"""Time each dashboard page's server-side rerun with streamlit's AppTest.

Builds the seed store (data/reports) into a temp folder unless --db is given,
then for every page: one warm-up run (fills the query cache, as a user's first
visit would), then the median of --runs reruns. Prints a table and exits 1 when a
page is over --target ms.

    python scripts/bench_pages.py [--db PATH] [--runs 5] [--target 300]

What is timed is one `AppTest.run()`: app.py (filters, navigation) plus the page
script, with cached queries, chart building and Plotly serialization; not the
browser's rendering. AppTest starts every run in Streamlit's pages/-directory
mode, so a non-default page pays one extra restart of the script
(`ui.page_header`) that a live server pays only on its very first request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # a script, not a page: make `budgetperf` importable when run from anywhere

PAGES = [None, "pages/execution.py", "pages/indicators.py", "pages/scores.py", "pages/regions.py",
         "pages/sources.py", "pages/audit.py"]


def bench(page: str | None, runs: int, query: dict | None = None) -> tuple[float, float]:
    """(first run ms, median of `runs` reruns ms) for one page."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    start = time.perf_counter()
    at.run()
    first = (time.perf_counter() - start) * 1000
    if at.exception:
        raise SystemExit(f"{page or 'app.py'}: {at.exception[0].value}")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
    return first, statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing store (default: build the seed store into a temp folder)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--target", type=float, default=300.0, help="ms per page rerun")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "bench.duckdb"
        if not args.db:
            from budgetperf.store import build_store

            build_store(ROOT / "data" / "reports", db)
        os.environ["BUDGETPERF_DB"] = str(db)
        import logging

        logging.getLogger("streamlit").setLevel(logging.ERROR)  # "missing ScriptRunContext" noise

        cases = [(page, None) for page in PAGES]
        cases.append(("pages/sources.py", {"doc": "001_4f47e40a9e3722bd.txt", "project": "网络宣传管理和文化建设经费"}))
        print(f"store: {db}\n{'page':<34}{'first run':>12}{'median rerun':>15}")
        slow = []
        for page, query in cases:
            name = (page or "app.py (总览)") + (" ?doc&project" if query else "")
            first, median = bench(page, args.runs, query)
            flag = "" if median <= args.target else "  over target"
            print(f"{name:<34}{first:>10.0f}ms{median:>13.0f}ms{flag}")
            if flag:
                slow.append(name)
        print(f"target: {args.target:.0f} ms per rerun (median of {args.runs} after a warm-up)")
        return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
