"""Streamlit glue: the store connection, cached queries, shared filters, chart and table display.

The only module of the package that imports streamlit. It owns:

- the read-only store snapshot (`store.connect`), shared by all sessions through
  ``st.cache_resource`` and reopened when the store file's identity changes
  (every write publishes a new file, `publish.publish`), and query results cached
  with ``st.cache_data`` keyed by query name, params and that identity;
- the sidebar filters (rendered once per run by ``app.py``, bound to the URL so a
  link reproduces the view and the state survives page switches) and their
  mapping to named-query params (`filter_params`);
- display helpers pages call instead of streamlit directly where a convention
  applies: `show_chart` (Plotly config, export file name, click-through to the
  sources page), `show_table`, `empty_state`, `source_caption`, `metric_row`,
  `source_context`, `nav_button`;
- the per-run export hook: every `show_chart`/`show_table` call records
  ``Export(export_name, fig, df)``; `page_exports()` returns this run's list for a
  page-level 导出 panel.

It must not build figures (charts.py does) or hold SQL (queries/ does).
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from budgetperf import charts, export, filters, publish, settings, store

# Page files, for navigation from one page to another (paths relative to app.py).
OVERVIEW_PAGE = "pages/overview.py"
EXECUTION_PAGE = "pages/execution.py"
INDICATORS_PAGE = "pages/indicators.py"
SCORES_PAGE = "pages/scores.py"
REGIONS_PAGE = "pages/regions.py"
SOURCES_PAGE = "pages/sources.py"
AUDIT_PAGE = "pages/audit.py"

# Keys of the sources page's detail view; also its URL params (?doc=…&project=…).
DOC_KEY = "doc"
PROJECT_KEY = "project"

_PAGE_KEY = "ui.page_title"
_EXPORTS_KEY = "ui.exports"
_GOTO_KEY = "ui.goto"


# ---------------------------------------------------------------------------
# the store

class StoreMissing(Exception):
    """The store file does not exist (no build yet)."""


def store_path() -> Path:
    """Where the store is (setting BUDGETPERF_DB)."""
    return Path(settings.get("BUDGETPERF_DB"))


def store_version(path: Path | None = None) -> tuple[int, int, int] | None:
    """The store file's identity (inode, mtime_ns, size), or None when it is missing.
    Every write publishes a new file (`publish.publish`), so this changes with each."""
    return publish.file_version(path or store_path())


def store_exists() -> bool:
    """Whether the store file exists."""
    return store_version() is not None


@dataclass
class _OpenStore:
    path: str
    version: tuple[int, int, int] | None
    con: store.Snapshot


def _is_current(opened: _OpenStore) -> bool:
    # A write publishes a new file: drop this snapshot and open the new one.
    return store_version(Path(opened.path)) == opened.version


def _close(opened: _OpenStore) -> None:
    # A snapshot is its own DuckDB instance, so the new one never depends on this
    # closing; a query another session still runs on it keeps it busy (DuckDB then
    # refuses to close), and it is freed when that query lets go of it.
    try:
        opened.con.close()
    except duckdb.Error:
        pass


@st.cache_resource(validate=_is_current, on_release=_close, show_spinner=False)
def _open_store(path: str) -> _OpenStore:
    version = store_version(Path(path))  # before opening: a publish in between only causes a reopen
    return _OpenStore(path, version, store.connect(path, read_only=True))


@st.cache_data(show_spinner=False, max_entries=1024)
def _run_cached(name: str, params: dict, path: str, version: tuple[int, int, int]) -> pd.DataFrame:
    # `version` is in the cache key only: a newly published store misses the old entries.
    return store.run_query(name, con=_open_store(path).con, **params)


def query(name: str, **params) -> pd.DataFrame:
    """Run named query `name` (queries/<name>.sql) with `params`, cached per store version.

    Raises StoreMissing when there is no store file. A query that races a publish
    (its snapshot closed underneath it) is retried once on the new snapshot.
    """
    path = store_path()
    version = store_version(path)
    if version is None:
        raise StoreMissing(str(path))
    try:
        return _run_cached(name, params, str(path), version)
    except store.QueryError as exc:
        if not isinstance(exc.error, duckdb.ConnectionException):
            raise
        _open_store.clear()
        return _run_cached(name, params, str(path), store_version(path) or version)


def missing_store_notice() -> None:
    """Tell the user how to build the store (shown instead of pages when it is missing)."""
    st.error(
        f"还没有数据库文件：{store_path()}\n\n"
        "请先把评价报告放进 `data/reports/`，然后运行 `make run`（会自动建库并启动看板），"
        "或运行 `python -m budgetperf build` 生成数据库后刷新本页。",
        icon=":material/database:",
    )


# ---------------------------------------------------------------------------
# shared filters

def filter_option_rows() -> pd.DataFrame:
    """Every year×region×level×unit×project×doc type in the store (filter options)."""
    return query("common/filter_options")


def _selection(key: str) -> list:
    """A filter's current values: session state, else the URL (before the widget registers)."""
    if key in st.session_state:
        return list(st.session_state[key] or [])
    return st.query_params.get_all(key)


