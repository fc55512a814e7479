"""Who may write in the app: the editor login shared by 数据管理, 数据校对 and 审核
(viewing needs no login). Hashes and throttling are `changes.editors`; this
module owns the widgets and the session's editor (``admin.editor``).
"""

from __future__ import annotations

import math
import secrets as _secrets

import pandas as pd
import streamlit as st

from budgetperf.changes import editors

EDITOR_KEY = "admin.editor"


_SESSION_KEY = "admin.session"


_LOGIN_ERROR_KEY = "admin.login.error"


ENABLE_HINT = (
    "写入功能未开启：还没有配置编辑账号，所以现在只能查看。开启方法（由运维人员操作）：\n\n"
    "1. 在服务器上运行 `budgetperf editor-hash 姓名`，按提示输入两次密码，得到一行 `\"姓名\" = \"scrypt$…\"`；\n"
    "2. 把这一行写进 `.streamlit/secrets.toml` 的 `[editors]` 段（或设置环境变量 `BUDGETPERF_EDITORS`）；\n"
    "3. 重启应用，在「数据管理」或「数据校对」页用该姓名和密码登录，即可上传、删除报告和更正数据。\n\n"
    "查看数据不需要登录。"
)


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


# What a viewer who is not logged in reads instead of an editor's name: names
# shown to everyone let anyone pick an editor to target (issue 19).
HIDDEN_EDITOR = "编辑"


def editor_names(names: pd.Series | pd.Index | list, is_editor: bool | None = None) -> pd.Series:
    """Editors' names as this session may see them: as written for a logged-in
    editor, else 「编辑」 for each (empty stays empty). `is_editor` defaults to
    whether an editor is logged in now."""
    names = pd.Series(names, dtype=object)
    if is_editor is None:
        is_editor = current_editor() is not None
    if is_editor:
        return names
    return names.where(names.isna() | (names.astype(str) == ""), HIDDEN_EDITOR)


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
    # Throttled per client (this session, its address), never per name: someone
    # else's wrong tries under an editor's name must not lock that editor out.
    keys = editors.client_keys(session, _client_address())
    wait = editors.LIMITER.wait_seconds(keys)
    if wait > 0:
        st.session_state[_LOGIN_ERROR_KEY] = f"登录失败次数过多，请 {math.ceil(wait)} 秒后再试。"
    elif name and password and editors.check_login(config, name, password):
        editors.LIMITER.succeeded(keys)
        st.session_state[EDITOR_KEY] = name
    else:
        editors.LIMITER.failed(keys)
        st.session_state[_LOGIN_ERROR_KEY] = "编辑名或密码不正确。"


def _client_address() -> str | None:
    """The client's network address as the server sees it (None on localhost, or
    when Streamlit cannot tell)."""
    try:
        return st.context.ip_address
    except Exception:  # no client context (a headless run)
        return None


LOGIN_REQUIRED = "请先登录编辑账号：查看不需要登录，更正数据需要编辑账号（见本页上方「编辑登录」）。"


def login_section() -> str | None:
    """The editor login, folded away for viewers (viewing needs no login). Returns the
    editor's name, or None."""
    config = editor_config()
    editor = current_editor(config)
    if editor:
        return login_panel()
    if not config.is_enabled:
        st.caption("更正功能未开启：还没有配置编辑账号，现在只能查看。")
    failed = login_failed()
    title = "编辑登录（更正数据需要登录；查看不需要）" if config.is_enabled else "如何开启更正功能"
    with st.expander(title, expanded=failed, icon=":material/lock:"):
        login_panel()
    return None

