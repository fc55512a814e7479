"""Every page of the app, timed headless with Streamlit's AppTest, and every named
query a page runs, timed three ways.

A test harness, not UI: like the tests, it drives `app.py` through
`streamlit.testing` (through `app.headless`), so the app package stays the only one that
renders with streamlit.

Pages are found generically (`pages/*.py`); each starts with empty caches, so its
first run executes and records its queries (`store.run_query` is wrapped while it
runs), then reruns are timed (cached queries: what a user waits for after a click).
Each recorded query is then timed

- `app`: `store.run_query` on a read-only connection (the app's query path,
  DataFrame included, without the cache);
- `duckdb`: the same SQL and parameters straight on the connection, fetched as
  Arrow (the floor);
- `pandas`: what most Streamlit apps do: `select *` of every table or view the
  query reads into pandas, then the page's filters applied in Python (the
  equivalent of the query's WHERE; its aggregation would come on top).
"""

from __future__ import annotations

import logging
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

from budgetperf.app import headless
from budgetperf.bench.stores import ROOT
from budgetperf.bench.timing import Timing, median, repeat
from budgetperf.storing import store
from budgetperf.storing.store import connect, load_query, run_query

# The shared filter params and the stg_* columns they filter (views.sql matches_filters).
FILTER_COLUMNS = {"years": "year", "regions": "region", "levels": "level_zh", "units": "unit",
                  "projects": "project_name", "doc_types": "doc_type_zh"}


def page_files() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


@contextmanager
def recording_queries(calls: list[tuple[str, dict]]):
    original = store.run_query

    def run_query(name, con=None, **params):
        calls.append((name, dict(params)))
        return original(name, con=con, **params)

    store.run_query = run_query
    try:
        yield
    finally:
        store.run_query = original


def _chart_heights(at) -> list[int]:
    import json

    heights = []
    for el in at.get("plotly_chart"):
        try:
            spec = json.loads(el.proto.spec)
            heights.append(int(spec.get("layout", {}).get("height") or 0))
        except (ValueError, AttributeError):
            continue
    return heights


def time_page(page: str, db: Path, reruns: int, timeout: float) -> dict:
    """First run (empty caches) and median rerun of one page, its recorded queries,
    its exceptions and its charts' heights."""
    os.environ["BUDGETPERF_DB"] = str(db)
    at = headless.fresh_page(page, timeout)
    calls: list[tuple[str, dict]] = []
    out: dict = {"page": page}
    try:
        with recording_queries(calls):
            t = time.perf_counter()
            at.run()
            out["first_ms"] = round((time.perf_counter() - t) * 1000, 1)
        if at.exception:
            out["error"] = str(at.exception[0].value)[:300]
            return out | {"queries": _unique(calls)}
        times = []
        for _ in range(reruns if out["first_ms"] < 20_000 else 1):
            t = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - t) * 1000)
        out["rerun_ms"] = round(median(times), 1)
        out["charts"] = len(at.get("plotly_chart"))
        out["max_chart_height_px"] = max(_chart_heights(at), default=0)
    except RuntimeError as exc:  # AppTest timeout
        out["error"] = f"timeout or failure: {exc}"[:300]
    return out | {"queries": _unique(calls)}


def _unique(calls: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    seen, out = set(), []
    for name, params in calls:
        key = (name, repr(sorted(params.items())))
        if key not in seen:
            seen.add(key)
            out.append((name, params))
    return out


# ---------------------------------------------------------------------------
# one query, three ways


def _relations(sql: str, known: set[str]) -> list[str]:
    """Tables and views a query reads (CTE names are not in `known`)."""
    names = re.findall(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)", re.sub(r"--[^\n]*", "", sql.lower()))
    return sorted({n for n in names if n in known})


def _pandas_version(con, relations: list[str], params: dict):
    """Load every relation whole, then filter in Python by the params that name a column."""
    frames = {r: con.execute(f"select * from {r}").df() for r in relations}
    out = {}
    for r, df in frames.items():
        mask = None
        for param, value in params.items():
            column = FILTER_COLUMNS.get(param, param)
            if value is None or column not in df.columns:
                continue
            values = value if isinstance(value, (list, tuple)) else [value]
            m = df[column].isin(values)
            mask = m if mask is None else mask & m
        out[r] = df if mask is None else df[mask]
    return out


def time_query(con: duckdb.DuckDBPyConnection, name: str, params: dict, budget_s: float = 1.5,
               pandas_budget_s: float = 3.0) -> dict:
    q = load_query(name)
    bound = {p: params.get(p) for p in q.params}
    known = {n for (n,) in con.execute("select table_name from duckdb_tables() union all "
                                       "select view_name from duckdb_views() where not internal").fetchall()}
    relations = _relations(q.sql, known)
    rows = len(run_query(name, con=con, **params))

    def app():
        run_query(name, con=con, **params)

    def raw():
        cur = con.cursor()
        try:
            cur.sql(q.sql, params=bound).to_arrow_table()
        finally:
            cur.close()

    app_t = repeat(app, budget_s=budget_s)
    raw_t = repeat(raw, budget_s=budget_s)
    pandas_t: Timing = repeat(lambda: _pandas_version(con, relations, params), min_runs=1, max_runs=5,
                              budget_s=pandas_budget_s, warmup=0)
    return {"query": name, "rows": rows, "app": app_t.to_dict(), "duckdb": raw_t.to_dict(),
            "pandas": pandas_t.to_dict(), "pandas_reads": relations,
            "app_vs_duckdb": round(app_t.p50 / max(raw_t.p50, 1e-6), 2),
            "pandas_vs_app": round(pandas_t.p50 / max(app_t.p50, 1e-6), 1)}


def bench_pages(db: Path, *, reruns: int = 3, timeout: float = 120, query_budget_s: float = 1.5,
                log=print) -> list[dict]:
    """Every page on the store `db`: page timings, and each of its queries timed."""
    # "missing ScriptRunContext" noise, and page tracebacks: a page's error is in the results
    for name in ("streamlit", "streamlit.runtime", "streamlit.runtime.scriptrunner", "streamlit.runtime.caching"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    out = []
    for page in page_files():
        log(f"    page {page} …")
        result = time_page(page, db, reruns, timeout)
        con = connect(db)
        try:
            timed = []
            for name, params in result.pop("queries"):
                try:
                    timed.append(time_query(con, name, params, query_budget_s))
                except Exception as exc:  # a failing query is a finding, not a crash
                    timed.append({"query": name, "error": str(exc)[:300]})
        finally:
            con.close()
        result["queries"] = timed
        out.append(result)
    return out
