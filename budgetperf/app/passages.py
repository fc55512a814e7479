"""The report's own words on why, beside the figures a reader asks "why" about:
on 总览's 需要关注 cards (the flagged project's first reason or problem, short),
on 数据来源 beside a project's figures and on 审核 under a finding of the project
(every passage), each with 「打开原文」
to its lines. Text from reports is shown as text (`charts.safe`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from budgetperf.app.navigation import FIELD_PARAM, source_button
from budgetperf.app.store_cache import query
from budgetperf.charts import briefing, safe


def why_passages(project_ids: Iterable[object]) -> dict[str, dict]:
    """project_id → its first reason (else problem) passage (`sources/why_passages`);
    projects whose report explains nothing are absent."""
    ids = sorted({p for p in project_ids if isinstance(p, str)})
    if not ids:
        return {}
    rows = query("sources/why_passages", project_ids=ids)
    return {row["project_id"]: row for row in rows.to_dict("records")}


def why_line(passage: dict | None, key: str) -> None:
    """A card's line: the passage's first words and a button to its lines."""
    excerpt = briefing.why_excerpt(passage)
    if excerpt is None:
        return
    with st.container(horizontal=True, wrap=True, vertical_alignment="center", gap="small"):
        st.caption(safe.md(excerpt))
        if not pd.isna(passage.get("line_start")):
            source_button("打开原文", passage["file"], passage["project_name"], f"line:{int(passage['line_start'])}",
                          key=key)


def project_passages(file: str, project: str, *, key: str = "sources") -> None:
    """Under a project's figures on 数据来源 (key "sources"), or under a finding on
    审核: what its report says of its problems, reasons and next steps, each with a
    button to its lines (on 数据来源 itself, or opening it)."""
    rows = query("sources/passages", doc=file, project=project)
    if rows.empty:
        return
    st.markdown("**报告中的说明**")
    for i, row in enumerate(rows.to_dict("records")):
        with st.container(border=True, gap="xsmall", key=f"{key}.passage_{i}"):
            where = "" if pd.isna(row["line_start"]) else f"　第 {int(row['line_start'])}" + (
                "" if pd.isna(row["line_end"]) or int(row["line_end"]) == int(row["line_start"])
                else f"–{int(row['line_end'])}") + " 行"
            st.markdown(f"**{safe.md(row['kind_zh'])}**" + (f"（{safe.md(row['label'])}）" if isinstance(row.get("label"), str) else "")
                        + safe.md(where))
            st.caption(safe.md(" ".join(str(row["text"]).split())))
            if pd.isna(row["line_start"]):
                continue
            if key == "sources":  # already on 数据来源: the page shows the line the URL names
                st.button("打开原文", key=f"sources.passage.{i}", type="tertiary", icon=":material/description:",
                          on_click=_show_line, args=(int(row["line_start"]),))
            else:
                source_button("打开原文", file, project, f"line:{int(row['line_start'])}", key=f"{key}.passage.{i}")


def _show_line(line: int) -> None:
    st.query_params[FIELD_PARAM] = f"line:{line}"
