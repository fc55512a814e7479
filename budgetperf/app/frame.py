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
from budgetperf.app.sidebar import filter_chips, filter_params
from budgetperf.export import packs

# Page files, for navigation from one page to another (paths relative to app.py).
















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
    filter_chips()
    if clickable:
        st.caption(CLICK_HINT)


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

