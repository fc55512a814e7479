"""People's verdicts on probable duplicates take effect: the write path of
`changes.duplicates`, shared by the 数据管理 page and ``budgetperf duplicates``.

A verdict changes no fact, so nothing is extracted again: the decision is staged
in the draft (`schema.stage_decisions`), the publish works the duplicates out
with it (`schema.apply_duplicates`) and rebuilds the marts, and the decision
reaches its log (with the write log entry) only with the published store, as one
journaled step (`journal`), like a finding's status. A document that is gone, or
that is no longer a probable duplicate of the one named, gets a Chinese reason
and nothing is written.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from budgetperf import settings
from budgetperf.changes import duplicates, writelog
from budgetperf.changes.duplicates import Decision, DecisionError
from budgetperf.errors import UserError
from budgetperf.storing import journal, publish, schema


class DecisionWriteError(UserError, ValueError):
    """A verdict that cannot take effect (its documents are gone or no longer a pair)."""


@dataclass
class DecisionReport:
    ok: bool
    message_zh: str
    decision: Decision | None = None
    log_problem: str | None = None


def _named(con, name: str) -> tuple[str, str, str] | None:
    """(doc_id, content hash, file) of a stored document named by id or file name."""
    return con.execute("select doc_id, content_hash, file from documents where doc_id = $id or file = $file "
                       "order by doc_id = $id desc limit 1", {"id": str(name), "file": Path(str(name)).name}
                       ).fetchone()


def find_pair(con, copy: str, original: str | None = None) -> tuple[tuple, tuple, str]:
    """The pair a verdict is about: the copy named (by id or file name), and the
    document it repeats (`original`, or the one it is left out for; a pair decided
    「不是同一份」 when it has no other). Returns ((doc_id, hash, file) of each, the
    pair's status); raises DecisionWriteError in Chinese when there is none."""
    doc = _named(con, copy)
    if doc is None:
        raise DecisionWriteError(f"no document {copy!r} in the store",
                                 f"库中找不到文档「{copy}」（可能已被删除），请刷新页面后再试")
    wanted = None
    if original is not None:
        wanted = _named(con, original)
        if wanted is None:
            raise DecisionWriteError(f"no document {original!r} in the store",
                                     f"库中找不到文档「{original}」（可能已被删除），请刷新页面后再试")
    rows = con.execute("""select p.original_doc_id, o.content_hash, o.file, p.status
                          from duplicate_pairs p join documents o on o.doc_id = p.original_doc_id
                          where p.doc_id = ? order by p.status = ? , o.file""",
                       [doc[0], duplicates.DISTINCT]).fetchall()
    if wanted is not None:
        rows = [r for r in rows if r[0] == wanted[0]]
    if not rows:
        other = f"与「{wanted[2]}」" if wanted is not None else ""
        raise DecisionWriteError(f"{doc[2]} is not a probable duplicate",
                                 f"「{doc[2]}」{other}不是可能重复的报告（两份文件的数字不同，或其中一份已删除），无需判定")
    original_id, original_hash, original_file, status = rows[0]
    return doc, (original_id, original_hash, original_file), status


def decide(copy: str, verdict: str, reason: str, editor: str, *, original: str | None = None, via: str = "app",
           db_path=None) -> DecisionReport:
    """Record `editor`'s verdict (同一份报告 / 不是同一份, or same / distinct) on the
    probable duplicate `copy` and the document it repeats, and publish the store
    with it in effect. Never raises for bad input: the report says why in Chinese."""
    if not editor:
        return DecisionReport(False, "请先以编辑身份登录")
    try:
        verdict = duplicates.verdict_of(verdict)
        if not reason or not str(reason).strip():
            raise DecisionError("a decision needs a reason", "请写明判定理由（例如：两份文件的正文与表格逐项核对一致）")
    except DecisionError as exc:
        return DecisionReport(False, exc.message_zh)
    db_path = Path(db_path or settings.get("BUDGETPERF_DB"))
    if not db_path.exists():
        return DecisionReport(False, "还没有数据库，请先导入报告")

    def apply(con) -> Decision:
        doc, orig, _ = find_pair(con, copy, original)  # under the lock: the store as it is now
        record = duplicates.make(doc[1], orig[1], verdict, reason, editor=editor, file=doc[2], original_file=orig[2])
        schema.stage_decisions(con, [record])
        return record

    def plan(record: Decision, intent: journal.Intent) -> None:
        entry = writelog.WriteEntry(
            "duplicate", editor, record.verdict, file=record.file, doc_id=record.doc_hash[:16], via=via,
            detail=f"与《{record.original_file}》：{record.verdict_zh}（{record.reason}）",
            extra={"decision_id": record.id, "original": record.original_file})
        intent.append(duplicates.log_path(), [asdict(record)])
        intent.append(writelog.log_path(), [asdict(entry)])
        kept.append(intent)

    kept: list[journal.Intent] = []
    try:
        record = publish.publish(db_path, apply, plan=plan)
    except (DecisionWriteError, DecisionError, publish.StoreWriteError) as exc:
        return DecisionReport(False, exc.message_zh)
    except (duckdb.Error, OSError) as exc:
        return DecisionReport(False, f"写入失败：{exc}")
    effect = "不计入统计" if record.verdict == duplicates.SAME else "两份都计入统计"
    message = f"已判定「{record.file}」与「{record.original_file}」{record.verdict_zh}：{effect}"
    return DecisionReport(True, message, record, kept[0].problem if kept else None)
