"""Making people's changes take effect: the write path of `corrections`,
`finding_status` and `reference_edits`, shared by the app (数据校对, 审核) and the
command line. A finding's status changes no fact: it is appended to its own log
and laid over the findings by the publish itself, with no re-extraction.

A correction takes effect by extracting the documents it concerns again from their
originals in the reports folder, with all their corrections, and replacing their
rows in one published write (`publish.publish`). So the store always holds what a
build from the reports folder would give: a rebuild, an ingest of the same file or
an import on another machine yields the same rows.

Nothing stays half-written: the records reach their logs (and the write log its
entries) only with the published store, as one journaled step (`journal`): a
write that fails or is killed before it publishes leaves no record behind, one
killed after it has its records appended by the recovery.

Reference edits (a region row, a unit alias) are kept the same way and re-extract
the documents they can change: those without a region or in the edited region, and
those whose unit is the edited name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import duckdb
import pandas as pd

from budgetperf import settings, vocabulary
from budgetperf.changes import corrections, duplicates, finding_status, reference_edits, writelog
from budgetperf.changes.corrections import Applied, Correction
from budgetperf.errors import UserError
from budgetperf.storing import extracting, journal, loading, publish, schema, store
from budgetperf.storing.reference import load_reference
from budgetperf.understanding.parsers.context import Reference


class CorrectionWriteError(UserError, ValueError):
    """A correction that cannot take effect (its document or original is gone)."""


@dataclass
class CorrectionReport:
    ok: bool
    message_zh: str
    applied: list[Applied] = field(default_factory=list)  # what became of the submitted records
    documents: list[str] = field(default_factory=list)  # files extracted again
    log_problem: str | None = None

    @property
    def message_en(self) -> str:
        return self.message_zh if not self.ok else f"{len(self.applied)} correction(s) in {len(self.documents)} file(s)"


def _paths(db_path, reports_dir) -> tuple[Path, Path]:
    return (Path(db_path or settings.get("BUDGETPERF_DB")),
            Path(reports_dir or settings.get("BUDGETPERF_REPORTS_DIR")))


def _reextract(con: duckdb.DuckDBPyConnection, doc_ids: list[str], reports_dir: Path, ref,
               records: list[Correction] | None = None) -> list:
    """These stored documents extracted again with every active correction (of
    `records`: those kept and those this write is about to keep); raises
    CorrectionWriteError when one cannot be (nothing is written then)."""
    by_doc = corrections.by_document(corrections.load() if records is None else records)
    extractions, problems = extracting.reextract_stored(con, doc_ids, reports_dir, ref, by_doc)
    if problems:
        raise CorrectionWriteError(problems[0].reason_en, problems[0].reason_zh)
    return extractions


def _status_outcomes(con, statuses: list[Correction]) -> list[Applied]:
    """Whether the audit still makes each finding a status is about (applied) or no
    longer does (orphan), in the draft being written."""
    out = []
    for r in statuses:
        found = con.execute("select count(*) from checks join documents using (doc_id) "
                            "where content_hash = ? and finding_key = ?", [r.doc_hash, r.finding]).fetchone()[0]
        out.append(Applied(r, "applied" if found else "orphan", vocabulary.OPEN if found else None))
    return out


def _stored(con, hashes: set[str]) -> dict[str, str]:
    """{content hash: doc_id} of these documents that the store holds, by file name."""
    return dict(con.execute("select content_hash, doc_id from documents where list_contains(?, content_hash) "
                            "order by file", [sorted(hashes)]).fetchall())


def _failed(exc: Exception, editor: str, via: str, action: str) -> CorrectionReport:
    """A write that did not publish: nothing was kept; say why, and log the attempt."""
    message = getattr(exc, "message_zh", None) or f"写入失败：{exc}"
    writelog.append_or_problem([writelog.WriteEntry(action, editor, "failed", via=via, detail=message)])
    return CorrectionReport(False, message)


def _publish_journaled(db_path: Path, apply: Callable, appends: list[tuple[Path, list[dict]]],
                       finding_statuses: Callable[[], dict] | None = None) -> tuple[object, journal.Intent]:
    """Publish `apply` with these records appended to their logs as one journaled
    step (`journal`): the logs hold them exactly when the store reflects them."""
    kept: list[journal.Intent] = []

    def plan(result, intent: journal.Intent) -> None:
        for path, records in appends:
            intent.append(path, records)
        kept.append(intent)

    result = publish.publish(db_path, apply, plan=plan, finding_statuses=finding_statuses)
    return result, kept[0]


def _write(records: list[Correction], editor: str, via: str, db_path: Path, reports_dir: Path,
           action_zh: str) -> CorrectionReport:
    """Make `records` take effect and keep them, in one journaled write: corrections
    of facts re-extract their documents (with these records laid over those kept);
    finding statuses change no fact and are laid over the findings by the publish.
    The records reach their logs only with the published store."""
    if not db_path.exists():
        return CorrectionReport(False, "还没有数据库，请先导入报告")
    ref = load_reference()
    facts = [r for r in records if not finding_status.is_status(r)]
    statuses = [r for r in records if finding_status.is_status(r)]
    hashes = {r.doc_hash for r in records}
    ids = {r.id for r in records}
    undone = {r.undoes for r in records if r.undoes}

    def pending_statuses() -> dict:  # read under the lock: the statuses kept, and these
        return finding_status.current([*finding_status.load(), *statuses])

    def apply(con) -> list:
        stored = _stored(con, hashes)
        if len(stored) < len(hashes):
            raise CorrectionWriteError("a document to correct is not in the store",
                                       "要更正的文档已不在库中（可能已被删除），请刷新页面后再试")
        extractions = _reextract(con, [stored[h] for h in {r.doc_hash for r in facts}], reports_dir, ref,
                                 [*corrections.load(), *facts])
        loading.replace_documents(con, extractions)
        return extractions, _status_outcomes(con, statuses)

    entries = [writelog.WriteEntry(
        "correct", editor, "undone" if r.undoes else "corrected", file=r.file, doc_id=r.doc_hash[:16], via=via,
        detail=f"{action_zh}：{r.target_zh}：{r.old_value or '（空）'} → {r.new_value or '（空）'}（{r.reason}）",
        extra={"correction_id": r.undoes or r.id}) for r in records]
    appends = [(corrections.corrections_path(), [asdict(r) for r in facts]),
               (finding_status.log_path(), [asdict(r) for r in statuses]),
               (writelog.log_path(), [asdict(e) for e in entries])]
    try:
        (extractions, outcomes), intent = _publish_journaled(db_path, apply, appends,
                                                             pending_statuses if statuses else None)
    except (CorrectionWriteError, publish.StoreWriteError, duckdb.Error, OSError) as exc:
        return _failed(exc, editor, via, "correct")
    applied = [a for ex in extractions for a in ex.applied if a.correction.id in ids] + outcomes
    files = [ex.facts.file for ex in extractions]
    if undone:
        message = f"已撤销 {len(records)} 条更正，重新提取了 {len(files)} 份文件"
    else:
        counts = {s: sum(a.status == s for a in applied) for s in ("applied", "redundant", "orphan")}
        message = f"已保存 {len(records)} 条更正（{counts['applied']} 条生效"
        if counts["redundant"]:
            message += f"，{counts['redundant']} 条与抽取结果相同、无需更正"
        if counts["orphan"]:
            message += f"，{counts['orphan']} 条找不到要更正的对象"
        message += f"），重新提取了 {len(files)} 份文件"
    return CorrectionReport(True, message, applied, files, intent.problem)


def submit(records: list[Correction], editor: str, *, via: str = "app", db_path=None,
           reports_dir=None) -> CorrectionReport:
    """Keep these corrections (made with `corrections.make`) by `editor` and make them
    take effect in the published store."""
    if not editor:
        return CorrectionReport(False, "请先以编辑身份登录")
    if not records:
        return CorrectionReport(False, "没有要保存的更正")
    records = [replace(r, editor=editor) for r in records]
    return _write(records, editor, via, *_paths(db_path, reports_dir), "更正")


def undo(ids: list[str], editor: str, reason: str = "撤销", *, via: str = "app", db_path=None,
         reports_dir=None) -> CorrectionReport:
    """Undo active corrections by id; their documents go back to what extraction (and
    their other corrections) give."""
    if not editor:
        return CorrectionReport(False, "请先以编辑身份登录")
    live = {c.id: c for c in corrections.active([*corrections.load(), *finding_status.load()])}
    unknown = [i for i in ids if i not in live]
    if unknown:
        return CorrectionReport(False, f"找不到这些生效中的更正（可能已撤销）：{'、'.join(unknown)}")
    if not ids:
        return CorrectionReport(False, "没有要撤销的更正")
    records = [corrections.undo(live[i], editor, reason or "撤销") for i in ids]
    return _write(records, editor, via, *_paths(db_path, reports_dir), "撤销")


def _keep_elsewhere(records: list[Correction]) -> None:
    """Keep imported records each in its own log, to take effect later."""
    facts = [r for r in records if not finding_status.is_status(r)]
    if facts:
        corrections.append(facts)
    statuses = [r for r in records if finding_status.is_status(r)]
    if statuses:
        finding_status.append(statuses)


def import_file(path: str | Path, editor: str, *, via: str = "cli", db_path=None,
                reports_dir=None) -> CorrectionReport:
    """Import corrections exported by another installation (`corrections.export_records`):
    the records this one lacks are kept as they were made (their editors and times),
    and those whose documents are in the store take effect."""
    new = corrections.import_records(path, [*corrections.load(), *finding_status.load()])
    if not new:
        return CorrectionReport(True, "没有新的更正（文件中的更正都已存在）")
    db_path, reports_dir = _paths(db_path, reports_dir)
    if not db_path.exists():
        _keep_elsewhere(new)
        return CorrectionReport(True, f"已导入 {len(new)} 条更正，建库后生效")
    con = store.connect(db_path)
    try:
        stored = _stored(con, {r.doc_hash for r in new})
    finally:
        con.close()
    elsewhere = [r for r in new if r.doc_hash not in stored]
    if elsewhere:  # their files are not here (yet): kept, they apply when the files are ingested
        _keep_elsewhere(elsewhere)
    here = [r for r in new if r.doc_hash in stored]
    if not here:
        return CorrectionReport(True, f"已导入 {len(new)} 条更正；其文件不在本库中，导入这些文件后生效")
    report = _write(here, editor, via, db_path, reports_dir, "导入更正")
    if report.ok and elsewhere:
        report.message_zh += f"；另有 {len(elsewhere)} 条更正的文件不在本库中，导入这些文件后生效"
    return report


# ---------------------------------------------------------------------------
# reference tables


def affected_by(con: duckdb.DuckDBPyConnection, edits: list[reference_edits.ReferenceEdit]) -> list[str]:
    """Documents a reference edit can change: for a region, those without a region,
    in that region or whose unit begins with its name; for a unit alias, those whose
    unit is either form."""
    names, units = set(), set()
    for e in edits:
        if e.table == "regions":
            names.add(e.values["region"])
        else:
            units |= {e.values["long_form"], e.values["short_form"]}
    return [d for (d,) in con.execute(
        """select doc_id from documents
           where (len($names) > 0 and (region is null or list_contains($names, region)
                  or len(list_filter($names, lambda n: starts_with(coalesce(unit, ''), n))) > 0))
              or list_contains($units, unit) or list_contains($units, unit_short)""",
        {"names": sorted(names), "units": sorted(units)}).fetchall()]


def submit_reference(edits: list[reference_edits.ReferenceEdit], editor: str, *, via: str = "app", db_path=None,
                     reports_dir=None) -> CorrectionReport:
    """Keep reference-table edits and re-extract the documents they can change, with
    the region table of the store reloaded, in one published write."""
    if not editor:
        return CorrectionReport(False, "请先以编辑身份登录")
    if not edits:
        return CorrectionReport(False, "没有要保存的修改")
    edits = [replace(e, editor=editor) for e in edits]
    db_path, reports_dir = _paths(db_path, reports_dir)
    if not db_path.exists():
        reference_edits.append(edits)
        return CorrectionReport(True, f"已保存 {len(edits)} 条参考表修改，建库后生效")

    def apply(con) -> list:
        ref = _reference_with(edits)  # under the lock: the edits kept by then, and these
        con.execute("delete from regions")
        schema.load_regions(con, ref)
        extractions = _reextract(con, affected_by(con, edits), reports_dir, ref)
        loading.replace_documents(con, extractions)
        return extractions

    entries = [writelog.WriteEntry("reference", editor, "undone" if e.undoes else "corrected", via=via,
                                   detail=f"{e.summary_zh}（{e.reason}）", extra={"edit_id": e.undoes or e.id})
               for e in edits]
    appends = [(reference_edits.edits_path(), [asdict(e) for e in edits]),
               (writelog.log_path(), [asdict(e) for e in entries])]
    try:
        extractions, intent = _publish_journaled(db_path, apply, appends)
    except (CorrectionWriteError, publish.StoreWriteError, duckdb.Error, OSError) as exc:
        return _failed(exc, editor, via, "reference")
    files = [ex.facts.file for ex in extractions]
    return CorrectionReport(True, f"已保存 {len(edits)} 条参考表修改，重新提取了 {len(files)} 份文件", [], files,
                            intent.problem)


def _reference_with(pending: list[reference_edits.ReferenceEdit]) -> Reference:
    """The reference tables as they will be once `pending` is kept: the CSV files
    with the kept edits and these laid over them."""
    base = load_reference(edits_path=str(reference_edits.edits_path()) + ".none")  # the CSV files alone
    regions, aliases = reference_edits.apply_edits(base.regions, base.unit_aliases, [*reference_edits.load(), *pending])
    return Reference(regions, aliases)


def undo_reference(ids: list[str], editor: str, reason: str = "撤销", **kwargs) -> CorrectionReport:
    live = {e.id: e for e in reference_edits.active(reference_edits.load())}
    unknown = [i for i in ids if i not in live]
    if unknown or not ids:
        return CorrectionReport(False, f"找不到这些生效中的参考表修改：{'、'.join(unknown) or '（未选择）'}")
    return submit_reference([reference_edits.undo(live[i], editor, reason or "撤销") for i in ids], editor, **kwargs)


# ---------------------------------------------------------------------------
# the trail

TRAIL_COLUMNS = ("时间", "编辑", "文件", "对象", "字段", "原值", "新值", "原因", "状态", "id")


def trail_frame(limit: int | None = None) -> pd.DataFrame:
    """Every correction, duplicate verdict and reference edit, newest first: fixes
    (生效 or 已撤销: undone, or a verdict replaced by a later one on the same pair)
    and the undo records themselves (撤销), with who, when, what and why."""
    fixes = [*corrections.load(), *corrections.load(finding_status.log_path())]
    undone = {c.undoes: c for c in fixes if c.undoes}
    rows = []
    for c in fixes:
        if c.undoes:
            status = "撤销"
        else:
            status = "已撤销" if c.id in undone else "生效"
        rows.append((c.at, c.editor, c.file, c.target_zh.rsplit(" · ", 1)[0], c.label_zh,
                     c.old_value, c.new_value if c.field != "finding_status" else f"{c.new_value}（{c.finding}）",
                     c.reason, status, c.id))
    verdicts = duplicates.load()
    latest = {d.id for d in duplicates.current(verdicts).values()}
    for d in verdicts:  # a later verdict on the same pair replaces an earlier one
        rows.append((d.at, d.editor, d.file, f"与《{d.original_file}》", "重复判定", None, d.verdict_zh, d.reason,
                     "生效" if d.id in latest else "已撤销", d.id))
    edits = reference_edits.load()
    undone_edits = {e.undoes for e in edits if e.undoes}
    for e in edits:
        status = "撤销" if e.undoes else ("已撤销" if e.id in undone_edits else "生效")
        rows.append((e.at, e.editor, None, "参考表", "地区" if e.table == "regions" else "单位简称", None,
                     e.summary_zh, e.reason, status, e.id))
    frame = pd.DataFrame(rows, columns=list(TRAIL_COLUMNS))
    if not frame.empty:
        frame["时间"] = pd.to_datetime(frame["时间"], utc=True, format="ISO8601").dt.tz_convert(_local_zone())
        frame = frame.sort_values("时间", ascending=False, kind="stable").reset_index(drop=True)
    return frame.head(limit) if limit else frame


def _local_zone():
    return dt.datetime.now().astimezone().tzinfo


# ---------------------------------------------------------------------------
# what a field holds now

# corrections field -> (table, column) where the store keeps its value
STORED_AT = {
    "region": ("documents", "region"), "unit": ("documents", "unit"), "year": ("documents", "year"),
    "not_a_report": ("documents", "is_excluded"),
    "name": ("projects", "name"), "budget_initial": ("projects", "budget_initial_wan"),
    "budget_adjusted": ("projects", "budget_adjusted_wan"), "executed": ("projects", "executed_wan"),
    "execution_rate": ("projects", "execution_rate_pct"), "budget_weight": ("projects", "budget_weight"),
    "budget_score": ("projects", "budget_score"), "total_score": ("projects", "total_score"),
    "grade": ("projects", "grade"),
    "indicator.level1": ("indicators", "level1"), "indicator.level2": ("indicators", "level2"),
    "indicator.name": ("indicators", "name"), "indicator.target": ("indicators", "target_raw"),
    "indicator.actual": ("indicators", "actual_raw"), "indicator.weight": ("indicators", "weight"),
    "indicator.score": ("indicators", "score"),
}


def current_value(con, doc_id: str, field_name: str, project: str | None = None, indicator: str | None = None,
                  indicator_seq: int | None = None) -> str | None:
    """The value the store shows now for a field (the correction's 原值), as text."""
    if field_name not in STORED_AT:
        return None
    table, column = STORED_AT[field_name]
    if table == "documents":
        row = con.execute(f"select {column} from documents where doc_id = ?", [doc_id]).fetchone()
        if field_name == "not_a_report":
            return None if row is None else ("是" if row[0] else "否")
    elif table == "projects":
        row = con.execute(f"select {column} from projects where doc_id = ? and name = ? order by seq limit 1",
                          [doc_id, project]).fetchone()
    else:
        row = con.execute(
            f"""select i.{column} from indicators i join projects p using (project_id)
                where p.doc_id = ? and p.name = ? and i.name = ?
                order by (i.seq = ?) desc, i.seq limit 1""", [doc_id, project, indicator, indicator_seq or 0]
        ).fetchone()
    return corrections._as_text(row[0]) if row and row[0] is not None else None
