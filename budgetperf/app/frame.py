"""The frame around every page: the per-run page context (title, the charts and
tables it showed, for the 导出 panel), the layout CSS and the page header with the
active-filter chips.
"""

from __future__ import annotations

from pathlib import Path
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


SUMMARY_KEY = registry.SUMMARY_KEY


def start_page(title: str) -> None:
    """Reset the per-run page context (app.py calls this before running a page)."""
    st.session_state[_PAGE_KEY] = title
    st.session_state[EXPORTS_KEY] = []
    st.session_state[SUMMARY_KEY] = {"headline": None, "figures": [], "notes": []}


def record_headline(sentence: str) -> None:
    """The page's one-sentence answer, for the deck's headline slide."""
    st.session_state.setdefault(SUMMARY_KEY, {"headline": None, "figures": []})["headline"] = sentence


def record_figures(figures: list[tuple[str, str, str]]) -> None:
    """The page's key figures (label, value, change), for the deck's headline slide."""
    st.session_state.setdefault(SUMMARY_KEY, {"headline": None, "figures": []})["figures"].extend(figures)


def record_notes(lines: list[str]) -> None:
    """Lines for the headline slide's speaker notes (the reports' own explanations
    of what the page flags), plain text."""
    st.session_state.setdefault(SUMMARY_KEY, {"headline": None, "figures": []}).setdefault("notes", []).extend(lines)


def page_summary() -> packs.Summary | None:
    """The headline and key figures this run showed (None when it showed neither)."""
    summary = st.session_state.get(SUMMARY_KEY) or {}
    if not summary.get("headline") and not summary.get("figures"):
        return None
    return packs.Summary(summary.get("headline") or page_title(), tuple(summary.get("figures") or ()),
                         tuple(summary.get("notes") or ()))


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
/* the 同比 under a value: it wraps between words (「-1,465.17 万元（-55.2%）」 then
   「较 2020 年」), never cut and never a letter a line */
[data-testid="stMetric"] div:has(> [data-testid="stMetricDelta"]) { flex-wrap: wrap !important; row-gap: 0.2rem; }
[data-testid="stMetricDelta"], [data-testid="stMetricDeltaDescription"] { max-width: 100% !important; min-width: 0;
  height: auto !important; }
[data-testid="stMetricDelta"] p, [data-testid="stMetricDeltaDescription"] p, [data-testid="stMetricLabel"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  word-break: keep-all; overflow-wrap: anywhere; }
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


# Streamlit's own English that screen readers and tooltips read (aria-label, title:
# "Help for …", "Open", "Fullscreen", "Link to heading", "Skip to main content"),
# said in Chinese: CSS cannot reach attributes, so a small script of ours (no
# text from a report or a user in it) rewrites them as they appear.
_ZH_ATTRIBUTES = """
<script>
(() => {
  if (window.__budgetperfZh) return;
  window.__budgetperfZh = true;
  const words = {"Open": "展开选项", "Close": "关闭", "Fullscreen": "全屏", "Exit fullscreen": "退出全屏",
    "Close fullscreen": "退出全屏", "Skip to main content": "跳到正文", "Link to heading": "本节链接",
    "Clear all": "全部清除", "Clear value": "清除", "Clear": "清除", "Remove": "移除", "Increment": "加一",
    "Decrement": "减一", "Show password text": "显示密码", "Hide password text": "隐藏密码",
    "Collapse sidebar": "收起侧边栏", "Expand sidebar": "展开侧边栏", "Close sidebar": "收起侧边栏",
    "Open sidebar": "展开侧边栏", "Download": "下载", "Search": "查找", "Copy to clipboard": "复制",
    "Sidebar": "侧边栏", "App pages": "页面", "Show/hide columns": "显示或隐藏列", "Download as CSV": "下载 CSV",
    "Clear search": "清除查找", "Close search": "关闭查找", "Sort ascending": "从低到高排序",
    "Sort descending": "从高到低排序", "More options": "更多选项", "Main menu": "主菜单"};
  const say = (value) => words[value] || (value.startsWith("Help for ") ? value.slice(9) + "：说明" : null);
  const fix = (el) => {
    for (const name of ["aria-label", "title", "data-title"]) {
      const value = el.getAttribute && el.getAttribute(name);
      const zh = value && say(value);
      if (zh) el.setAttribute(name, zh);
    }
    if ((el.tagName === "A" || el.tagName === "BUTTON") && !el.children.length && words[el.textContent.trim()]) {
      el.textContent = words[el.textContent.trim()];
    }
  };
  const within = (root) => { fix(root); root.querySelectorAll("[aria-label],[title],[data-title],a,button").forEach(fix); };
  within(document.body);
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === "attributes") fix(change.target);
      else change.addedNodes.forEach((node) => { if (node.nodeType === 1) within(node); });
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true,
                             attributeFilter: ["aria-label", "title", "data-title"]});
})();
</script>
"""


def apply_style() -> None:
    """Inject the layout CSS and the script that says Streamlit's English labels in
    Chinese (app.py calls this once per run)."""
    st.html(_STYLE + _ZH_ATTRIBUTES, unsafe_allow_javascript=True)


# Streamlit loads a chart's and a table's code (Plotly: 4.7 MB) only when the
# first chart or table arrives, at the end of a page's run, and React keeps the
# page's cards as grey placeholders until that code has run: on the seed store
# the cards waited 3 s. A page with charts starts loading that code as its first
# element arrives, while the server is still running the page.
_STATIC_JS = Path(st.__file__).parent / "static" / "static" / "js"
_PRELOAD_CHUNKS = tuple(sorted(p.name for pattern in ("PlotlyChart.*.js", "DataFrame.*.js")
                               for p in _STATIC_JS.glob(pattern)))
_PRELOAD = ("<script>if (!window.__budgetperfPreload) { window.__budgetperfPreload = true; "
            + " ".join(f"import('./static/js/{name}');" for name in _PRELOAD_CHUNKS) + " }</script>")


def page_header(title: str, *, clickable: bool = False) -> None:
    """The page's title, the active-filter chips (and, for pages with clickable
    charts, what a click does, and the early load of the charts' code); every page
    calls this first.

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
    if clickable and _PRELOAD_CHUNKS:  # the pages with clickable charts
        st.html(_PRELOAD, unsafe_allow_javascript=True)
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