def _clear_filters() -> None:
    # A callback, so it runs before the widgets exist in the next run (writing a
    # widget's key after it is drawn raises). Bound params follow session state.
    for key in filters.FILTER_KEYS:
        st.session_state[key] = []


def render_filters() -> None:
    """Draw the shared filters in the sidebar (called once per run by app.py).

    Each multiselect's key is its URL param and SQL param (``?regions=三门峡市``);
    nothing selected shows 全部 and binds NULL. Units and projects offer only
    values under the filters above them.
    """
    rows = filter_option_rows()
    with st.sidebar:
        st.subheader("筛选")
        for spec in filters.FILTERS:
            params = filters.to_params({k: _selection(k) for k in filters.FILTER_KEYS})
            selected = filters.to_params({spec.key: _selection(spec.key)})[spec.key] or []
            st.multiselect(
                spec.label,
                filters.options(rows, spec.key, params, selected),
                key=spec.key,
                bind="query-params",
                placeholder="全部",
                format_func=str,
            )
        params = filter_params()
        st.button("清除全部筛选", on_click=_clear_filters, disabled=not filters.active(params),
                  key="filters.clear", width="stretch")
        st.caption(f"当前：{filters.describe(params)}")


def filter_params() -> dict[str, list | None]:
    """The shared filters as named-query params (None = 全部)."""
    return filters.to_params({k: st.session_state.get(k) for k in filters.FILTER_KEYS})


def region_colors() -> dict[str, str]:
    """Region → colour over every region in the store, so colours never shift with filters."""
    return charts.region_colors(filter_option_rows()["region"])


# ---------------------------------------------------------------------------
# page frame and exports

class Export(NamedTuple):
    """One exportable item shown on the current page (figure and/or its data)."""

    export_name: str
    fig: go.Figure | None
    df: pd.DataFrame | None


def start_page(title: str) -> None:
    """Reset the per-run page context (app.py calls this before running a page)."""
    st.session_state[_PAGE_KEY] = title
    st.session_state[_EXPORTS_KEY] = []


CLICK_HINT = "提示：点击图中项目的柱子或点，可打开该项目的指标与原文出处（「数据来源」页）。"


def page_header(title: str, *, clickable: bool = False) -> None:
    """The page's title (and, for pages with clickable charts, how to click through);
    every page calls this first.

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
    return list(st.session_state.get(_EXPORTS_KEY, []))


def _record(export_name: str, fig: go.Figure | None, df: pd.DataFrame | None) -> None:
    st.session_state.setdefault(_EXPORTS_KEY, []).append(Export(export_name, fig, df))


def export_filename(export_name: str) -> str:
    """File name (no extension) for an export: page, chart, regions, years, sanitized
    (the same scheme as the 导出 panel, `export.export_filename`)."""
    params = filter_params()
    return export.export_filename(page_title() or "看板", export_name, params["regions"], params["years"])


def plotly_config(export_name: str) -> dict:
    """The Plotly config every chart uses: no logo, PNG at 2× named after the view."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": export_filename(export_name)},
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    }


