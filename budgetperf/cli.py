"""Command line: `python -m budgetperf build|ingest|extract|score|check|export|info|synth|bench`.

English output (the UI is Chinese). Exit status 1 when any file failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from budgetperf import settings


def _cmd_build(args) -> int:
    from budgetperf.store import build_store

    results = build_store(args.reports, args.db)
    _print_results(results)
    db = args.db or settings.get("BUDGETPERF_DB")
    print(f"store written: {db}")
    _print_summary(db)
    return 1 if any(r.status == "failed" for r in results) else 0


def _cmd_ingest(args) -> int:
    from budgetperf.store import ingest_files

    results = ingest_files(args.db, args.files)
    _print_results(results)
    return 1 if any(r.status == "failed" for r in results) else 0


def _print_results(results) -> None:
    for r in results:
        if r.status == "failed":
            print(f"FAILED   {r.file}: {r.reason_en}")
        else:
            print(f"{r.status:<9}{r.file}: {r.projects} projects, {r.indicators} indicators, {r.checks} checks")


def _cmd_extract(args) -> int:
    documents, failures = _extract_to_dicts(args.files)
    out = {"documents": documents}
    if failures:
        out["failures"] = failures
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for doc in out["documents"]:
            print(f"{doc['file']}: {doc['region']} {doc['unit']} {doc['year']} {', '.join(doc['doc_kinds'])}")
            for p in doc["projects"]:
                print(f"  [{p['kind']}] {p['name']}: budget {p['budget_initial']} executed {p['executed']} "
                      f"score {p['total_score']} grade {p['grade']} indicators {len(p['indicators'])}")
        for f in failures:
            print(f"FAILED {f['file']}: {f['error']}")
    return 1 if failures else 0


def _extract_to_dicts(files) -> tuple[list[dict], list[dict]]:
    """Extract files as `extract --json` does: (documents, failures)."""
    from budgetperf.extract import document_to_dict, extract_file, link_programs
    from budgetperf.readers import ReadError
    from budgetperf.reference import load_reference

    ref = load_reference()
    extractions, failures = [], []
    for path in files:
        try:
            extractions.append(extract_file(path, ref))
        except ReadError as exc:
            failures.append({"file": Path(path).name, "error": exc.message_en, "error_zh": exc.message_zh})
    link_programs(extractions)
    return [document_to_dict(ex) for ex in extractions], failures


def _cmd_score(args) -> int:
    from budgetperf.scoring import documents_of, format_report, score_documents

    key = documents_of(json.loads(Path(args.key).read_text(encoding="utf-8")))
    documents, failures = _extract_to_dicts(args.files)
    score = score_documents(key, documents_of(documents))
    print(format_report(score, verbose=not args.quiet))
    for f in failures:
        print(f"REFUSED {f['file']}: {f['error']}")
    if args.floor is not None and score.pct < args.floor:
        print(f"below the floor: {score.pct:.1f}% < {args.floor}%")
        return 1
    return 0


def _cmd_check(args) -> int:
    from budgetperf.store import connect, run_query

    con = connect(args.db)
    try:
        # The same query as the 审核 page, so the CLI prints what the page lists.
        df = run_query("audit/findings", con=con, regions=args.region or None, years=args.year or None)
    finally:
        con.close()
    if args.json:
        print(df.to_json(orient="records", force_ascii=False, indent=1))
        return 0
    for row in df.itertuples():
        lines = f"L{row.line_start}-{row.line_end}" if row.line_start else ""
        print(f"[{row.severity}] {row.region} {row.year} {row.file} {lines}: {row.what}")
    print(f"{len(df)} findings")
    return 0


def _print_summary(db) -> None:
    from budgetperf.store import connect

    con = connect(db)
    try:
        for table in ("documents", "projects", "indicators", "checks"):
            print(f"  {table}: {con.execute(f'select count(*) from {table}').fetchone()[0]}")
    finally:
        con.close()


def _cmd_info(args) -> int:
    _print_summary(args.db or settings.get("BUDGETPERF_DB"))
    return 0


def _cmd_export(args) -> int:
    from budgetperf.export_cli import run_export

    return run_export(args)


def _cmd_synth(args) -> int:
    from budgetperf.synth.corpus import write_corpus

    try:
        first, _, last = args.years.partition("-")
        years = (int(first), int(last or first))
        summary = write_corpus(args.out, args.regions, years, args.seed, args.units,
                               tuple(f.strip() for f in args.formats.split(",") if f.strip()), args.workers)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"synthetic corpus (合成数据): {summary.documents} reports, {summary.indicators} indicators, "
          f"{summary.regions} regions in {summary.provinces} provinces")
    print("  formats: " + ", ".join(f"{k} {n}" for k, n in sorted(summary.by_format.items())))
    print(f"  reports: {summary.out / 'reports'}\n  truth:   {summary.out / 'truth.json'}")
    return 0


def _cmd_bench(args) -> int:
    from budgetperf.bench import main as bench_main

    return bench_main(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m budgetperf", description="budgetperf: budget-performance reports to DuckDB")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="rebuild the store from a folder of reports")
    p.add_argument("--reports", help="folder of reports (default: data/reports)")
    p.add_argument("--db", help="store path (default: data/budgetperf.duckdb)")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("ingest", help="add report files to the store")
    p.add_argument("--db", help="store path")
    p.add_argument("files", nargs="+")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("extract", help="print what extraction finds, without a store")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true", help="print the answer-key JSON shape")
    p.set_defaults(func=_cmd_extract)

    p = sub.add_parser("score", help="extract files and compare with an answer key, field by field")
    p.add_argument("key", help="answer key JSON ({\"documents\": [...]}, the shape of extract --json)")
    p.add_argument("files", nargs="+")
    p.add_argument("--floor", type=float, help="exit 1 when accuracy is below this percentage")
    p.add_argument("--quiet", action="store_true", help="totals only, no list of misses")
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser("check", help="print audit findings from the store")
    p.add_argument("--db", help="store path")
    p.add_argument("--json", action="store_true")
    p.add_argument("--region", action="append", help="only this region (repeatable)")
    p.add_argument("--year", action="append", type=int, help="only this year (repeatable)")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("info", help="print what the store holds")
    p.add_argument("--db", help="store path")
    p.set_defaults(func=_cmd_info)

    p = sub.add_parser("export", help="export a page's charts as PNG, ZIP, XLSX or PPTX")
    p.add_argument("--db", help="store path")
    p.add_argument("--page", required=True, help="page name, e.g. overview, execution, indicators, scores, regions, audit")
    p.add_argument("--year", action="append", type=int, help="filter year (repeatable)")
    p.add_argument("--region", action="append", help="filter region (repeatable)")
    p.add_argument("--format", choices=("png", "zip", "xlsx", "pptx"), required=True)
    p.add_argument("--out", required=True, help="output file")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("synth", help="write a synthetic corpus (合成数据) and its truth.json answer key")
    p.add_argument("--regions", type=int, required=True, help="number of regions (drawn from regions.csv)")
    p.add_argument("--years", default="2019-2025", help="first-last year, e.g. 2019-2025")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True, help="folder: reports/ and truth.json are written into it")
    p.add_argument("--units", type=int, default=3, help="reporting units per region (default 3)")
    p.add_argument("--formats", default="txt,docx,xlsx,pdf", help="comma-separated formats to produce")
    p.add_argument("--workers", type=int, help="processes (default: 2, or fewer cores)")
    p.set_defaults(func=_cmd_synth)

    from budgetperf.bench import add_arguments

    p = sub.add_parser("bench", help="time extraction, builds, pages and queries; accuracy on synthetic data")
    add_arguments(p)
    p.set_defaults(func=_cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
