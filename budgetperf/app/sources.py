"""The 数据来源 page's widgets: the document and project pickers bound to the URL, a
project's figures as cards, and source lines with the cited ones highlighted.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from budgetperf import charts
from budgetperf.app import crops, navigation, registry
from budgetperf.app.display import Kpi, kpi_cards
from budgetperf.app.navigation import (
    DOC_KEY,
    FIELD_PARAM,
    PROJECT_KEY,
    filter_state_for,
    nav_button,
)
from budgetperf.app.store_cache import query
from budgetperf.charts import briefing, safe


def _reset_project() -> None:
    st.session_state[PROJECT_KEY] = None
    st.query_params.pop(FIELD_PARAM, None)


def _reset_field() -> None:
    st.query_params.pop(FIELD_PARAM, None)


# A clicked number's field → the provenance fields that may hold its line (a
# budget shown is the adjusted one when the report states it, else the initial).
FIELD_ALIASES = {"budget": ["budget_adjusted", "budget_initial"], "executed": ["executed"],
                 "execution_rate": ["execution_rate", "executed"], "total_score": ["total_score", "grade"]}


def project_figures(p: pd.Series) -> None:
    """One project's figures as cards (derived values say so), and links to the
    pages that show it among others."""
    rate = charts.fmt_pct(p.execution_rate_pct) + briefing.rate_basis(p.execution_rate_pct, p.get("execution_rate_stated_pct"),
                                                                     p.get("is_execution_rate_computed"))
    grade = (f"{p.grade}（按得分推算）" if p.get("is_grade_derived") else p.grade) or "—"
    status = charts.execution_status(p.execution_rate_pct)
    corrected = set(p.get("corrected_fields") if charts.is_listlike(p.get("corrected_fields")) else [])

    def label(text: str, *fields: str) -> str:  # ✎: a person corrected it (its history is just below)
        return f"{text} ✎" if corrected & set(fields) else text

    kpi_cards([Kpi(label("预算", "budget_initial", "budget_adjusted"), charts.fmt_wan(p.budget_wan)),
               Kpi(label("执行", "executed"), charts.fmt_wan(p.executed_wan)),
               Kpi(label("执行率", "execution_rate", *(("executed", "budget_initial", "budget_adjusted")
                                                      if not charts.is_missing(p.executed_wan) else ())), rate,
                   status=(status, STATUS_BADGE.get(status, "gray"))),
               Kpi(label("总得分", "total_score"), charts.fmt_number(p.total_score)),
               Kpi(label("等级", "grade"), grade)], key="project_figures")
    with st.container(horizontal=True, wrap=True):
        nav_button("在「指标完成」页查看该项目 →", registry.path_of("indicators"), filter_state_for(p.region, p.year, p.project_name),
                   key="sources.to_indicators")
        nav_button("在「预算执行」页查看该项目 →", registry.path_of("execution"), filter_state_for(p.region, p.year, p.project_name),
                   key="sources.to_execution")
        if isinstance(p.get("project_id"), str):  # 数据校对's item keys (navigation.REVIEW_ITEM_KEY, ?item=)
            nav_button("数值有误？到「数据校对」页更正 →", registry.path_of("review"), {navigation.REVIEW_ITEM_KEY: p.project_id},
                       key="sources.to_review_item", url={navigation.REVIEW_ITEM_PARAM: p.project_id})


STATUS_BADGE = {"低于警戒线": "red", "达标": "green", "超过预算": "orange", charts.UNDISCLOSED: "gray"}


def clicked_lines(clicked: str, provenance: pd.DataFrame) -> tuple[int, int] | None:
    """The source lines a click asked for: ``line:N`` names the line, a field name
    the lines its value was read from (`FIELD_ALIASES`); None when neither is known."""
    if clicked.startswith("line:") and clicked[5:].isdigit():
        return int(clicked[5:]), int(clicked[5:])
    hits = provenance[provenance["field"].isin(FIELD_ALIASES.get(clicked, [clicked]))] if not provenance.empty else provenance
    if hits.empty:
        return None
    return hits.iloc[0].line_start, hits.iloc[0].line_end


def clicked_field() -> str | None:
    """The field (or ``line:N``) whose source line was asked for by a click."""
    return st.query_params.get(FIELD_PARAM)


_DOC_PICKER = "sources.doc_pick"


def _document_picked() -> None:
    value = st.session_state.get(_DOC_PICKER)
    st.session_state[DOC_KEY] = value
    if value:
        st.query_params[DOC_KEY] = value
    else:
        st.query_params.pop(DOC_KEY, None)
    _reset_project()


def select_document(names: dict[str, str]) -> str | None:
    """The 文档 picker: documents by display name with the file name beside it; the
    file name is what ``?doc=`` holds (the picker writes it, a link sets it). A
    document from a link stays offered even when the sidebar filters would hide it.

    Not a bound widget: a bound selectbox would put its formatted label in the URL."""
    current = st.session_state.get(DOC_KEY) if DOC_KEY in st.session_state else st.query_params.get(DOC_KEY)
    options = list(names)
    if current and current not in names:
        options.append(current)
    if _DOC_PICKER in st.session_state and st.session_state[_DOC_PICKER] != current:
        st.session_state[_DOC_PICKER] = current  # a link or a click chose another document
    index = options.index(current) if current in options else None
    picked = st.selectbox("文档", options, index=index, key=_DOC_PICKER, on_change=_document_picked,
                          format_func=lambda f: f"{names.get(f, f)}（{f}）", filter_mode="contains",
                          placeholder="选择文档（或点击其他页面图中的数值）")
    st.session_state[DOC_KEY] = picked
    if picked and st.query_params.get(DOC_KEY) != picked:
        st.query_params[DOC_KEY] = picked
    return picked


def select_project(names: Sequence[str]) -> str | None:
    """The 项目 picker for the chosen document, bound to ``?project=``."""
    names = list(names)
    if st.session_state.get(PROJECT_KEY) not in [*names, None]:
        st.session_state[PROJECT_KEY] = None  # a project of another document
    return st.selectbox("项目", names, index=None, key=PROJECT_KEY, bind="query-params", on_change=_reset_field,
                        placeholder="选择项目，查看其数值、指标与原文出处")


def place_label(page: object = None, sheet: object = None, table: object = None) -> str:
    """Where a line is in the original file: 「第 2 页 · 表 3」, 「工作表 Sheet1」; "" when
    the format has no pages, sheets or tables (a .txt line)."""
    parts = []
    if not pd.isna(page) and page is not None:
        parts.append(f"第 {int(page)} 页")
    if sheet is not None and not pd.isna(sheet) and str(sheet):
        parts.append(f"工作表 {sheet}")
    if not pd.isna(table) and table is not None:
        parts.append(f"表 {int(table)}")
    return " · ".join(parts)


def source_lines_html(lines: pd.DataFrame, line_start: int, line_end: int) -> str:
    """HTML table of source lines with the cited range [line_start, line_end] highlighted,
    each line's place in the original (page, sheet, table) beside its number."""
    rows = []
    places = [place_label(*(row.get(k) for k in ("page", "sheet", "table_index"))) for _, row in lines.iterrows()]
    for number, text, place in zip(lines["line_no"], lines["text"], places):
        is_cited = line_start <= number <= line_end
        style = "background:#fff3c4;font-weight:600;" if is_cited else "color:#52606d;"
        mark = "▶" if is_cited else ""
        rows.append(
            f'<tr style="{style}"><td style="text-align:right;padding:2px 8px;color:#9aa5b1;'
            f'white-space:nowrap;vertical-align:top;">{mark} {int(number)}</td>'
            f'<td style="padding:2px 8px;color:#9aa5b1;white-space:nowrap;vertical-align:top;font-size:0.8rem;">'
            f'{html.escape(place)}</td>'
            f'<td style="padding:2px 8px;white-space:pre-wrap;">{html.escape(str(text or ""))}</td></tr>'
        )
    return ('<table style="border-collapse:collapse;width:100%;font-size:0.92rem;'
            'font-family:\'Noto Sans CJK SC\',sans-serif;border:1px solid #e4e7eb;">'
            + "".join(rows) + "</table>")


def source_context(file: str, line_start: object, line_end: object, *, context: int = 3,
                   caption: str = "", name: str | None = None) -> None:
    """Show lines [start-context, end+context] of `file`, the cited ones highlighted;
    the document by its display name `name`, the file name beside it."""
    if pd.isna(line_start):
        st.caption("该条目没有记录原文行号。")
        return
    start = int(line_start)
    end = int(line_end) if not pd.isna(line_end) else start
    lines = query("sources/lines", doc=file, line_from=max(1, start - context), line_to=end + context)
    label = f"第 {start} 行" if start == end else f"第 {start}–{end} 行"
    cited = lines[lines["line_no"] == start]
    if not cited.empty and "page" in cited:
        where = place_label(*(cited.iloc[0].get(k) for k in ("page", "sheet", "table_index")))
        label += f"（{where}）" if where else ""
    title = f"{name}（文件 {file}）" if name else file
    st.markdown(f"**原文出处**：{safe.md(title)} {label}{('　' + safe.md(caption)) if caption else ''}")
    st.html(source_lines_html(lines, start, end))
    crops.show_page_crop(file, lines, start, end)  # a scanned page: the part the value was read from