def show_chart(fig: go.Figure, export_name: str, df: pd.DataFrame | None = None, *,
               opens_project: bool = False) -> None:
    """Show a Plotly figure with the shared config and record it for export.

    With ``opens_project=True`` the chart is clickable: a click on a point whose
    customdata is ``[file, project_name]`` opens that project on the 数据来源 page.
    """
    config = plotly_config(export_name)
    key = f"chart.{export_name}"
    if opens_project:
        event = st.plotly_chart(fig, width="stretch", theme=None, config=config, key=key,
                                on_select="rerun", selection_mode="points")
        _record(export_name, fig, df)
        for point in (event.selection.points if event else []):
            custom = point.get("customdata")
            if isinstance(custom, (list, tuple)) and len(custom) >= 2 and custom[0] and custom[1]:
                open_project(str(custom[0]), str(custom[1]))
    else:
        st.plotly_chart(fig, width="stretch", theme=None, config=config, key=key)
        _record(export_name, fig, df)


def show_table(df: pd.DataFrame, columns: Sequence[str], export_name: str, *, height: int | str = "auto",
               selectable: bool = False) -> int | None:
    """Show `df`'s `columns` formatted (万元, %, 未披露) with Chinese headers; record it for export.

    With ``selectable=True`` one row can be selected; returns its position in `df`
    (or None).
    """
    shown = charts.format_table(df, columns)
    _record(export_name, None, df[[c for c in columns if c in df]])
    if not selectable:
        st.dataframe(shown, hide_index=True, width="stretch", height=height)
        return None
    event = st.dataframe(shown, hide_index=True, width="stretch", height=height, key=f"table.{export_name}",
                         on_select="rerun", selection_mode="single-row")
    rows = event.selection.rows if event else []
    return rows[0] if rows and rows[0] < len(df) else None


def empty_state(what: str, *, blockers: Sequence[str] = ()) -> None:
    """Say there is no data for `what` under the current filters, and which filter to change."""
    st.info(filters.empty_hint(what, filter_params(), blockers=blockers), icon=":material/filter_alt:")


def source_caption(*frames: pd.DataFrame) -> None:
    """Caption naming the documents behind the figures shown (file names)."""
    files = sorted({f for df in frames if df is not None for f in charts.source_files(df)})
    st.caption("数据来源：" + ("、".join(files) if files else "无（当前筛选下没有数据）"))


def metric_row(items: Sequence[tuple[str, str, str | None]], per_row: int = 3) -> None:
    """Rows of bordered st.metric cards: (label, formatted value, help). Three per row
    keep values like "1,234.50 万元" whole instead of truncated."""
    for start in range(0, len(items), per_row):
        chunk = items[start:start + per_row]
        for column, (label, value, help_text) in zip(st.columns(per_row), chunk):
            column.metric(label, value, help=help_text, border=True)


def filter_note() -> str:
    """The current filters in Chinese (for export notes)."""
    return filters.describe(filter_params())


# ---------------------------------------------------------------------------
# navigation

def switch_page(page: str, query_params: dict | None = None) -> None:
    """st.switch_page that keeps working while filters are bound to the URL.

    With ``query_params=None`` Streamlit clears the URL through a check that
    raises when any param is bound to a widget (every active filter is); a
    mapping replaces the URL without that check (its own keys must not be bound
    on the current page), and the bound filters write their values back on the
    next run, so they survive the switch.
    """
    st.switch_page(page, query_params=query_params or {})


def _go_to(page: str, values: dict) -> None:
    # A click callback: runs before the next run draws any widget, so it may write
    # the sidebar filters' keys; the switch itself happens in app.py.
    for key, value in values.items():
        st.session_state[key] = value
    st.session_state[_GOTO_KEY] = page


def open_project(file: str, project: str) -> None:
    """Switch to the 数据来源 page showing `project` of document `file`."""
    # The detail widgets live on the sources page, so their keys are not drawn in
    # this run and may be written here. A bound widget does not copy a value set
    # in the run that switched pages into the URL, so the URL is given as well.
    st.session_state[DOC_KEY] = file
    st.session_state[PROJECT_KEY] = project
    switch_page(SOURCES_PAGE, {DOC_KEY: file, PROJECT_KEY: project})


