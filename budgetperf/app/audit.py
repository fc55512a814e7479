"""The 审核 page's widgets: the severity and rule filters bound to the URL and one
finding shown in full with its source lines.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from budgetperf import charts
from budgetperf.app.navigation import source_button
from budgetperf.app.sources import source_context

SEVERITY_KEY = "severities"


RULE_KEY = "rules"


def select_severities() -> list[str] | None:
    """The audit page's 严重程度 filter (错误/警告/提示), bound to ``?severities=``; None = 全部."""
    chosen = st.pills("严重程度", list(charts.SEVERITY_ORDER), selection_mode="multi", key=SEVERITY_KEY,
                      bind="query-params", help="不选 = 全部")
    return list(chosen) or None


def select_rules(kinds: Sequence[str], titles: dict[str, str]) -> list[str] | None:
    """The audit page's 规则 filter, bound to ``?rules=``; None = 全部."""
    current = [k for k in (st.session_state.get(RULE_KEY) or []) if k]
    options = list(dict.fromkeys([*kinds, *current]))
    chosen = st.multiselect("审核规则", options, key=RULE_KEY, bind="query-params", placeholder="全部规则",
                            format_func=lambda k: titles.get(k, k), select_all=False, filter_mode="contains")
    return list(chosen) or None


def set_rules(kinds: list[str]) -> None:
    """Callback: show only these rules' findings."""
    st.session_state[RULE_KEY] = kinds


# The findings table, key columns first, with each finding's status (未处理/已核实/忽略,
# who set it: issue 12; its form is `review_ui.finding_status_panel`).
FINDING_COLUMNS = ["severity_zh", "finding_status", "rule", "message_zh", "region", "year", "doc_name",
                   "project_name", "file", "line_start", "line_end", "status_by"]


def finding_detail(finding: pd.Series, rule: str, rule_help: str) -> None:
    """One finding in full: its message, what its rule checks, the document (name and
    file) and the lines it cites, and a link to every source of its project."""
    with st.container(border=True, key="finding"):
        st.markdown(f"**{html.escape(finding.severity_zh)} · {html.escape(rule)}**")
        st.markdown(html.escape(str(finding.message_zh)))
        if rule_help:
            st.caption(f"规则说明：{rule_help}")
        source_context(finding.file, finding.line_start, finding.line_end, context=4, name=finding.doc_name)
        if isinstance(finding.project_name, str):
            source_button(f"打开项目「{finding.project_name}」的全部出处", finding.file, finding.project_name,
                          f"line:{int(finding.line_start)}" if not pd.isna(finding.line_start) else None,
                          key="audit.open")

