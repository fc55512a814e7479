"""`budgetperf corrections list|add|undo|export|import`: people's corrections from
the command line (the 数据校对 page does the same in the app; both go through
`storing.committing`). Editors' statuses of audit findings are listed and exported
with them (they live in their own log, `changes.finding_status`). Messages are
Chinese; exit status as in `cli.main`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from budgetperf.changes import corrections, finding_status
from budgetperf.changes.corrections import FIELDS, STATUS_ZH
from budgetperf.cli.shared import add_store_arguments, error, finish, store_or_exit, store_path
from budgetperf.storing import committing, intake, store


def _field(name: str) -> str | None:
    if name in FIELDS:
        return name
    return next((key for key, (_, _, label) in FIELDS.items() if label == name or label.split("（")[0] == name), None)


def _all_records() -> list:
    """Corrections and finding statuses, oldest first, as one trail."""
    return sorted([*corrections.load(), *corrections.load(finding_status.log_path())], key=lambda c: c.at)


def _find_document(con, item: str):
    row = con.execute("select doc_id, file, content_hash from documents where doc_id = ? or file = ?",
                      [item, Path(item).name]).fetchone()
    return row


def cmd_list(args) -> int:

    records = _all_records()
    shown = records if args.all else corrections.active(records)
    status = {}
    db = store_path(args.db)
    if db.is_file():
        with store.connect(db) as con:
            status = dict(con.execute("select correction_id, status_zh from corrections_applied").fetchall())
            status |= {cid: STATUS_ZH[outcome] for cid, outcome in
                       con.execute("select correction_id, outcome from finding_statuses").fetchall()}
    if args.file:
        shown = [c for c in shown if c.file == Path(args.file).name or c.doc_hash.startswith(args.file)]
    if args.json:
        json.dump([{**c.__dict__, "store_status": status.get(c.id)} for c in shown], sys.stdout,
                  ensure_ascii=False, indent=1)
        print()
        return 0
    if not shown:
        print(f"没有{'' if args.all else '生效中的'}更正（{corrections.corrections_path()}）")
    undone = {c.undoes for c in records if c.undoes}
    for c in shown:
        if c.undoes:
            state = f"撤销 {c.undoes}"
        elif c.id in undone:
            state = "已撤销"
        else:
            state = status.get(c.id, "库中无此文档")
        print(f"{c.id}  {c.at}  {c.editor}  {c.file or c.doc_hash[:16]}  {c.target_zh}："
              f"{c.old_value or '（空）'} → {c.new_value or '（空）'}  [{state}]  {c.reason}")
    return 0


def cmd_add(args) -> int:

    field_name = _field(args.field)
    if field_name is None:
        known = "、".join(f"{k}（{label}）" for k, (_, _, label) in corrections.FIELDS.items())
        return error(f"不能更正的字段：{args.field}；可用字段：{known}")
    db = store_or_exit(args.db)
    with store.connect(db) as con:
        found = _find_document(con, args.document)
        if found is None:
            return error(f"库中没有这个文件名或文档编号：{args.document}")
        doc_id, file, content_hash = found
        old = committing.current_value(con, doc_id, field_name, args.project, args.indicator, args.seq)
    try:
        record = corrections.make(content_hash, field_name, args.value, project=args.project, indicator=args.indicator,
                                  indicator_seq=args.seq, old_value=old, reason=args.reason, file=file)
    except corrections.CorrectionError as exc:
        return error(exc.message_zh)
    report = committing.submit([record], intake.cli_editor(), via="cli", db_path=db, reports_dir=args.reports)
    return _report(report, args)


def cmd_undo(args) -> int:
    report = committing.undo(args.ids, intake.cli_editor(), args.reason, via="cli", db_path=args.db,
                             reports_dir=args.reports)
    return _report(report, args)


def cmd_export(args) -> int:
    n = corrections.export_records(args.out, _all_records())
    print(f"已导出 {n} 条记录（更正与撤销）到 {args.out}")
    return 0


def cmd_import(args) -> int:
    if not Path(args.file).is_file():
        return error(f"找不到文件：{args.file}")
    try:
        report = committing.import_file(args.file, intake.cli_editor(), via="cli", db_path=args.db,
                                        reports_dir=args.reports)
    except (ValueError, TypeError, KeyError) as exc:
        return error(f"不是更正记录文件：{args.file}（{exc}）")
    return _report(report, args)


def _report(report, args) -> int:
    if getattr(args, "json", False):
        json.dump({"ok": report.ok, "message_zh": report.message_zh, "files": report.documents,
                   "applied": [{"id": a.correction.id, "status": a.status, "extracted": a.extracted}
                               for a in report.applied]}, sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif report.ok:
        print(report.message_zh)
        for a in report.applied:
            c = a.correction
            print(f"  {c.id}  {c.target_zh}：{a.extracted or '（空）'} → {c.new_value or '（空）'}  [{STATUS_ZH[a.status]}]")
    return finish(report)


def add_parser(sub) -> None:
    p = sub.add_parser("corrections", help="人工更正：列出、添加、撤销、导出、导入")
    add_store_arguments(p, reports_help="报告文件夹（默认 BUDGETPERF_REPORTS_DIR），重新提取时从这里读原件")
    sub2 = p.add_subparsers(dest="action", required=True, metavar="操作")
    q = sub2.add_parser("list", help="列出生效中的更正（--all 含已撤销）")
    q.add_argument("--all", action="store_true")
    q.add_argument("--file", help="只看某个文件（文件名或文档编号）")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_list)
    q = sub2.add_parser("add", help="更正一个值，例如：corrections add 报告.docx budget_initial 120 --project 某项目 --reason 核对原文第12行")
    q.add_argument("document", help="文件名或文档编号")
    q.add_argument("field", help="字段（budget_initial、executed、indicator.score … 或中文名）")
    q.add_argument("value", help="新值（空字符串表示清空）")
    q.add_argument("--project", help="项目名称（项目和指标字段必填，按库中显示的名称）")
    q.add_argument("--indicator", help="指标名称（指标字段必填）")
    q.add_argument("--seq", type=int, help="指标在项目中的行号（同名指标时用）")
    q.add_argument("--reason", required=True, help="更正原因")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_add)
    q = sub2.add_parser("undo", help="撤销更正（按编号）")
    q.add_argument("ids", nargs="+")
    q.add_argument("--reason", default="撤销")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_undo)
    q = sub2.add_parser("export", help="把全部更正记录导出为文件（JSON lines），供另一套系统导入")
    q.add_argument("out")
    q.set_defaults(func=cmd_export)
    q = sub2.add_parser("import", help="导入另一套系统导出的更正记录")
    q.add_argument("file")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_import)
