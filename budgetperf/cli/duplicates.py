"""`budgetperf duplicates list|decide`: probable duplicates (the same report in
another file) and editors' verdicts on them, from the command line; the 数据管理
page does the same (both go through `storing.duplicates`). Messages are Chinese;
exit status as in `cli.main`."""

from __future__ import annotations

from pathlib import Path

from budgetperf.changes import duplicates
from budgetperf.cli.shared import add_store_arguments, finish, print_records, query_store, store_or_exit
from budgetperf.storing import duplicates as deciding
from budgetperf.storing import intake


def cmd_list(args) -> int:
    db = store_or_exit(args.db)
    status = None if args.all else duplicates.PROBABLE
    df = query_store(db, "manage/duplicates", status=status)
    if args.json:
        print_records(df, date_format="iso")
        return 0
    if df.empty:
        print("没有待判定的可能重复报告" if status else "没有可能重复的报告")
        return 0
    for row in df.itertuples():
        decided = f"（{row.decided_by} {row.decided_at}：{row.decision_reason}）" if row.decided_by else ""
        print(f"[{row.status_zh}] {row.file} ↔ 计入的《{row.original_file}》：{row.reason_zh}{decided}")
    print(f"共 {len(df)} 对；判定：budgetperf duplicates decide 副本文件 同一份报告|不是同一份 --reason 理由")
    return 0


def print_flagged(db: Path) -> None:
    """After a build: each file left out as a probable duplicate, one line each."""
    df = query_store(db, "manage/duplicates", status=duplicates.PROBABLE)
    for row in df.itertuples():
        print(f"可能重复　{row.file}：可能与《{row.original_file}》为同一份报告（{row.reason_zh}），暂不计入统计")
    if len(df):
        print(f"  {len(df)} 份文件待判定：budgetperf duplicates list")


def cmd_decide(args) -> int:
    report = deciding.decide(args.document, args.verdict, args.reason, intake.cli_editor(), original=args.original,
                             via="cli", db_path=args.db)
    if report.ok:
        print(report.message_zh)
    return finish(report)


def add_parser(sub) -> None:
    p = sub.add_parser("duplicates", help="可能重复的报告（同一份报告的另一个文件）：列出、判定")
    add_store_arguments(p)
    sub2 = p.add_subparsers(dest="action", required=True, metavar="操作")
    q = sub2.add_parser("list", help="列出待判定的可能重复报告（--all 含已判定的）")
    q.add_argument("--all", action="store_true")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_list)
    q = sub2.add_parser("decide", help="判定：duplicates decide 副本.pdf 同一份报告 --reason 逐项核对一致")
    q.add_argument("document", help="副本的文件名或文档编号（不计入统计的那一份）")
    q.add_argument("verdict", help="同一份报告（不计入统计）或 不是同一份（两份都计入）；也可写 same / distinct")
    q.add_argument("--original", help="它重复的文件（有多份时指明；默认为计入的那一份）")
    q.add_argument("--reason", required=True, help="判定理由")
    q.set_defaults(func=cmd_decide)

