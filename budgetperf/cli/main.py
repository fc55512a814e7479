"""Command line: `budgetperf build|ingest|delete|extract|score|check-score|check|info|export|log|editor-hash|corrections|duplicates|synth|bench`.

Installed as the `budgetperf` console command (pyproject.toml; `make venv` installs
it into .venv), and also runs as `python -m budgetperf`. Messages are Chinese;
`--json` output has English keys. Exit status: 0 ok, 1 some file failed, 2 the
command could not run (no store, store busy, disk full …).

Writes (`build`, `ingest`, `delete`) go through `intake`, the same functions the
数据管理 page uses: one writer at a time (the others wait), a new store published
atomically, originals kept in the reports folder, each write in the write log under
``命令行:<user>``. The app may stay open meanwhile.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from budgetperf import settings
from budgetperf.cli.shared import (
    add_store_arguments,
    error,
    note_log_problem,
    print_records,
    query_store,
    store_or_exit,
)

STATUS_WIDTH = 3  # 新增/重复/替换/失败/已删除, padded with full-width spaces


def _label(status_zh: str) -> str:
    return status_zh + "\u3000" * max(0, STATUS_WIDTH - len(status_zh))


def _result_dict(p) -> dict:
    r = p.result
    return {"file": p.incoming.name, "batch": p.incoming.batch, "stored_as": p.stored_as, "status": r.status,
            "status_zh": p.status_zh,
            "doc_id": r.doc_id, "projects": r.projects, "indicators": r.indicators, "checks": r.checks,
            "duplicate_of": r.duplicate_of, "reason": r.reason_en, "reason_zh": r.reason_zh,
            # the same report stored in another file (probable duplicate) or another version of it
            "same_report": p.same_report.__dict__ if p.same_report else None}


def _cmd_build(args) -> int:
    from budgetperf.storing import intake
    from budgetperf.storing.extracting import IngestResult

    folder = Path(args.reports or settings.get("BUDGETPERF_REPORTS_DIR"))
    if not folder.is_dir():
        return error(f"找不到报告文件夹：{folder}")
    results, log_problem = intake.rebuild(intake.cli_editor(), db_path=args.db, reports_dir=folder)
    db = args.db or settings.get("BUDGETPERF_DB")
    if args.json:
        json.dump({"store": str(db), "results": [r.__dict__ for r in results]}, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for r in results:
            assert isinstance(r, IngestResult)
            if r.status == "failed":
                print(f"{_label('失败')}{r.file}：{r.reason_zh}")
            elif r.status == "unchanged":
                print(f"{_label('重复')}{r.file}：与文件夹中另一个文件内容相同，只入库一次")
            else:
                review = f"；需复核：{'；'.join(r.needs_review)}" if r.needs_review else ""
                print(f"{_label('入库')}{r.file}：{r.projects} 个项目，{r.indicators} 个指标，{r.checks} 条审核发现{review}")
        print(f"已生成数据库：{db}")
        _print_summary(Path(db))
        from budgetperf.cli.duplicates import print_flagged

        print_flagged(Path(db))
    note_log_problem(log_problem)
    return 1 if any(r.status == "failed" for r in results) else 0


def _ocr_progress(name: str, page: int, pages: int) -> None:
    """Per-page progress of OCR on stderr (a scanned report takes seconds a page)."""
    print(f"  文字识别 {name}：第 {page}/{pages} 页", file=sys.stderr, flush=True)


def _cmd_ingest(args) -> int:
    from budgetperf.reading.ocr import progress_to
    from budgetperf.storing import intake
    from budgetperf.storing.reference import load_reference

    ref = load_reference()
    with progress_to(_ocr_progress):  # a .zip batch is unpacked: one result line per member
        prepared = intake.prepare([intake.Incoming.from_path(f) for f in args.files], ref)
    report = intake.add_reports(prepared, intake.cli_editor(), via="cli", db_path=args.db,
                                reports_dir=args.reports, ref=ref)
    if args.json:
        json.dump({"results": [_result_dict(p) for p in report.items]}, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for p in report.items:
            print(f"{_label(p.status_zh)}{p.incoming.shown}：{p.message_zh}")
    note_log_problem(report.log_problem)
    return 1 if report.has_failures else 0


def _cmd_delete(args) -> int:
    from budgetperf.storing import intake
    from budgetperf.storing.store import connect

    db = store_or_exit(args.db)
    with connect(db) as con:
        rows = con.execute("select doc_id, file from documents").fetchall()
    by_name = {file: doc_id for doc_id, file in rows}
    ids = {doc_id for doc_id, _ in rows}
    wanted, unknown = [], []
    for item in args.documents:
        name = Path(item).name
        if item in ids:
            wanted.append(item)
        elif name in by_name:
            wanted.append(by_name[name])
        else:
            unknown.append(item)
    report = intake.delete_reports(wanted, intake.cli_editor(), via="cli", db_path=db, reports_dir=args.reports)
    if args.json:
        out = [{"doc_id": d.doc_id, "file": d.file, "status": d.status, "archived_to": d.archived_to,
                "reason_zh": d.reason_zh} for d in report.items]
        out += [{"doc_id": None, "file": u, "status": "missing"} for u in unknown]
        json.dump({"results": out}, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for d in report.items:
            if d.status == "deleted":
                where = f"，原件已移到 {d.archived_to}" if d.archived_to else "（报告文件夹中没有它的原件）"
                print(f"{_label('已删除')}{d.file}：文档及其全部数据已删除{where}")
            else:
                print(f"{_label(d.status_zh)}{d.file or d.doc_id}：{d.reason_zh or '库中没有这份文档'}")
        for u in unknown:
            print(f"{_label('不存在')}{u}：库中没有这个文件名或文档编号")
    note_log_problem(report.log_problem)
    return 1 if report.has_failures or unknown else 0


def _cmd_extract(args) -> int:
    from budgetperf.storing.extracting import extract_to_dicts
    from budgetperf.storing.reference import load_reference

    documents, failures = extract_to_dicts(args.files, load_reference())
    out = {"documents": documents}
    if failures:
        out["failures"] = failures
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for doc in out["documents"]:
            print(f"{doc['file']}：{doc['region']} {doc['unit']} {doc['year']} {'、'.join(doc['doc_kinds'])}")
            for r in doc["needs_review"]:
                print(f"  需复核：{r['message']}")
            for p in doc["projects"]:
                print(f"  [{p['kind']}] {p['name']}：预算 {p['budget_initial']} 执行 {p['executed']} "
                      f"总分 {p['total_score']} 等级 {p['grade']} 指标 {len(p['indicators'])} 个")
                for r in p["needs_review"]:
                    print(f"    需复核：{r['message']}")
        for f in failures:
            print(f"{_label('失败')}{f['file']}：{f['error_zh']}")
    return 1 if failures else 0


def _cmd_score(args) -> int:
    from budgetperf.bench.scoring import documents_of, format_report, score_documents
    from budgetperf.storing.extracting import extract_to_dicts
    from budgetperf.storing.reference import load_reference

    key = documents_of(json.loads(Path(args.key).read_text(encoding="utf-8")))
    given = {Path(f).name for f in args.files}
    key = [d for d in key if d["file"] in given]  # score what was given; a refused file still counts
    documents, failures = extract_to_dicts(args.files, load_reference())
    score = score_documents(key, documents_of(documents))
    print(format_report(score, verbose=not args.quiet))
    for f in failures:
        print(f"REFUSED {f['file']}: {f['error']}")
    if args.floor is not None and score.pct < args.floor:
        print(f"below the floor: {score.pct:.1f}% < {args.floor}%")
        return 1
    return 0


def _cmd_check_score(args) -> int:
    from budgetperf.bench.checks import findings_of, findings_of_extractions, format_check_report, score_checks
    from budgetperf.bench.scoring import documents_of
    from budgetperf.reading import ReadError
    from budgetperf.storing.extracting import extract_file
    from budgetperf.storing.reference import load_reference

    key = documents_of(json.loads(Path(args.key).read_text(encoding="utf-8")))
    if args.findings:
        findings = findings_of(json.loads(Path(args.findings).read_text(encoding="utf-8")))
    else:
        ref, extractions = load_reference(), []
        for path in args.files:
            try:
                extractions.append(extract_file(path, ref))
            except ReadError as exc:
                print(f"REFUSED {Path(path).name}: {exc.message_en}")
        findings = findings_of_extractions(extractions)
        given = {Path(f).name for f in args.files}
        key = [d for d in key if d["file"] in given]  # score what was given; a refused file still counts
    score = score_checks(key, findings)
    print(format_check_report(score, verbose=not args.quiet))
    if args.floor is not None and score.pct_ew < args.floor:
        print(f"below the floor: {score.pct_ew:.1f}% < {args.floor}%")
        return 1
    return 0


def _cmd_check(args) -> int:
    # The same query as the 审核 page, so the CLI prints what the page lists.
    df = query_store(store_or_exit(args.db), "audit/findings", regions=args.region or None, years=args.year or None)
    if args.json:
        print_records(df)
        return 0
    for row in df.itertuples():
        lines = f"第 {row.line_start}–{row.line_end} 行" if row.line_start else ""
        print(f"[{row.severity_zh}] {row.region} {row.year} {row.file} {lines}：{row.what}")
    print(f"共 {len(df)} 条审核发现")
    return 0


SUMMARY_TABLES = (("documents", "文档", "份"), ("projects", "项目", "个"), ("indicators", "指标", "个"),
                  ("checks", "审核发现", "条"))


def _print_summary(db: Path) -> bool:
    """Print what the store holds; returns whether it was built by another version
    (a damaged store raises health.StoreCorrupt)."""
    from budgetperf.storing import health

    con, is_outdated = health.open_checked(db)
    with con:
        counts = [(label, con.execute(f"select count(*) from {table}").fetchone()[0], unit)
                  for table, label, unit in SUMMARY_TABLES]
    for label, n, unit in counts:
        print(f"  {label}：{n} {unit}")
    return is_outdated


def _cmd_info(args) -> int:
    from budgetperf.storing import health

    db = store_or_exit(args.db)
    print(f"数据库：{db}")
    if _print_summary(db):
        print(f"注意：{health.outdated(db).message_zh}")
    return 0


def _cmd_export(args) -> int:
    from budgetperf.cli.export import run_export

    return run_export(args)


def _cmd_log(args) -> int:
    from budgetperf.changes import writelog

    entries = writelog.read(limit=args.limit)
    if args.json:
        json.dump([e.__dict__ for e in entries], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if not entries:
        print(f"还没有写入记录（{writelog.log_path()}）")
    for e in entries:
        action = writelog.ACTION_ZH.get(e.action, e.action)
        outcome = writelog.OUTCOME_ZH.get(e.outcome, e.outcome)
        print(f"{e.at}  {e.editor}  {action}  {e.file or ''}  {outcome}  {e.detail or ''}".rstrip())
    return 0


def _cmd_editor_hash(args) -> int:
    import getpass

    from budgetperf.changes import editors

    name = args.name.strip()
    if not name or len(name) > editors.MAX_NAME_CHARS or any(c in name for c in "=;\n\"\\"):
        return error(f"编辑名须为 1–{editors.MAX_NAME_CHARS} 个字符，且不含 = ; \" \\")
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"为「{name}」设置密码：")
        if getpass.getpass("再输入一次：") != password:
            return error("两次输入的密码不一致")
    if len(password) < 8:
        return error("密码至少 8 个字符")
    line = f"{json.dumps(name, ensure_ascii=False)} = \"{editors.hash_password(password)}\""
    print("把下面这一行加到 .streamlit/secrets.toml 的 [editors] 段（文件不存在就新建，第一行写 [editors]），"
          "然后重启应用：", file=sys.stderr)
    print(line)
    print(f"或在环境变量中设置：BUDGETPERF_EDITORS='{name}={editors.hash_password(password)}'"
          "（多个编辑用 ; 分隔）", file=sys.stderr)
    return 0


def _cmd_synth(args) -> int:
    from budgetperf.synth.corpus import write_corpus

    try:
        first, _, last = args.years.partition("-")
        summary = write_corpus(args.out, args.regions, (int(first), int(last or first)), args.seed, args.units,
                               tuple(f.strip() for f in args.formats.split(",") if f.strip()), args.workers)
    except ValueError as exc:
        return error(str(exc))
    print(f"合成数据（不是真实报告）：{summary.documents} 份报告，{summary.indicators} 个指标，"
          f"{summary.regions} 个地区，{summary.provinces} 个省；格式 "
          + "、".join(f"{k} {n}" for k, n in sorted(summary.by_format.items())))
    print(f"报告：{summary.out / 'reports'}\n答案：{summary.out / 'truth.json'}")
    return 0


def _cmd_bench(args) -> int:
    from budgetperf.bench import main as bench_main

    return bench_main(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="budgetperf", description="budgetperf：预算绩效评价报告 → DuckDB 数据库")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser("build", help="从报告文件夹重建数据库")
    add_store_arguments(p, reports_help="报告文件夹（默认 BUDGETPERF_REPORTS_DIR，即 data/reports）", json=True)
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("ingest", help="导入报告文件（.zip 压缩包逐个导入其中的报告；原件保存到报告文件夹）")
    add_store_arguments(p, reports_help="保存原件的报告文件夹（默认 BUDGETPERF_REPORTS_DIR）", json=True)
    p.add_argument("files", nargs="+", metavar="文件")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("delete", help="删除文档及其全部数据（原件移到归档文件夹）")
    add_store_arguments(p, reports_help="报告文件夹（默认 BUDGETPERF_REPORTS_DIR）", json=True)
    p.add_argument("documents", nargs="+", metavar="文件名或文档编号")
    p.set_defaults(func=_cmd_delete)

    p = sub.add_parser("extract", help="只抽取、不入库，显示抽取结果")
    p.add_argument("files", nargs="+", metavar="文件")
    p.add_argument("--json", action="store_true", help="输出与 tests/seed_facts.json 同形的 JSON")
    p.set_defaults(func=_cmd_extract)

    p = sub.add_parser("score", help="抽取文件并与答案逐字段比对（开发用；输出为英文）")
    p.add_argument("key", help="answer key JSON ({\"documents\": [...]}, the shape of extract --json)")
    p.add_argument("files", nargs="+")
    p.add_argument("--floor", type=float, help="exit 1 when accuracy is below this percentage")
    p.add_argument("--quiet", action="store_true", help="totals only, no list of misses")
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser("check-score", help="审核发现与答案的 checks 比对（开发用；输出为英文）")
    p.add_argument("key", help="answer key JSON whose documents carry `checks`")
    p.add_argument("files", nargs="*", help="report files to extract and audit (or give --findings)")
    p.add_argument("--findings", help="score this `check --json` output instead of extracting files")
    p.add_argument("--floor", type=float, help="exit 1 when error+warning recall is below this percentage")
    p.add_argument("--quiet", action="store_true", help="unmatched findings and totals only, no misses")
    p.set_defaults(func=_cmd_check_score)

    p = sub.add_parser("check", help="显示审核发现")
    add_store_arguments(p, json=True)
    p.add_argument("--region", action="append", help="只看该地区（可重复）")
    p.add_argument("--year", action="append", type=int, help="只看该年度（可重复）")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("info", help="数据库里有什么")
    add_store_arguments(p)
    p.set_defaults(func=_cmd_info)

    p = sub.add_parser("export", help="把某页的图表导出为 PNG、ZIP、XLSX 或 PPTX")
    add_store_arguments(p)
    p.add_argument("--page", required=True, help="页面：overview、execution、indicators、scores、regions、audit 或中文页名")
    p.add_argument("--year", action="append", type=int, help="筛选年度（可重复）")
    p.add_argument("--region", action="append", help="筛选地区（可重复）")
    p.add_argument("--format", choices=("png", "zip", "xlsx", "pptx"), required=True)
    p.add_argument("--out", required=True, help="输出文件")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("log", help="显示写入记录（谁、何时、导入或删除了什么）")
    p.add_argument("--limit", type=int, default=50, help="最近多少条（默认 50）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_log)

    p = sub.add_parser("editor-hash", help="为编辑账号生成密码哈希（写入 .streamlit/secrets.toml）")
    p.add_argument("name", metavar="编辑名")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（脚本用）")
    p.set_defaults(func=_cmd_editor_hash)

    p = sub.add_parser("synth", help="生成合成语料（合成数据，不是真实报告）及其答案 truth.json")
    p.add_argument("--regions", type=int, required=True, help="地区数（取自 regions.csv，跨多个省）")
    p.add_argument("--years", default="2019-2025", help="年度范围，如 2019-2025")
    p.add_argument("--seed", type=int, default=1, help="随机种子：同样的参数生成同样的文件")
    p.add_argument("--out", required=True, help="输出文件夹（写入 reports/ 与 truth.json；不可为 data/reports）")
    p.add_argument("--units", type=int, default=3, help="每个地区的填报单位数（默认 3）")
    p.add_argument("--formats", default="txt,docx,xlsx,pdf", help="生成哪些格式，逗号分隔")
    p.add_argument("--workers", type=int, help="进程数（默认 2）")
    p.set_defaults(func=_cmd_synth)

    from budgetperf.bench import add_arguments
    from budgetperf.cli.corrections import add_parser as add_corrections_parser
    from budgetperf.cli.duplicates import add_parser as add_duplicates_parser

    add_corrections_parser(sub)
    add_duplicates_parser(sub)
    p = sub.add_parser("bench", help="基准测试：抽取、建库、各页面与查询耗时、合成数据准确率（输出为英文）")
    add_arguments(p)
    p.set_defaults(func=_cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    import duckdb

    from budgetperf.errors import UserError
    from budgetperf.storing import health, publish
    from budgetperf.storing.store import QueryError

    args = build_parser().parse_args(argv)
    try:
        # a write a killed writer left half-done is finished (or undone) first
        publish.recover_pending(getattr(args, "db", None) or settings.get("BUDGETPERF_DB"))
        return args.func(args)
    except UserError as exc:  # store busy or damaged, disk full, no permission …
        return error(exc.message_zh)
    except FileNotFoundError as exc:
        return error(f"找不到文件或文件夹：{exc.filename or exc}")
    except OSError as exc:  # a folder that cannot be written, a disk that is full
        return error(publish.oserror(exc, exc.filename or "").message_zh)
    except (duckdb.Error, QueryError) as exc:  # reading the store failed half-way
        db = getattr(args, "db", None) or settings.get("BUDGETPERF_DB")
        if health.is_corruption(exc):
            return error(health.corrupt(db, exc).message_zh)
        return error(f"读取数据库失败（{exc}）。如果数据库由旧版本生成，运行 `budgetperf build` 重新生成。")
    except KeyboardInterrupt:
        return error("已中断；数据库保持中断前的状态")
    except BrokenPipeError:  # `budgetperf info | head`: the reader left, not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