def nav_button(label: str, page: str, state: dict, key: str) -> None:
    """A button that sets session state (e.g. filters) and then opens `page`."""
    st.button(label, key=key, on_click=_go_to, args=(page, state))


def follow_pending_switch() -> None:
    """Open the page a `nav_button` asked for (app.py calls this after st.navigation).

    Switching here rather than where the button is drawn keeps the switch when the
    run that handles the click is restarted before reaching the button.
    """
    page = st.session_state.pop(_GOTO_KEY, None)
    if page:
        switch_page(page)


def filter_state_for(region: str | None, year: int | None, project: str | None) -> dict:
    """Sidebar filter values that select one project (for nav_button)."""
    return {
        **{k: [] for k in filters.FILTER_KEYS},
        "regions": [region] if region else [],
        "years": [int(year)] if year is not None and not pd.isna(year) else [],
        "projects": [project] if project else [],
    }


# ---------------------------------------------------------------------------
# the sources page's detail view (?doc=…&project=…)

def _reset_project() -> None:
    st.session_state[PROJECT_KEY] = None


def select_document(files: Sequence[str]) -> str | None:
    """The 文档 picker, bound to ``?doc=``; a document from a link stays offered even
    when the sidebar filters would hide it."""
    current = st.session_state.get(DOC_KEY) if DOC_KEY in st.session_state else st.query_params.get(DOC_KEY)
    options = sorted({*files, *([current] if current else [])})
    return st.selectbox("文档", options, index=None, key=DOC_KEY, bind="query-params", on_change=_reset_project,
                        placeholder="选择文档（或点击其他页面图中的项目）")


def select_project(names: Sequence[str]) -> str | None:
    """The 项目 picker for the chosen document, bound to ``?project=``."""
    names = list(names)
    if st.session_state.get(PROJECT_KEY) not in [*names, None]:
        st.session_state[PROJECT_KEY] = None  # a project of another document
    return st.selectbox("项目", names, index=None, key=PROJECT_KEY, bind="query-params",
                        placeholder="选择项目，查看其数值、指标与原文出处")


SEVERITY_KEY = "severities"


def select_severities() -> list[str] | None:
    """The audit page's 严重程度 filter (错误/警告/提示), bound to ``?severities=``; None = 全部."""
    chosen = st.pills("严重程度", list(charts.SEVERITY_ORDER), selection_mode="multi", key=SEVERITY_KEY,
                      bind="query-params", help="不选 = 全部")
    return list(chosen) or None


# ---------------------------------------------------------------------------
# source lines

def source_lines_html(lines: pd.DataFrame, line_start: int, line_end: int) -> str:
    """HTML table of source lines with the cited range [line_start, line_end] highlighted."""
    rows = []
    for number, text in zip(lines["line_no"], lines["text"]):
        is_cited = line_start <= number <= line_end
        style = "background:#fff3c4;font-weight:600;" if is_cited else "color:#52606d;"
        mark = "▶" if is_cited else ""
        rows.append(
            f'<tr style="{style}"><td style="text-align:right;padding:2px 8px;color:#9aa5b1;'
            f'white-space:nowrap;vertical-align:top;">{mark} {int(number)}</td>'
            f'<td style="padding:2px 8px;white-space:pre-wrap;">{html.escape(str(text or ""))}</td></tr>'
        )
    return ('<table style="border-collapse:collapse;width:100%;font-size:0.92rem;'
            'font-family:\'Noto Sans CJK SC\',sans-serif;border:1px solid #e4e7eb;">'
            + "".join(rows) + "</table>")


