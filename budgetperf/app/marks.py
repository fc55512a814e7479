"""✎ marks and correction history beside the values people corrected, on the pages
that list values (预算执行, 指标完成, 数据来源) and on 数据校对 (with undo).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from budgetperf.app import login, navigation, registry, store_cache, writes
from budgetperf.charts import safe

CORRECTED_MARK = "✎"


HISTORY_COLUMNS = {"made_at": "时间", "editor": "编辑", "target": "对象", "label_zh": "字段", "extracted_value": "原值",
                   "new_value": "新值", "reason": "原因", "status_zh": "状态"}


def _history_frame(rows: pd.DataFrame) -> pd.DataFrame:
    target = [" · ".join(x for x in (p, i) if isinstance(x, str)) or "文档"
              for p, i in zip(rows["project_name"], rows["indicator_name"])]
    return rows.assign(target=target, made_at=rows["made_at"].map(when),
                       editor=login.editor_names(rows["editor"]).to_numpy())[list(HISTORY_COLUMNS)].rename(
        columns=HISTORY_COLUMNS)


def when(at: object) -> str:
    """An ISO time as people read it: 2026-03-05 14:20."""
    return str(at or "")[:16].replace("T", " ")


def history_panel(doc_id: str, project_id: str | None, editor: str | None) -> None:
    """The item's active corrections (who, when, old, new, why, whether still needed),
    newest first; an editor can undo each."""
    rows = store_cache.query("review/history", doc_id=doc_id, project_id=project_id)
    if rows.empty:
        st.caption("还没有人工更正。")
        return
    st.dataframe(_history_frame(rows), hide_index=True, width="stretch")
    if not editor:
        return
    for row in rows.itertuples():
        what = f"{row.label_zh}：{row.extracted_value or '空'} → {row.new_value or '空'}"
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.caption(safe.md(f"{when(row.made_at)} {row.editor}　{what}"))
            st.button("撤销", key=f"review.undo.{row.correction_id}", icon=":material/undo:", type="tertiary",
                      on_click=writes.undo, args=(row.correction_id, what))


def corrected_history(doc_id: str, project_id: str | None = None) -> None:
    """On 数据来源: which values of this document (project) a person corrected, with
    who, when, the old value and why, folded behind one click."""
    rows = store_cache.query("review/history", doc_id=doc_id, project_id=project_id)
    applied = rows[rows["status"] == "applied"] if not rows.empty else rows
    if applied.empty:
        return
    fields = "、".join(dict.fromkeys(applied["label_zh"]))
    with st.expander(f"{CORRECTED_MARK} 人工更正过的数值（{len(applied)}）：{fields}"):
        st.dataframe(_history_frame(applied), hide_index=True, width="stretch")
        st.caption("显示的是更正后的数值；原值是报告原文抽取出的值。")
        target = project_id or doc_id
        navigation.nav_button("在「数据校对」页查看或撤销 →", registry.path_of("review"), {navigation.REVIEW_ITEM_KEY: target}, key="sources.to_review",
                      url={navigation.REVIEW_ITEM_PARAM: target})


def corrections_expander(project_ids: list[str]) -> None:
    """Under a list of projects: the corrections of the listed ones, behind one click."""
    ids = [p for p in project_ids if isinstance(p, str)]
    if not ids:
        return
    rows = store_cache.query("review/corrected", project_ids=ids)
    if rows.empty:
        return
    projects = rows["project_id"].nunique()
    with st.expander(f"{CORRECTED_MARK} 本页有 {projects} 个项目的数值经人工更正（{len(rows)} 处）：查看更正记录"):
        st.dataframe(rows.assign(made_at=rows["made_at"].map(when), editor=login.editor_names(rows["editor"]).to_numpy(),
                                 target=[" · ".join(x for x in (d, p, i) if isinstance(x, str)) for d, p, i in zip(
            rows["doc_name"], rows["project_name"], rows["indicator_name"])])[
            ["made_at", "editor", "target", "label_zh", "extracted_value", "new_value", "reason"]].rename(
            columns={**HISTORY_COLUMNS, "target": "文档 · 项目"}), hide_index=True, width="stretch")

