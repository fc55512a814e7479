"""The frame around every page: the per-run page context (title, the charts and
tables it showed, for the 导出 panel), the layout CSS and the page header with the
active-filter chips.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from budgetperf.app import registry
from budgetperf.app.sidebar import filter_chips, filter_params, url_problems
from budgetperf.app.store_cache import query
from budgetperf.charts import safe
from budgetperf.export import packs

_PAGE_KEY = "ui.page_title"


EXPORTS_KEY = registry.EXPORTS_KEY


class Export(NamedTuple):
    """One exportable item shown on the current page (figure and/or its data)."""

    export_name: str
    fig: go.Figure | None
    df: pd.DataFrame | None


def start_page(title: str) -> None:
    """Reset the per-run page context (app.py calls this before running a page)."""
    st.session_state[_PAGE_KEY] = title
    st.session_state[EXPORTS_KEY] = []


CLICK_HINT = "点击图中的地区可筛选到该地区；点击项目的数值可打开它在原文中的出处（「数据来源」页）。"


# What the app shows around the pages: the CSS the layout needs (wrapping KPI
# values instead of cutting them, a narrower sidebar on tablets, Streamlit's
# English status text replaced) — Streamlit offers no setting for these.
_STYLE = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; }
@media (max-width: 1200px) {
  [data-testid="stMainBlockContainer"] { padding-left: 1.5rem; padding-right: 1.5rem; }
}
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-left: 1rem; padding-right: 1rem; }
  [data-testid="stMainBlockContainer"] h3 { font-size: 1.2rem; }
  [data-testid="stMainBlockContainer"] h1 { font-size: 1.8rem; }
}
/* KPI cards: as many a row as fit at 180 px or more, values never cut */
[data-testid="stLayoutWrapper"]:has(> [class*="_card_"]) { flex: 1 1 220px !important;
  min-width: 170px !important; max-width: 380px; }
@media (max-width: 640px) {
  [data-testid="stLayoutWrapper"]:has(> [class*="_card_"]) { flex-basis: 150px !important; min-width: 140px !important; }
}
[data-testid="stMetricValue"] > div { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; overflow-wrap: anywhere; line-height: 1.15; }
[data-testid="stMetricValue"] { font-size: clamp(1.25rem, 2.2vw, 1.9rem) !important; }
[data-testid="stMetricLabel"] p { white-space: normal !important; }
@media (max-width: 1200px) and (min-width: 641px) {
  section[data-testid="stSidebar"] { width: 232px !important; min-width: 232px !important; }
}
.st-key-chips button p { font-size: 0.85rem; }
.st-key-chips { align-items: center; }
/* Streamlit's own English: "No results" in a dropdown, the status widget's Running/Stop */
[role="listbox"] [role="option"]:not([aria-selected]) > span { font-size: 0 !important; }
[role="listbox"] [role="option"]:not([aria-selected]) > span::after { content: "没有匹配的选项"; font-size: 0.875rem; }
[data-testid="stStatusWidget"] button { display: none !important; }
[data-testid="InputInstructions"] { display: none !important; }
[data-testid="stStatusWidget"] label { font-size: 0 !important; }
[data-testid="stStatusWidget"] label::after { content: "正在更新…"; font-size: 0.875rem; }
/* The toolbar over a table or chart speaks English (Download as CSV, Search,
   Show/hide columns, Fullscreen): tables have 导出全部 N 行 below them, charts
   Plotly's own toolbar in Chinese. */
[data-testid="stElementToolbar"] { display: none !important; }
/* A table that is one page of several: its headers would sort that page only, so
   they take no clicks (the sort picker above sorts the whole result in SQL). */
[class*="st-key-nosort_"] [data-testid="stDataFrame"] { position: relative; }
[class*="st-key-nosort_"] [data-testid="stDataFrame"]::before { content: ""; position: absolute; left: 0; right: 0;
  top: 0; height: 36px; z-index: 5; cursor: default; }
/* Printing a page (or saving it as PDF): no sidebar, toolbar or buttons, cards
   side by side and whole, charts not split across pages. */
@media print {
  section[data-testid="stSidebar"], header[data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stStatusWidget"], [data-testid="stDecoration"], .modebar-container, [data-testid="stPopover"],
  [data-testid="stBaseButton-tertiary"], [data-testid="stDownloadButton"] { display: none !important; }
  [data-testid="stMain"], [data-testid="stMainBlockContainer"] { margin: 0 !important; padding: 0.5rem !important;
    max-width: 100% !important; width: 100% !important; }
  [data-testid="stMetricDelta"] > div, [data-testid="stMetricLabel"] p { white-space: normal !important;
    word-break: keep-all !important; overflow-wrap: normal !important; }
  [data-testid="stLayoutWrapper"]:has(> [class*="_card_"]) { flex: 1 1 30% !important; min-width: 30% !important;
    max-width: 33% !important; break-inside: avoid; }
  .js-plotly-plot, [data-testid="stDataFrame"], [data-testid="stVerticalBlockBorderWrapper"] { break-inside: avoid; }
}
</style>
"""


