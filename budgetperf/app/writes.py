"""One path for every write a form makes (corrections, undo, finding statuses,
reference edits): it refuses without a logged-in editor, writes nothing when one
record is bad (the records are built and checked first), and keeps the outcome
for the next run, shown once beside the form it came from.

Session-state keys: ``review.round`` (bumped after each write, so forms show the
stored values again and row selections clear) and ``review.result``.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from budgetperf.app import login
from budgetperf.changes import corrections, reference_edits
from budgetperf.changes.corrections import CorrectionError
from budgetperf.charts import safe
from budgetperf.storing import committing

_ROUND_KEY = "review.round"


RESULT_KEY = "review.result"


def round_number() -> int:
    return int(st.session_state.get(_ROUND_KEY, 0))


def table_key(name: str) -> str:
    """A table key that changes after each write, so a row selection (a position in
    a list the write may have changed) does not point at another row afterwards."""
    return f"{name}.{round_number()}"


def write(action: Callable[[str], object], what: str, where: str = "item") -> None:
    """Run one write for the logged-in editor and keep its outcome for the next run.

    `action(editor)` builds the records (raising CorrectionError or
    ReferenceEditError with a Chinese message when input is bad, before anything is
    written) and hands them to `storing.committing`, which returns a CorrectionReport."""
    editor = login.current_editor()
    if not editor:
        st.session_state[RESULT_KEY] = (where, False, login.LOGIN_REQUIRED, [])
        return
    try:
        report = action(editor)
    except (CorrectionError, reference_edits.ReferenceEditError) as exc:
        st.session_state[RESULT_KEY] = (where, False, exc.message_zh, [])
        return
    rows = [{"对象": a.correction.target_zh, "原值": a.extracted, "新值": a.correction.new_value,
             "结果": corrections.STATUS_ZH.get(a.status, a.status)} for a in getattr(report, "applied", []) or []]
    message = report.message_zh or (f"{what}已保存。" if report.ok else f"{what}没有保存。")
    st.session_state[RESULT_KEY] = (where, bool(report.ok), message, rows)
    if report.ok:
        st.session_state[_ROUND_KEY] = round_number() + 1


def submit(records: Callable[[str], list], what: str, where: str = "item") -> None:

    write(lambda editor: committing.submit(records(editor), editor, via="app"), what, where)


def undo(correction_id: str, label: str) -> None:

    write(lambda editor: committing.undo([correction_id], editor, reason=f"撤销（数据校对页）：{label}"), "撤销")


def show_result(where: str = "item") -> None:
    """The outcome of this session's last write made from `where` (item | reference |
    finding), once, beside the form it came from (the page already shows the new
    data: the write published a new store before this run)."""
    result = st.session_state.get(RESULT_KEY)
    if not result or result[0] != where:
        return
    del st.session_state[RESULT_KEY]
    _, ok, message, rows = result
    (st.success if ok else st.error)(safe.md(message), icon=":material/task_alt:" if ok else ":material/error:")
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

