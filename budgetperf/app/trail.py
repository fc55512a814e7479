"""The 修改记录 page's widgets: filters over the trail of corrections, finding
statuses and reference edits (`storing.committing.trail_frame`, re-read only when
its files change) and the filtered list with its XLSX download.
"""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from budgetperf.app import frame, login, tables
from budgetperf.changes import corrections, duplicates, finding_status, reference_edits, trail_filters
from budgetperf.charts import safe
from budgetperf.export import packs
from budgetperf.storing import committing, publish


def trail_filter_form(trail: pd.DataFrame) -> trail_filters.TrailFilter:
    """The trail's filters: editor, field, date range, file, text."""
    with st.container(horizontal=True, wrap=True, vertical_alignment="bottom", key="trail.filters"):
        # the names are an editor's to see: no one else picks among them
        editors = st.multiselect("编辑", trail_filters.options(trail, "编辑"), key="trail.editors", placeholder="全部",
                                 width=200) if login.current_editor() else []
        fields = st.multiselect("字段", trail_filters.options(trail, "字段"), key="trail.fields", placeholder="全部",
                                width=240)
        days = st.date_input("日期", value=(), key="trail_filters.dates", format="YYYY-MM-DD", width=240,
                             help="选择起止日期（只选一天则只看那一天）")
        file = st.text_input("文件", key="trail.file", placeholder="文件名的一部分", width=200)
        text = st.text_input("查找", key="trail.text", placeholder="对象、数值或原因中的文字", width=240)
    days = tuple(days) if isinstance(days, (list, tuple)) else ((days,) if days else ())
    start = days[0] if days else None
    end = days[1] if len(days) > 1 else start
    return trail_filters.TrailFilter(tuple(editors), tuple(fields), start, end, file or "", text or "")


def trail_table(shown: pd.DataFrame, total: int) -> None:
    """The filtered trail, newest first, and its XLSX download; who made each change
    is named to a logged-in editor only (「编辑」 for everyone else)."""
    st.caption(safe.md(trail_filters.summary(shown, total)))
    if shown.empty:
        return
    rows = trail_filters.export_frame(shown)
    rows = rows.assign(编辑=login.editor_names(rows["编辑"]).to_numpy())  # names only for editors, in the file too (issue 19)
    st.dataframe(rows, hide_index=True, width="stretch", height=min(640, 38 + 35 * len(rows)), column_config={
        "原因": st.column_config.TextColumn(width="large"), "对象": st.column_config.TextColumn(width="medium"),
        "id": st.column_config.TextColumn("编号", width="small")})
    tables.download_xlsx("导出 XLSX", functools.partial(_trail_xlsx, rows), frame.export_filename("修改记录"),
                     key="trail.xlsx")


def _trail_xlsx(rows: pd.DataFrame) -> bytes:
    return packs.build_table_xlsx(rows, sheet="修改记录", title="人工更正与参考表修改记录",
                                   filters_note="修改记录页的筛选结果")


def load_trail() -> pd.DataFrame:
    """Every correction, undo, finding status, duplicate verdict and reference-table
    edit (`committing.trail_frame`), read again only when one of their files changed
    (not on every rerun)."""
    files = (corrections.corrections_path(), reference_edits.edits_path(), duplicates.log_path(),
             finding_status.log_path())
    return _trail(tuple((str(f), publish.file_version(f)) for f in files))


@st.cache_data(max_entries=4, show_spinner=False)
def _trail(files_and_versions: tuple) -> pd.DataFrame:  # the argument is the cache key

    return committing.trail_frame()