def apply_style() -> None:
    """Inject the layout CSS (app.py calls this once per run)."""
    st.html(_STYLE)


def page_header(title: str, *, clickable: bool = False) -> None:
    """The page's title, the active-filter chips (and, for pages with clickable
    charts, what a click does); every page calls this first.

    Also repairs a Streamlit quirk: a process starts in pages/-directory mode
    (because ``pages/`` exists) until some run calls ``st.navigation``. If the first
    request after a server start is a deep link (``/execution?regions=…``), that
    mode runs the page file alone, without app.py: no filters, no wide layout and
    file names as navigation, for every session, until someone opens ``/``.
    Leaving the mode and rerunning makes app.py run and route to the same URL.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
    st.title(title)
    synthetic_banner()
    url_notice()
    filter_chips()
    if clickable:
        st.caption(CLICK_HINT)


def synthetic_banner() -> None:
    """On every page, while the store holds synthetic documents (`budgetperf synth`,
    ``documents.is_synthetic``): say so before any figure is read."""
    counts = query("common/synthetic")
    if counts.empty or not int(counts["synthetic_docs"].iloc[0]):
        return
    synthetic, docs = int(counts["synthetic_docs"].iloc[0]), int(counts["docs"].iloc[0])
    share = "全部" if synthetic == docs else f"其中 {synthetic:,} 份"
    st.warning(f"**合成数据**：库中 {docs:,} 份文档{share}由程序生成（budgetperf synth），不是真实报告，"
               "其中的地区、单位、项目和数字均为虚构，只供测试与演示。", icon="⚠️")


def url_notice() -> None:
    """The link's values that cannot be filters (a year that is no year), named once."""
    problems = url_problems()
    if problems:
        listed = "、".join(f"{label}「{safe.md(value[:20])}」" for label, value in problems[:5])
        st.info(f"链接中的筛选值无效，已忽略：{listed}。年度请写 4 位数字，如 2021。", icon="ℹ️")


def page_title() -> str:
    """The title of the page being run ("" before app.py set one)."""
    return st.session_state.get(_PAGE_KEY, "")


def page_exports() -> list[Export]:
    """Charts and tables shown on the current page in this run, in order.

    Hook for the page-level 导出 panel: call it after the page ran (app.py, after
    ``pg.run()``) to offer every figure as PNG and every table as XLSX.
    """
    return list(st.session_state.get(EXPORTS_KEY, []))


def record_export(export_name: str, fig: go.Figure | None, df: pd.DataFrame | None) -> None:
    st.session_state.setdefault(EXPORTS_KEY, []).append(Export(export_name, fig, df))


def export_filename(export_name: str) -> str:
    """File name (no extension) for an export: page, chart, regions, years, sanitized
    (the same scheme as the 导出 panel, `packs.export_filename`)."""
    params = filter_params()
    return packs.export_filename(page_title() or "看板", export_name, params["regions"], params["years"])

