"""Streamlit glue for writing: editor login, upload with preview, the document list
with deletion, and the write log, as the 数据管理 page shows them.

Like `ui` (which stays the glue for reading), this module imports streamlit; the
work itself is elsewhere: `editors` (hashes, rate limit), `intake` (reading,
publishing, originals, write log), `publish` (the write path). It owns these
session-state keys, all under ``admin.``:

- ``admin.editor``: the logged-in editor's name (absent = viewer);
- ``admin.session``: a random id for this session, the per-session key of the
  login rate limit (the limiter itself is process-wide, `editors.LIMITER`);
- ``admin.round``: a counter in the uploader's key, bumped to empty it after a commit;
- ``admin.prepared``: uploaded file id → `intake.Prepared` (each file is read once);
- ``admin.report``: the outcome of the last upload, deletion or duplicate verdict,
  shown after rerun;
- ``admin.dup.*``: the duplicate verdict form (pair, verdict, reason).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from budgetperf.app import login
from budgetperf.changes import duplicates, writelog
from budgetperf.reading import formats, limits
from budgetperf.storing import duplicates as deciding
from budgetperf.reading.ocr import progress_to
from budgetperf.storing import extracting, intake
from budgetperf.storing.reference import load_reference

_ROUND_KEY = "admin.round"
_PREPARED_KEY = "admin.prepared"
_REPORT_KEY = "admin.report"
_COMMIT_KEY = "admin.commit.requested"
_DUP_PROBLEM_KEY = "admin.dup.problem"


PREVIEW_COLUMNS = {
    "file": "文件", "stored_as": "保存为", "status_zh": "预计结果", "region": "地区", "unit": "单位", "year": "年度",
    "projects": "项目数", "budget_wan": "预算合计", "indicators": "指标数", "warnings": "审核警告",
    "review": "需复核", "note": "说明",
}
DOCUMENT_COLUMNS = {
    "file": "文件", "region": "地区", "unit": "单位", "year": "年度", "fmt": "格式", "projects": "项目数",
    "indicators": "指标数", "errors": "审核错误", "warnings": "审核警告", "review_reasons": "需复核",
    "ingested_at": "入库时间", "duplicate_note": "重复", "doc_id": "文档编号",
}
DUPLICATE_COLUMNS = {
    "file": "副本", "original_file": "计入的文件", "region": "地区", "unit": "单位", "year": "年度",
    "projects": "项目数", "budget_wan": "预算合计", "status_zh": "状态", "reason_zh": "为何视为同一份",
    "decided_by": "判定人", "decided_at": "判定时间", "decision_reason": "判定理由",
}


@st.cache_resource(show_spinner=False)
def _reference():
    return load_reference()


# ---------------------------------------------------------------------------
# editors















# ---------------------------------------------------------------------------
# upload: read → preview → commit

def show_last_report() -> None:
    """The outcome of the last upload or deletion of this session, once, after the
    rerun that published it (so the page already shows the new data)."""
    report = st.session_state.pop(_REPORT_KEY, None)
    if not report:
        return
    rows, log_problem, title = report
    counts = pd.Series([r["结果"] for r in rows]).value_counts()
    summary = "，".join(f"{k} {v} 个" for k, v in counts.items())
    (st.warning if "失败" in counts else st.success)(f"{title}：{summary}。页面数据已更新。", icon=":material/task_alt:")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if log_problem:
        st.warning(log_problem, icon=":material/warning:")


def _read_new_files(files) -> dict:
    """Read each uploaded file once (a progress bar while they are read, page by page
    for scans); a .zip batch becomes one prepared file per member."""
    prepared = st.session_state.setdefault(_PREPARED_KEY, {})
    new = [f for f in files if f.file_id not in prepared]
    if new:
        bar = st.progress(0.0, text="正在读取…")
        corrections = extracting.current_corrections()  # read once for the batch
        for i, f in enumerate(new, start=1):
            bar.progress((i - 1) / len(new), text=f"正在读取 {f.name}（{i}/{len(new)}）")

            def page_done(name: str, page: int, pages: int, i=i, f=f) -> None:
                bar.progress((i - 1 + page / pages) / len(new),
                             text=f"正在识别扫描件 {name}：第 {page}/{pages} 页（{f.name}，{i}/{len(new)}）")

            with progress_to(page_done):
                prepared[f.file_id] = intake.prepare_all(intake.Incoming(f.name, data=f.getvalue()), _reference(),
                                                         corrections)
        bar.progress(1.0, text=f"已读取 {len(new)} 个文件")
        bar.empty()
    current = {f.file_id for f in files}
    for file_id in list(prepared):
        if file_id not in current:
            del prepared[file_id]  # removed from the uploader
    return prepared


def upload_panel(editor: str, stored: pd.DataFrame) -> None:
    """Upload several reports, preview what each holds, then commit them."""
    n = st.session_state.setdefault(_ROUND_KEY, 0)
    files = st.file_uploader(
        f"选择报告文件（可多选）：{formats.supported_list_zh()}", accept_multiple_files=True, key=f"admin.upload.{n}",
        help=f"单个文件不超过 {limits.max_file_bytes() / limits.MB:g} MB；.zip 压缩包中的每个报告分别读取、各占一行结果。"
             "扫描件与图片经文字识别读取，每页需数秒。同名文件视为新版本，会替换库中旧版本（旧原件移到归档文件夹）。",
    )
    if not files:
        return
    prepared = _read_new_files(files)
    batch = [p for f in files for p in prepared[f.file_id]]
    preview = pd.DataFrame([intake.preview_row(p, stored) for p in batch]).astype(
        {"year": "Int64", "projects": "Int64", "indicators": "Int64", "warnings": "Int64", "budget_wan": "Float64"})
    st.markdown("**预览**：确认每个文件读出的地区、单位、年度和项目，再入库。")
    st.dataframe(
        preview[list(PREVIEW_COLUMNS)].rename(columns=PREVIEW_COLUMNS), hide_index=True, width="stretch",
        column_config={
            "预算合计": st.column_config.NumberColumn(format="%.2f 万元"),
            "年度": st.column_config.NumberColumn(format="%d"),
            "需复核": st.column_config.TextColumn(width="large"),
            "说明": st.column_config.TextColumn(width="large"),
        },
    )
    for p in batch:
        if p.extraction is not None:
            with st.expander(f"{p.stored_as}：{len(p.extraction.facts.projects)} 个项目"):
                st.dataframe(intake.project_rows(p), hide_index=True, width="stretch", column_config={
                    "预算_万元": st.column_config.NumberColumn("预算", format="%.2f 万元"),
                    "执行数_万元": st.column_config.NumberColumn("执行数", format="%.2f 万元"),
                    "执行率_pct": st.column_config.NumberColumn("执行率", format="%.2f%%"),
                })
    usable = sum(p.extraction is not None for p in batch)
    st.button(f"确认入库（{usable} 个文件）", type="primary", disabled=not usable, key="admin.commit",
              icon=":material/upload:", on_click=_request_commit)
    if st.session_state.pop(_COMMIT_KEY, False) and usable:
        with st.spinner("正在写入数据库（其他用户照常查看）…"):
            report = intake.add_reports(batch, editor, via="app", ref=_reference())
        rows = [{"文件": p.incoming.shown, "结果": p.status_zh, "说明": p.message_zh} for p in report.items]
        st.session_state[_REPORT_KEY] = (rows, report.log_problem, "入库完成")
        st.session_state[_ROUND_KEY] = n + 1  # a new uploader key: the list empties
        st.session_state.pop(_PREPARED_KEY, None)
        st.rerun()


def _request_commit() -> None:
    # A click callback, so the request survives a rerun of the run that handles it;
    # the run then writes with a spinner and pops the request (it happens once).
    st.session_state[_COMMIT_KEY] = True


# ---------------------------------------------------------------------------
# documents in the store, deletion

def documents_panel(docs: pd.DataFrame, editor: str | None) -> None:
    """The store's documents; an editor may pick some and delete them."""
    shown = docs[list(DOCUMENT_COLUMNS)].rename(columns=DOCUMENT_COLUMNS)
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        "年度": st.column_config.NumberColumn(format="%d"),
        "入库时间": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
    })
    if editor is None:
        return
    labels = {row.doc_id: f"{row.file}（{row.region or '地区未知'} {'' if pd.isna(row.year) else int(row.year)}）"
              for row in docs.itertuples()}
    chosen = st.multiselect("删除文档", list(labels), format_func=labels.get, key="admin.delete.docs",
                            placeholder="选择要删除的文档（可输入文件名查找）",
                            help="删除文档及其全部项目、指标、审核发现；原件移到归档文件夹，重建数据库时不会再读入。")
    if not chosen:
        return
    confirmed = st.checkbox(f"确认删除这 {len(chosen)} 份文档", key="admin.delete.confirm")
    st.button(f"删除 {len(chosen)} 份文档", disabled=not confirmed, key="admin.delete", icon=":material/delete:",
              on_click=_delete, args=(list(chosen), editor))


