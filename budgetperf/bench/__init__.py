"""`python -m budgetperf bench` (`make bench`): one run, one table, one JSON file.

Measures, on this machine:

1. extraction throughput per format, one core (`extraction`), and CPU seconds per MB
   of one large text table at 0.5, 1 and 2 MB (`per_mb`: flat when linear);
2. store builds: the seed store, a fresh build of 10,000 synthetic reports with the
   CLI (wall time, file size, peak memory of the build and its workers), the same
   10,000 rebuilt when nothing changed and when 1% changed (rows reused), and 100
   files ingested into that store (`stores`);
3. every page (`pages/*.py`): AppTest first run and rerun, and each of its queries
   timed through the app's path, raw DuckDB and load-all pandas, on the seed store,
   ~100× and ~10,000× the seeds (`pages`);
4. accuracy against the synthetic truth, fields and planted inconsistencies
   (`accuracy`);
5. programme links across years against the truth of 60 regions whose programmes
   continue, end, start and get renamed: precision and recall (`links`); and, with
   `--export`, the PNG export pack (`export`);
6. a room of users (`load`): 1 and 20 sessions opening 总览 (and a mix of pages)
   at once on the seed store, on the wire and in real browsers, p50/p95.

`--ocr` runs only the OCR section (`ocr`): seconds per scanned page on one core, a
10-page scanned report, and a build of 100 scanned reports (several minutes).

Synthetic corpora and their stores are cached under `.bench/` (gitignored); the
first full run writes ~45,000 reports and builds a million-indicator store (several
minutes), later runs reuse them. `--smoke` is the seconds-long version CI runs
(`tests/test_bench.py`): seed store plus a tiny synthetic corpus.
Figures are printed and saved, never asserted: targets are reported as met or missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import time
from importlib import metadata
from pathlib import Path

from budgetperf.bench import stores
from budgetperf.bench.accuracy import planted_recall, score_corpus
from budgetperf.bench.export import bench_export
from budgetperf.bench.extraction import bench_extraction, seconds_per_mb
from budgetperf.bench.links import LINKS, format_score, score_links
from budgetperf.bench.ocr import bench_ocr, default_reports
from budgetperf.bench.ocr import render as render_ocr
from budgetperf.bench.load import bench_load, format_run
from budgetperf.bench.pages import bench_pages
from budgetperf.bench.stores import SEED, SMOKE, X10K, X100, cache_dir
from budgetperf.bench.timing import run_measured

BUILD_10K = 10_000
TARGETS = {"build_10k_s": 60, "page_rerun_ms": 500, "query_p95_ms": 50, "app_vs_duckdb": 1.5, "pandas_vs_app": 10,
           "room_p95_s": 5.0, "first_chart_s": 2.0}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--smoke", action="store_true", help="seconds-long run for CI: seed store and a tiny corpus")
    p.add_argument("--tiers", default="seed,x100,x10k", help="page tiers to run (seed,x100,x10k)")
    p.add_argument("--skip-build", action="store_true", help="skip the 10,000-report build timings")
    p.add_argument("--export", action="store_true", help="also time the PNG export pack (needs chromium)")
    p.add_argument("--links", action="store_true",
                   help="only programme links across years: precision and recall on 60 synthetic regions")
    p.add_argument("--rebuild", action="store_true", help="rebuild cached stores (after extraction changed)")
    p.add_argument("--ocr", action="store_true", help="only the OCR timings: seconds per scanned page, "
                   "a 10-page scanned report, a build of 100 scanned reports (several minutes)")
    p.add_argument("--json", help="where to save the results (default .bench/results.json, smoke: .bench/smoke.json, "
                                  "links: .bench/links.json, ocr: .bench/ocr.json)")
    p.add_argument("--skip-load", action="store_true", help="skip the room-of-users load run (browsers and sessions)")
    p.add_argument("--load-sessions", default="1,20", help="concurrent sessions per load run (default 1,20)")


def main(args) -> int:
    start = time.time()
    log = print
    results: dict = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "smoke": bool(args.smoke),
                     "machine": _machine()}
    cache_dir().mkdir(parents=True, exist_ok=True)
    if args.smoke:
        _smoke(results, log)
    elif getattr(args, "links", False):
        stores.ensure_corpus(LINKS, log)
        results["links"] = score_links(LINKS.reports, LINKS.truth).as_dict()
    elif getattr(args, "ocr", False):
        results["ocr"] = bench_ocr(default_reports(), log)
    else:
        _full(results, args, log)
    results["machine"]["loadavg_end"] = _loadavg()
    results["seconds"] = round(time.time() - start, 1)
    name = ("smoke.json" if args.smoke else "links.json" if getattr(args, "links", False)
            else "ocr.json" if getattr(args, "ocr", False) else "results.json")
    out = Path(args.json or (cache_dir() / name))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print(render(results))
    print(f"\nsaved: {out}  ({results['seconds']} s)")
    return 0


def _machine() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "duckdb": metadata.version("duckdb"),
            "streamlit": metadata.version("streamlit"), "loadavg_start": _loadavg()}


def _loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


# ---------------------------------------------------------------------------
# runs


def _smoke(results: dict, log) -> None:
    log("smoke: synthetic corpus and store …")
    stores.ensure_corpus(SMOKE, log)
    results["extraction"] = bench_extraction(SMOKE.reports, seconds=0.1, rounds=1, per_format=3)
    results["per_mb"] = seconds_per_mb((0.05, 0.1))
    build = stores.build_measured(SMOKE.reports, SMOKE.db)
    results["builds"] = [{"what": f"build {SMOKE.label}", **build, **stores.store_counts(SMOKE.db)}]
    seed = stores.build_measured(SEED.reports, SEED.db)
    results["builds"].append({"what": "build seed store", **seed, **stores.store_counts(SEED.db)})
    log("smoke: pages at the seed store …")
    results["pages"] = {"seed": {"counts": stores.store_counts(SEED.db),
                                 "pages": bench_pages(SEED.db, reruns=1, query_budget_s=0.05, log=log)}}
    results["accuracy"] = score_corpus(SMOKE.reports, SMOKE.truth)
    results["planted"] = planted_recall(SMOKE.db, SMOKE.truth)
    results["links"] = score_links(SMOKE.reports, SMOKE.truth).as_dict()


def _full(results: dict, args, log) -> None:
    tiers = [t for t in (SEED, X100, X10K) if t.name in args.tiers.split(",")]
    for tier in {X100, *tiers}:
        stores.ensure_corpus(tier, log)
    log("extraction throughput …")
    results["extraction"] = bench_extraction(X100.reports)
    log("seconds per MB of one large table …")
    results["per_mb"] = seconds_per_mb()
    results["builds"] = []
    seed = stores.build_measured(SEED.reports, SEED.db)
    results["builds"].append({"what": "build seed store (4 reports)", **seed})
    if not args.skip_build:
        stores.ensure_corpus(X10K, log)
        results["builds"] += _build_10k(log)
    results["pages"] = {}
    for tier in tiers:
        log(f"pages at {tier.label} …")
        built = stores.ensure_store(tier, rebuild=args.rebuild and not tier.is_seed, log=log)
        sidecar = tier.db.with_suffix(".build.json")
        if built:
            sidecar.write_text(json.dumps(built), encoding="utf-8")
        if not tier.is_seed and sidecar.exists():
            figures = json.loads(sidecar.read_text(encoding="utf-8"))
            results["builds"].append({"what": f"build {tier.label} (when cached: as first built)", **figures,
                                      **stores.store_counts(tier.db)})
        big = tier is X10K
        results["pages"][tier.name] = {
            "counts": stores.store_counts(tier.db),
            "pages": bench_pages(tier.db, reruns=3, query_budget_s=3.0 if big else 1.5, log=log),
        }
    if X100 in tiers:
        log("accuracy against the synthetic truth …")
        results["accuracy"] = score_corpus(X100.reports, X100.truth)
        results["planted"] = planted_recall(X100.db, X100.truth)
    log("programme links against the synthetic truth …")
    stores.ensure_corpus(LINKS, log)
    results["links"] = score_links(LINKS.reports, LINKS.truth).as_dict()
    if args.export:
        log("export pack …")
        results["export"] = bench_export(SEED.db)
    if not args.skip_load:
        log("a room of users: sessions opening pages at once (seed store) …")
        stores.ensure_store(SEED, log=log)
        results["load"] = bench_load(SEED.db, sessions=tuple(int(n) for n in args.load_sessions.split(",")), log=log)


def _build_10k(log) -> list[dict]:
    """Fresh build of 10,000 reports, the same rebuilt unchanged and with 1% changed,
    and 100 new files ingested."""
    work = cache_dir() / "build10k"
    folder = stores.subset_folder(X10K.reports, work / "reports", BUILD_10K)
    db = work / "build10k.duckdb"
    out = []
    log("build: 10,000 reports, fresh …")
    fresh = stores.build_measured(folder, db, fresh=True)
    out.append({"what": "build 10,000 reports (fresh, CLI)", **fresh, **stores.store_counts(db)})
    log("build: 10,000 reports, nothing changed …")
    out.append({"what": "rebuild 10,000, none changed (rows reused)", **stores.build_measured(folder, db, fresh=False)})
    changed = work / "reports-1pct"
    if changed.exists():
        shutil.rmtree(changed)
    changed.mkdir()
    txts = [p for p in sorted(folder.iterdir()) if p.suffix == ".txt"][:: max(1, BUILD_10K // 100)][:100]
    edited = {p.name for p in txts}
    for p in sorted(folder.iterdir()):
        if p.name in edited:  # same report, one more trailing line: new content hash
            (changed / p.name).write_bytes(p.resolve().read_bytes() + b"\n")
        else:
            (changed / p.name).symlink_to(p.resolve())
    db_changed = work / "build10k-1pct.duckdb"
    shutil.copy(db, db_changed)
    log("build: 10,000 reports, 1% changed …")
    out.append({"what": "rebuild 10,000, 1% changed (rows reused)", **stores.build_measured(changed, db_changed, fresh=False)})
    extra = sorted(X10K.reports.iterdir())[BUILD_10K : BUILD_10K + 100]
    db_ingest = work / "build10k-ingest.duckdb"
    shutil.copy(db, db_ingest)
    import sys

    log("ingest: 100 new files into the 10,000-report store …")
    kept = work / "ingested-originals"  # ingest keeps originals in a reports folder: not data/reports
    if kept.exists():
        shutil.rmtree(kept)
    run = run_measured([sys.executable, "-m", "budgetperf", "ingest", "--db", str(db_ingest), "--reports", str(kept),
                        *map(str, extra)], stores.cli_env())
    out.append({"what": "ingest 100 new files into it", "seconds": round(run.seconds, 2), "cpu_s": round(run.cpu_seconds, 1),
                "peak_rss_mb": round(run.peak_rss_mb), "failed": sum(1 for line in run.stdout.splitlines()
                                                                     if line.startswith("失败")),
                "loadavg": stores._load()})
    return out


# ---------------------------------------------------------------------------
# the table


def _fmt(x, digits=0) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    return f"{x:,}" if isinstance(x, int) else str(x)


def render(results: dict) -> str:
    if results.get("ocr"):  # `bench --ocr` runs only the OCR section
        return render_ocr(results["ocr"])
    lines = []
    add = lines.append
    if results.get("extraction"):  # absent from a --links run
        add("\n== extraction, one core (read + parse + resolve + audit)")
        add(f"{'set':<20}{'files':>7}{'reports/s':>11}{'ms/report':>11}{'mean KB':>9}")
    for r in results.get("extraction", []):
        add(f"{r['set']:<20}{r['files']:>7}{r['reports_per_s']:>11.0f}{r['ms_per_report']:>11.2f}{r['mean_kb']:>9.1f}")
    if results.get("per_mb"):
        add("\n== one large text table, CPU seconds per MB (flat = linear in the file's size)")
        add("  " + "; ".join(f"{r['mb']} MB: {r['cpu_s']} s ({r['s_per_mb']} s/MB)" for r in results["per_mb"]))
    if results.get("builds"):
        add("\n== store builds (CLI in a subprocess; peak memory = build + workers)")
        add(f"{'what':<48}{'wall s':>8}{'CPU s':>8}{'load':>6}{'MB file':>9}{'MB peak':>9}{'docs':>8}"
            f"{'indicators':>12}{'failed':>7}")
    for b in results.get("builds", []):
        add(f"{b['what'][:47]:<48}{_fmt(b.get('seconds'), 1):>8}{_fmt(b.get('cpu_s'), 1):>8}"
            f"{_fmt(b.get('loadavg'), 1):>6}{_fmt(b.get('size_mb'), 1):>9}"
            f"{_fmt(b.get('peak_rss_mb')):>9}{_fmt(b.get('documents')):>8}{_fmt(b.get('indicators')):>12}"
            f"{_fmt(b.get('failed')):>7}")
    for tier, data in results.get("pages", {}).items():
        c = data["counts"]
        add(f"\n== pages at {tier}: {c['documents']:,} reports, {c['regions']:,} regions, "
            f"{c['indicators']:,} indicators, {c['source_lines']:,} source lines")
        add(f"{'page / query':<40}{'first ms':>9}{'rerun ms':>9}{'app p50':>9}{'app p95':>9}{'duckdb':>8}"
            f"{'×floor':>7}{'pandas':>9}{'×app':>7}{'rows':>8}")
        for page in data["pages"]:
            err = f"  ERROR {page['error'][:80]}" if page.get("error") else ""
            add(f"{page['page']:<40}{_fmt(page.get('first_ms')):>9}{_fmt(page.get('rerun_ms')):>9}{err}")
            for q in page.get("queries", []):
                if "error" in q:
                    add(f"  {q['query']:<38}  ERROR {q['error'][:80]}")
                    continue
                add(f"  {q['query']:<38}{'':>18}{q['app']['p50_ms']:>9.1f}{q['app']['p95_ms']:>9.1f}"
                    f"{q['duckdb']['p50_ms']:>8.1f}{q['app_vs_duckdb']:>7.2f}{q['pandas']['p50_ms']:>9.0f}"
                    f"{q['pandas_vs_app']:>7.0f}{q['rows']:>8}")
    acc = results.get("accuracy")
    if acc:
        add(f"\n== accuracy against the synthetic truth: {acc['fields_correct']:,}/{acc['fields']:,} fields "
            f"({acc['pct']}%), {acc['documents']} documents, {acc['refused']} refused")
        worst = sorted(acc["by_kind"].items(), key=lambda kv: kv[1]["pct"])[:8]
        add("  weakest field kinds: " + ", ".join(f"{k} {v['pct']}% ({v['correct']}/{v['total']})" for k, v in worst))
        add("  most frequent misses: " + ", ".join(f"{k} ×{n}" for k, n in acc["top_misses"][:8]))
    planted = results.get("planted")
    if planted:
        add("  planted inconsistencies found by the audit: " + ", ".join(
            f"{k} {v['found']}/{v['planted']}" + (f" (+{v['flagged_unplanted']} unplanted)" if v["flagged_unplanted"] else "")
            for k, v in planted.items()))
    if results.get("links"):
        add("\n== " + format_score(results["links"]))
    if results.get("export"):
        add(f"\n== export pack: {results['export']}")
    load = results.get("load")
    if load:
        add(f"\n== a room of users: sessions opening pages at once (seed store, {load.get('cpus')} CPUs, "
            f"load {load.get('loadavg_end')} at the end)")
        for run in load.get("runs", []):
            add(f"  {run.get('mode', ''):<8}{run['sessions']:>3} × {','.join(run['pages']):<44} {format_run(run)}")
        if load.get("browser_skipped"):
            add(f"  browsers skipped: {load['browser_skipped']}")
    met = targets(results)
    if met:
        add("\n== targets (issue 9)")
        add("\n".join(met))
    return "\n".join(lines)


def targets(results: dict) -> list[str]:
    """Issue 9's targets: no page error at any size; the speed targets at the
    million-indicator store (x10k), where they are stated."""
    out = []
    out += _load_targets(results.get("load") or {})
    for b in results.get("builds", []):
        if b["what"].startswith("build 10,000"):
            ok = b["seconds"] < TARGETS["build_10k_s"]
            out.append(f"  {'met ' if ok else 'MISSED'}  10,000 reports built in {b['seconds']} s (target < 60 s; "
                       f"CPU {b.get('cpu_s')} s, load {b.get('loadavg')})")
    for tier, data in results.get("pages", {}).items():
        pages = data["pages"]

        def line(ok, text, tier=tier):
            return f"  {'met ' if ok else 'MISSED'}  {tier}: {text}"

        errors = [p["page"] for p in pages if p.get("error")]
        out.append(line(not errors, f"no page error ({', '.join(errors) or 'none'})"))
        if tier != "x10k":
            continue
        reruns = {p["page"]: p.get("rerun_ms") or 0 for p in pages if not p.get("error")}
        queries = [q for p in pages for q in p.get("queries", []) if "error" not in q]
        slow_pages = [f"{k} {v:,.0f} ms" for k, v in reruns.items() if v >= TARGETS["page_rerun_ms"]]
        out.append(line(not slow_pages, "every page rerun < 500 ms" + (f" (over: {', '.join(slow_pages)})" if slow_pages else "")))
        slow = sorted({q["query"] for q in queries if q["app"]["p95_ms"] >= TARGETS["query_p95_ms"]})
        out.append(line(not slow, f"every query p95 < 50 ms ({len(slow)} of {len({q['query'] for q in queries})} over"
                        + (f": {', '.join(slow)})" if slow else ")")))
        far = sorted({q["query"] for q in queries if q["app_vs_duckdb"] > TARGETS["app_vs_duckdb"]})
        out.append(line(not far, f"app path within 1.5× of raw DuckDB ({len(far)} over" + (f": {', '.join(far)})" if far else ")")))
        near = sorted({q["query"] for q in queries if q["pandas_vs_app"] < TARGETS["pandas_vs_app"]})
        out.append(line(not near, f"load-all pandas ≥ 10× slower than the app ({len(near)} under"
                        + (f": {', '.join(near)})" if near else ")")))
    return out


def _load_targets(load: dict) -> list[str]:
    """Issue 21's: 20 sessions at once with p95 under 5 s (the server's side: each
    person's browser on their own machine), and the first chart on 总览 under 2 s
    for one browser."""
    out = []
    for run in load.get("runs", []):
        p95 = run.get("load", {}).get("p95_s")
        if run["pages"] == ["/"] and run["sessions"] >= 20 and p95 is not None:
            ok = p95 < TARGETS["room_p95_s"]
            where = ("on the wire" if run.get("mode") == "server" else "in browsers on this machine (their CPU counted)")
            out.append(f"  {'met ' if ok else 'MISSED'}  {run['sessions']} sessions open 总览 at once, p95 {p95} s "
                       f"{where} (target < 5 s)")
        first = run.get("first_chart", {}).get("p50_s")
        if run.get("mode") == "browser" and run["pages"] == ["/"] and run["sessions"] == 1 and first is not None:
            ok = first < TARGETS["first_chart_s"]
            out.append(f"  {'met ' if ok else 'MISSED'}  first chart on 总览 in one browser {first} s (target < 2 s)")
    return out
