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
- ``admin.report``: the outcome of the last upload or deletion, shown after rerun.
"""

from __future__ import annotations

import math
import secrets as _secrets

import pandas as pd
import streamlit as st

from budgetperf.changes import editors, writelog
from budgetperf.reading import formats, limits
from budgetperf.storing import extracting, intake
from budgetperf.storing.reference import load_reference

EDITOR_KEY = "admin.editor"
_SESSION_KEY = "admin.session"
_ROUND_KEY = "admin.round"
_PREPARED_KEY = "admin.prepared"
_REPORT_KEY = "admin.report"
_LOGIN_ERROR_KEY = "admin.login.error"
_COMMIT_KEY = "admin.commit.requested"

ENABLE_HINT = (
    "写入功能未开启：还没有配置编辑账号，所以现在只能查看。开启方法（由运维人员操作）：\n\n"
    "1. 在服务器上运行 `budgetperf editor-hash 姓名`，按提示输入两次密码，得到一行 `\"姓名\" = \"scrypt$…\"`；\n"
    "2. 把这一行写进 `.streamlit/secrets.toml` 的 `[editors]` 段（或设置环境变量 `BUDGETPERF_EDITORS`）；\n"
    "3. 重启应用，在「数据管理」或「数据校对」页用该姓名和密码登录，即可上传、删除报告和更正数据。\n\n"
    "查看数据不需要登录。"
)

PREVIEW_COLUMNS = {
    "file": "文件", "stored_as": "保存为", "status_zh": "预计结果", "region": "地区", "unit": "单位", "year": "年度",
    "projects": "项目数", "budget_wan": "预算合计", "indicators": "指标数", "warnings": "审核警告",
    "review": "需复核", "note": "说明",
}
DOCUMENT_COLUMNS = {
    "file": "文件", "region": "地区", "unit": "单位", "year": "年度", "fmt": "格式", "projects": "项目数",
    "indicators": "指标数", "errors": "审核错误", "warnings": "审核警告", "review_reasons": "需复核",
    "ingested_at": "入库时间", "doc_id": "文档编号",
}


@st.cache_resource(show_spinner=False)
def _reference():
    return load_reference()


# ---------------------------------------------------------------------------
# editors

def _secret_editors() -> dict:
    """The [editors] table of .streamlit/secrets.toml ({} when there is none)."""
    try:
        table = st.secrets.get("editors")
    except Exception:  # no secrets file, or an unreadable one: no editors from it
        return {}
    return dict(table) if table else {}


def editor_config() -> editors.EditorConfig:
    """Configured editors (secrets and BUDGETPERF_EDITORS), read on every run so a
    change takes effect on the next rerun."""
    return editors.load_editors(_secret_editors())


def current_editor(config: editors.EditorConfig | None = None) -> str | None:
    """The logged-in editor's name, or None (also when the account was removed since)."""
    config = config or editor_config()
    name = st.session_state.get(EDITOR_KEY)
    return name if name in config.hashes else None


def _logout() -> None:
    st.session_state.pop(EDITOR_KEY, None)


def login_panel() -> str | None:
    """Who may write: how to enable writing, a login form, or who is logged in.
    Returns the editor's name, or None for a viewer."""
    config = editor_config()
    for problem in config.problems:
        st.warning(problem, icon=":material/key_off:")
    if not config.is_enabled:
        st.info(ENABLE_HINT, icon=":material/lock:")
        return None
    name = current_editor(config)
    if name:
        left, right = st.columns([4, 1])
        left.success(f"已登录编辑：{name}。上传、删除和更正都会记录下编辑姓名。", icon=":material/person:")
        right.button("退出登录", on_click=_logout, key="admin.logout", width="stretch")
        return name
    st.caption("查看数据不需要登录；上传、删除报告和更正数据需要编辑账号。")
    with st.form("admin.login", clear_on_submit=True, border=True):
        st.text_input("编辑名", key="admin.login.name", max_chars=editors.MAX_NAME_CHARS)
        st.text_input("密码", type="password", key="admin.login.password")
        st.form_submit_button("登录", icon=":material/login:", on_click=_try_login)
    problem = st.session_state.pop(_LOGIN_ERROR_KEY, None)
    if problem:
        st.error(problem, icon=":material/error:")
    return None


def login_failed() -> bool:
    """Whether this session's last login attempt failed (its message not shown yet)."""
    return _LOGIN_ERROR_KEY in st.session_state


def _try_login() -> None:
    # The submit callback: runs before the next run, reads the form's values, and
    # either logs in or leaves a message for the run to show.
    config = editor_config()
    name = str(st.session_state.get("admin.login.name") or "").strip()
    password = str(st.session_state.get("admin.login.password") or "")
    session = st.session_state.setdefault(_SESSION_KEY, _secrets.token_hex(8))
    keys = [f"name:{name}", f"session:{session}"]
    wait = editors.LIMITER.wait_seconds(keys)
    if wait > 0:
        st.session_state[_LOGIN_ERROR_KEY] = f"登录失败次数过多，请 {math.ceil(wait)} 秒后再试。"
    elif name and password and editors.check_login(config, name, password):
        editors.LIMITER.succeeded(keys)
        st.session_state[EDITOR_KEY] = name
    else:
        editors.LIMITER.failed(keys)
        st.session_state[_LOGIN_ERROR_KEY] = "编辑名或密码不正确。"


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
    """Read each uploaded file once (a progress bar while they are read)."""
    prepared = st.session_state.setdefault(_PREPARED_KEY, {})
    new = [f for f in files if f.file_id not in prepared]
    if new:
        bar = st.progress(0.0, text="正在读取…")
        corrections = extracting.current_corrections()  # read once for the batch
        for i, f in enumerate(new, start=1):
            bar.progress((i - 1) / len(new), text=f"正在读取 {f.name}（{i}/{len(new)}）")
            prepared[f.file_id] = intake.prepare_one(intake.Incoming(f.name, data=f.getvalue()), _reference(),
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
        help=f"单个文件不超过 {limits.max_file_bytes() / limits.MB:g} MB。"
             "同名文件视为新版本，会替换库中旧版本（旧原件移到归档文件夹）。",
    )
    if not files:
        return
    prepared = _read_new_files(files)
    batch = [prepared[f.file_id] for f in files]
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
        rows = [{"文件": p.incoming.name, "结果": p.status_zh, "说明": p.message_zh} for p in report.items]
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


def write_log_panel(limit: int = 50) -> None:
    """The latest entries of the write log, newest first."""
    entries = writelog.read(limit=limit)
    with st.expander(f"写入记录（最近 {len(entries)} 条）", icon=":material/history:"):
        if not entries:
            st.caption(f"还没有写入记录（{writelog.log_path()}）。")
            return
        rows = [{"时间": e.at, "编辑": e.editor, "操作": writelog.ACTION_ZH.get(e.action, e.action), "文件": e.file,
                 "结果": writelog.OUTCOME_ZH.get(e.outcome, e.outcome), "说明": e.detail} for e in reversed(entries)]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