def _delete(doc_ids: list[str], editor: str) -> None:
    # A click callback: it runs before the next run draws the widgets, so it may
    # empty the picker (whose documents are gone) and untick the confirmation.
    report = intake.delete_reports(doc_ids, editor, via="app")
    rows = [{"文件": d.file or d.doc_id, "结果": d.status_zh,
             "说明": d.reason_zh or (f"原件已移到 {d.archived_to}" if d.archived_to else "")} for d in report.items]
    st.session_state[_REPORT_KEY] = (rows, report.log_problem, "删除完成")
    st.session_state["admin.delete.docs"] = []
    st.session_state["admin.delete.confirm"] = False


# ---------------------------------------------------------------------------
# probable duplicates: the same report in another file

def duplicates_panel(pairs: pd.DataFrame, editor: str | None) -> None:
    """Each probable duplicate beside the file that counts, why they are taken for
    one report and any verdict; an editor settles a pair: 同一份报告 (the copy stays
    out of every figure) or 不是同一份 (both count)."""
    shown = pairs[list(DUPLICATE_COLUMNS)].rename(columns=DUPLICATE_COLUMNS)
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        "年度": st.column_config.NumberColumn(format="%d"),
        "预算合计": st.column_config.NumberColumn(format="%.2f 万元"),
        "为何视为同一份": st.column_config.TextColumn(width="large"),
    })
    if editor is None:
        st.caption("登录为编辑后可判定每一对是否为同一份报告；也可运行 `budgetperf duplicates decide`。")
        return
    labels = {(row.doc_id, row.original_doc_id): f"{row.file} ↔ {row.original_file}（{row.status_zh}）"
              for row in pairs.itertuples()}
    with st.form("admin.dup.form", border=True):
        st.selectbox("要判定的一对", list(labels), format_func=labels.get, key="admin.dup.pair")
        st.radio("判定", list(duplicates.VERDICT_ZH), format_func=duplicates.VERDICT_ZH.get, horizontal=True,
                 key="admin.dup.verdict",
                 help="同一份报告：副本不计入任何统计（仍在库中、可查看）；不是同一份：两份都计入。")
        st.text_input("判定理由", key="admin.dup.reason", placeholder="例如：两份文件的正文与表格逐项核对一致")
        st.form_submit_button("保存判定", icon=":material/rule:", on_click=_decide, args=(editor,))
    problem = st.session_state.pop(_DUP_PROBLEM_KEY, None)
    if problem:  # nothing was written: say why beside the form
        st.warning(problem, icon=":material/warning:")


