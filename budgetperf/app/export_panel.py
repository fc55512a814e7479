"""The sidebar's 导出 panel: everything the current page showed as PNGs (ZIP), an
XLSX workbook and a PPTX deck, built only when a button is clicked.
"""

from __future__ import annotations

import functools

import streamlit as st

from budgetperf import charts
from budgetperf.app.frame import page_exports, page_summary, page_title
from budgetperf.app.login import current_editor, editor_names
from budgetperf.app.sidebar import filter_note, filter_params
from budgetperf.app.store_cache import query_later
from budgetperf.export import packs


@st.cache_resource(show_spinner=False)
def _warm_export_browser() -> bool:
    """Start the export browser once per server process, in the background, so the
    first 导出 does not wait for Chromium to launch."""
    packs.start_export_browser()
    return True


def _xlsx(charts_: list[packs.ChartExport], note: str, corrections, is_editor: bool) -> bytes:
    rows = corrections()
    if rows is not None and not rows.empty and "editor" in rows:  # names only in an editor's export (issue 19)
        rows = rows.assign(editor=editor_names(rows["editor"], is_editor).to_numpy())
    return packs.build_xlsx(charts_, note, rows)


def _png_zip(charts_: list[packs.ChartExport], stem: str) -> bytes:
    return packs.build_zip(charts_, packs.render_pngs(charts_), stem)


def _pptx_deck(charts_: list[packs.ChartExport], note: str, title: str, summary: packs.Summary | None) -> bytes:
    return packs.build_pptx(charts_, packs.render_pngs(charts_), note, title, summary)


OPEN_KEY = "export.open"


def _open() -> None:
    st.session_state[OPEN_KEY] = True


@st.fragment
def export_panel() -> None:
    """Downloads of everything the current page showed. Prepared only once someone
    asks (a room opening the page does not pay for a panel few use: the button
    reruns this fragment alone), then kept open for the session. Files are built
    only when a button is clicked (deferred callables with their inputs bound now:
    the callback runs without script context). Without Chromium the PNG/PPTX
    buttons are replaced by a note for the administrator; XLSX and each chart's
    toolbar camera still work."""
    st.markdown("**导出本页**")
    shown = [item for item in page_exports() if item.fig is not None]
    if not shown:
        st.caption("本页当前没有图表可导出：请调整筛选条件。")
        return
    if not st.session_state.get(OPEN_KEY):
        st.button(f"准备导出（{len(shown)} 张图表）", key="export.prepare", on_click=_open, width="stretch",
                  help="XLSX（数据＋图表）、PNG 图片（ZIP）、PPTX（会议材料）")
        return
    charts_ = packs.chart_exports(shown, charts.LABELS, charts.source_line)
    params = filter_params()
    title = page_title() or "看板"
    stem = packs.export_filename(title, f"{len(charts_)}张图表", params["regions"], params["years"])
    note = filter_note()
    corrected = query_later("review/corrections", **params, limit=5000)  # the 更正记录 sheet (issue 12), on click
    st.download_button("XLSX（数据＋图表）", data=functools.partial(_xlsx, charts_, note, corrected, current_editor() is not None),
                       file_name=f"{stem}.xlsx", key="export.xlsx", on_click="ignore", icon=":material/table_view:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch")
    if packs.chromium_path() is None:
        st.info(packs.INSTALL_HINT_ZH, icon=":material/info:")
        return
    _warm_export_browser()
    st.download_button("PNG 图片（ZIP）", data=functools.partial(_png_zip, charts_, stem), file_name=f"{stem}.zip",
                       key="export.zip", on_click="ignore", icon=":material/image:", mime="application/zip",
                       width="stretch")
    st.download_button("PPTX（会议材料）", data=functools.partial(_pptx_deck, charts_, note, title, page_summary()),
                       file_name=f"{stem}.pptx", key="export.pptx", on_click="ignore", icon=":material/slideshow:",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       width="stretch")
    st.caption(f"共 {len(charts_)} 张图表，PNG 为 2 倍清晰度；图中注明筛选条件与来源。")