def source_context(file: str, line_start: object, line_end: object, *, context: int = 3,
                   caption: str = "") -> None:
    """Show lines [start-context, end+context] of `file`, the cited ones highlighted."""
    if pd.isna(line_start):
        st.caption("该条目没有记录原文行号。")
        return
    start = int(line_start)
    end = int(line_end) if not pd.isna(line_end) else start
    lines = query("sources/lines", doc=file, line_from=max(1, start - context), line_to=end + context)
    label = f"第 {start} 行" if start == end else f"第 {start}–{end} 行"
    st.markdown(f"**原文出处**：{file} {label}{('　' + caption) if caption else ''}")
    st.html(source_lines_html(lines, start, end))


# ---------------------------------------------------------------------------
# 导出 panel: the page's charts as PNGs (ZIP), an XLSX workbook and a PPTX deck

@st.cache_resource(show_spinner=False)
def _warm_export_browser() -> bool:
    """Start the export browser once per server process, in the background, so the
    first 导出 does not wait for Chromium to launch."""
    export.start_export_browser()
    return True


def _png_zip(charts_: list[export.ChartExport], stem: str) -> bytes:
    return export.build_zip(charts_, export.render_pngs(charts_), stem)


def _pptx_deck(charts_: list[export.ChartExport], note: str, title: str) -> bytes:
    return export.build_pptx(charts_, export.render_pngs(charts_), note, title)


@st.fragment
def export_panel() -> None:
    """Downloads of everything the current page showed. Files are built only when a
    button is clicked (deferred callables with their inputs bound now: the callback
    runs without script context). Without Chromium the PNG/PPTX buttons are replaced
    by how to install it; XLSX and each chart's toolbar camera still work."""
    charts_ = export.chart_exports(page_exports(), charts.LABELS, charts.source_files)
    st.markdown("**导出本页**")
    if not charts_:
        st.caption("本页当前没有图表可导出：请调整筛选条件。")
        return
    params = filter_params()
    title = page_title() or "看板"
    stem = export.export_filename(title, f"{len(charts_)}张图表", params["regions"], params["years"])
    note = filter_note()
    st.download_button("XLSX（数据＋图表）", data=functools.partial(export.build_xlsx, charts_, note),
                       file_name=f"{stem}.xlsx", key="export.xlsx", on_click="ignore", icon=":material/table_view:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch")
    if export.chromium_path() is None:
        st.info(export.INSTALL_HINT_ZH, icon=":material/info:")
        return
    _warm_export_browser()
    st.download_button("PNG 图片（ZIP）", data=functools.partial(_png_zip, charts_, stem), file_name=f"{stem}.zip",
                       key="export.zip", on_click="ignore", icon=":material/image:", mime="application/zip",
                       width="stretch")
    st.download_button("PPTX（会议材料）", data=functools.partial(_pptx_deck, charts_, note, f"{title}（{note}）"),
                       file_name=f"{stem}.pptx", key="export.pptx", on_click="ignore", icon=":material/slideshow:",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       width="stretch")
    st.caption(f"共 {len(charts_)} 张图表，PNG 为 2 倍清晰度；筛选条件：{note}")


# ---------------------------------------------------------------------------
# downloads

def table_xlsx(df: pd.DataFrame, columns: Sequence[str], *, sheet: str, title: str, note: str) -> bytes:
    """An XLSX of `df[columns]` with Chinese headers, formatted like the 导出 workbooks
    (`export.build_table_xlsx`: title and filter note on top, frozen header, widths);
    no chart, which a findings list has no use for."""
    shown = df[list(columns)].rename(columns=charts.LABELS)
    return export.build_table_xlsx(shown, sheet=sheet, title=title, filters_note=note)


def download_xlsx(label: str, build: Callable[[], bytes], file_stem: str, key: str) -> None:
    """A download button for an XLSX built only when clicked (deferred callable, no rerun)."""
    st.download_button(
        label, data=build, file_name=f"{file_stem}.xlsx", key=key, on_click="ignore", icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def xlsx_builder(df: pd.DataFrame, columns: Sequence[str], *, sheet: str, title: str) -> Callable[[], bytes]:
    """A no-argument callable for `download_xlsx`: inputs bound now (the download
    callback runs without script context, so it must not read session state)."""
    return functools.partial(table_xlsx, df.copy(), list(columns), sheet=sheet, title=title, note=filter_note())
