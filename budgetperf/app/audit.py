"""The 审核 page's widgets: the severity and rule filters bound to the URL and one
finding shown in full with its source lines.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from budgetperf import charts, vocabulary
from budgetperf.app import login, passages, writes
from budgetperf.app.navigation import source_button
from budgetperf.app.sources import source_context
from budgetperf.changes import forms
from budgetperf.understanding import findings
from budgetperf.understanding.audit import KINDS, SEVERITY_ZH

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
# who set it: issue 12; its form is `finding_status_panel`).
FINDING_COLUMNS = ["severity_zh", "finding_status", "rule", "message_zh", "region", "year", "doc_name",
                   "project_name", "file", "line_start", "line_end", "status_by"]


def with_viewer_names(findings_: pd.DataFrame | Callable[[], pd.DataFrame], is_editor: bool
                      ) -> pd.DataFrame | Callable[[], pd.DataFrame]:
    """Findings (or a callable fetching them, for a download) with who set each
    status as this viewer may see it: the name for an editor, else 「编辑」."""
    def masked(df: pd.DataFrame) -> pd.DataFrame:
        if "status_by" not in df or df.empty:
            return df
        return df.assign(status_by=login.editor_names(df["status_by"], is_editor).to_numpy())
    if callable(findings_):
        return lambda: masked(findings_())
    return masked(findings_)


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
            # the report's own account of the project's problems and reasons, beside the finding
            passages.project_passages(finding.file, finding.project_name, key="audit")


def finding_status_panel(finding: pd.Series, editor: str | None) -> None:
    """Set the status of one audit finding (未处理/已核实/忽略), with a reason."""
    status = finding.get("finding_status") or "未处理"
    if status != "未处理":
        who = login.editor_names([finding.get("status_by")], editor is not None).iloc[0]
        st.caption(f"处理状态：{status}（{who or ''} {finding.get('status_at') or ''}）"
                   f"{finding.get('status_reason') or ''}")
    if not editor:
        st.caption("登录为编辑（「数据管理」或「数据校对」页）后可把发现标为已核实或忽略。")
        return
    key = f"audit.status.{writes.round_number()}.{finding.check_id}"
    with st.form(key, border=True, enter_to_submit=False):
        st.radio("处理状态", list(vocabulary.FINDING_STATUSES), horizontal=True, key=f"{key}.value",
                 index=list(vocabulary.FINDING_STATUSES).index(status) if status in vocabulary.FINDING_STATUSES else 0)
        st.text_input("原因（必填）", key=f"{key}.reason", placeholder="例如：已与填报单位核实，原文如此")
        st.form_submit_button("保存处理状态", type="primary", icon=":material/save:", on_click=writes.submit, args=(
            functools.partial(_finding_records, finding.to_dict(), key), "处理状态", "finding"))


def _finding_records(finding: dict, key: str, editor: str) -> list:
    return forms.finding_status(finding, finding["content_hash"], st.session_state.get(f"{key}.value"),
                                       reason=st.session_state.get(f"{key}.reason", ""), editor=editor)


def kinds_explained() -> None:
    """Every kind of finding the audit can raise, by severity: its title and what it
    means (the words are ours, from `understanding.findings`)."""
    with st.expander("每类审核发现是什么意思"):
        for severity, severity_zh in SEVERITY_ZH.items():
            kinds = [k for k, s in KINDS.items() if s == severity and k != "reading_note"]
            st.markdown(f"**{severity_zh}**：{findings.SEVERITY_HELP[severity_zh]}")
            st.markdown("\n".join(f"- **{findings.rule_title(k)}**：{findings.rule_help(k)}" for k in kinds))


def select_statuses() -> list[str] | None:
    """The 审核 page's 处理状态 filter, bound to ``?statuses=``: open findings (未处理)
    unless chosen otherwise; none chosen = every status."""
    chosen = st.pills("处理状态", list(vocabulary.FINDING_STATUSES), selection_mode="multi", default=["未处理"],
                      key="statuses", bind="query-params",
                      help="编辑可把审核发现标为已核实或忽略；默认只看未处理的。都不选 = 全部。")
    return list(chosen) or None


def settled_note(summary: pd.Series) -> None:
    """Say how many findings are settled (not counted in the cards above)."""
    verified, ignored = int(summary.get("verified") or 0), int(summary.get("ignored") or 0)
    if verified or ignored:
        st.caption(f"另有 {verified:,} 条已核实、{ignored:,} 条已忽略，不计入上面的数字（在「处理状态」中选择即可查看）。")