def _decide(editor: str) -> None:
    # A click callback: it runs before the next run draws the page, so that run
    # already shows the store with the verdict in effect.
    pair = st.session_state.get("admin.dup.pair")
    if pair is None:
        st.session_state[_DUP_PROBLEM_KEY] = "请先选择要判定的一对文件。"
        return
    report = deciding.decide(pair[0], st.session_state.get("admin.dup.verdict"),
                             st.session_state.get("admin.dup.reason", ""), editor, original=pair[1], via="app")
    if not report.ok:
        st.session_state[_DUP_PROBLEM_KEY] = report.message_zh
        return
    rows = [{"文件": report.decision.file, "结果": report.decision.verdict_zh, "说明": report.message_zh}]
    st.session_state[_REPORT_KEY] = (rows, report.log_problem, "判定完成")
    st.session_state["admin.dup.reason"] = ""


def write_log_panel(limit: int = 50) -> None:
    """The latest entries of the write log, newest first. Who wrote is for editors:
    a viewer sees what changed and when, not the editors' names (the names a
    stranger would need to try passwords against)."""
    entries = writelog.read(limit=limit)
    is_editor = login.current_editor() is not None
    with st.expander(f"写入记录（最近 {len(entries)} 条）", icon=":material/history:"):
        if not entries:
            st.caption(f"还没有写入记录（{writelog.log_path()}）。")
            return
        rows = [{"时间": e.at, "编辑": e.editor if is_editor else "（登录后可见）", "操作": writelog.ACTION_ZH.get(e.action, e.action), "文件": e.file,
                 "结果": writelog.OUTCOME_ZH.get(e.outcome, e.outcome), "说明": e.detail} for e in reversed(entries)]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
