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
REVIEW_PAGE = "pages/review.py"

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
    """Say the store is missing, in words for the person looking at the dashboard
    (shown instead of pages): no command lines, whom to ask."""
    st.error(
        "还没有可显示的数据：数据库尚未生成或已被移走。请联系数据管理员导入评价报告并生成数据库，"
        "完成后刷新本页即可。",
        icon=":material/database:",
    )
    with st.expander("技术信息（给数据管理员）"):
        st.code(f"数据库文件：{store_path()}\n生成方法：make run，或 python -m budgetperf build", language=None)


def outdated_store_notice(exc: store.QueryError) -> None:
    """A query failed against the store (built by an older version, usually)."""
    st.error("数据库由旧版本生成，与当前看板不匹配，需要重新生成：请联系数据管理员。", icon=":material/database:")
    with st.expander("技术信息（给数据管理员）"):
        st.code(f"查询 {exc.name} 失败：{exc.error}\n重新生成：python -m budgetperf build", language=None)


# ---------------------------------------------------------------------------
# shared filters

# Above this many options a cascading filter (单位, 项目) asks for the filters
# above it first: a list of every project in a province is unusable and heavy.
MAX_OPTIONS = 2000
PINS_KEY = "pins"


def filter_option_rows() -> pd.DataFrame:
    """Years, regions (with level) and doc types in the store: (key, value, level) rows."""
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


def _remove_filter_value(key: str, value: object) -> None:
    st.session_state[key] = [v for v in _selection(key) if str(v) != str(value)]


def _cascading_options(key: str, params: dict, selected: list) -> tuple[list, str | None]:
    """Options of 单位 or 项目 under the filters above them, and a hint when there
    are too many to list (choose a region or unit first)."""
    above = {k: params[k] for k in ("years", "regions", "levels")}
    if key == "units":
        rows = query("common/units", **above, limit=MAX_OPTIONS + 1)
        column = "unit"
    else:
        rows = query("common/projects", **above, units=params["units"], limit=MAX_OPTIONS + 1)
        column = "project_name"
    if len(rows) > MAX_OPTIONS:
        total = int(rows["total_rows"].iloc[0])
        return filters.ordered(selected, key), f"共 {total:,} 个，请先选择地区{'或单位' if key == 'projects' else ''}后再选。"
    return filters.ordered([*rows[column].tolist(), *selected], key), None


def render_filters() -> None:
    """Draw the shared filters in the sidebar (called once per run by app.py).

    Each multiselect's key is its URL param and SQL param (``?regions=三门峡市``);
    nothing selected shows 全部 and binds NULL. Regions narrow to the chosen
    levels; units and projects are listed under the filters above them (from SQL,
    at most MAX_OPTIONS). Below them, 关注地区 pins regions: rankings always show
    them, highlighted, wherever they rank.
    """
    rows = filter_option_rows()
    with st.sidebar:
        st.subheader("筛选")
        for spec in filters.FILTERS:
            params = filters.to_params({k: _selection(k) for k in filters.FILTER_KEYS})
            selected = filters.to_params({spec.key: _selection(spec.key)})[spec.key] or []
            hint = None
            if spec.is_cascading:
                options, hint = _cascading_options(spec.key, params, selected)
            else:
                options = filters.options(rows, spec.key, params, selected)
            st.multiselect(
                spec.label, options, key=spec.key, bind="query-params", placeholder=hint and "先选地区" or "全部",
                format_func=str, select_all=False, filter_mode="contains", help=hint,
            )
        params = filter_params()
        st.button("清除全部筛选", on_click=_clear_filters, disabled=not filters.active(params),
                  key="filters.clear", width="stretch")
        regions = filters.options(rows, "regions", {}, _selection(PINS_KEY))
        st.multiselect("关注地区", regions, key=PINS_KEY, bind="query-params", placeholder="搜索并选择地区",
                       select_all=False, filter_mode="contains", max_selections=10,
                       help="排名图只列出最低（和最高）的几个地区；这里选中的地区无论排第几都会列出，并以 ★ 标出。")


def filter_params() -> dict[str, list | None]:
    """The shared filters as named-query params (None = 全部)."""
    return filters.to_params({k: st.session_state.get(k) for k in filters.FILTER_KEYS})


def pins() -> list[str] | None:
    """The pinned regions (关注地区), as a query param (None = none pinned)."""
    chosen = [str(v) for v in (st.session_state.get(PINS_KEY) or []) if v]
    return chosen or None


def filter_chips() -> None:
    """The active filters at the top of the main area, each a chip that removes
    itself when clicked, so a phone user (sidebar closed) sees what is shown."""
    params = filter_params()
    chips = filters.chips(params)
    with st.container(horizontal=True, wrap=True, gap="small", key="chips"):
        if not chips:
            st.caption("筛选：全部数据（在左侧栏选择年度、地区等）", width="content")
            return
        st.caption("筛选：", width="content")
        for key, label, value in chips:
            st.button(label, key=f"chip.{key}.{value}", icon=":material/close:", icon_position="right",
                      on_click=_remove_filter_value, args=(key, value), help="点击取消这一筛选", type="secondary")
        st.button("清除全部", key="chip.clear", on_click=_clear_filters, type="tertiary")


def region_colors() -> dict[str, str]:
    """Region → colour while colour can name a region: every region of a small
    store (10 or fewer), else the regions chosen in the 地区 filter plus the pinned
    ones if those are 10 or fewer; otherwise none (position, labels and highlight
    name regions). Stable across pages, since the filters are."""
    rows = filter_option_rows()
    regions = rows.loc[rows["key"] == "regions", "value"].tolist() if not rows.empty else []
    if len(regions) <= charts.MANY_REGIONS:
        return charts.region_colors(regions)
    chosen = [*(filter_params()["regions"] or []), *(pins() or [])]
    return charts.region_colors(chosen)


def store_years() -> list[int]:
    """Every year in the store, latest first."""
    rows = filter_option_rows()
    return filters.ordered(rows.loc[rows["key"] == "years", "value"], "years") if not rows.empty else []


def figure_context(years: Sequence[int] = ()) -> str:
    """The filters and years a chart shows, for its subtitle and its PNG."""
    return filters.figure_context(filter_params(), years or store_years())


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
    return list(st.session_state.get(_EXPORTS_KEY, []))


def _record(export_name: str, fig: go.Figure | None, df: pd.DataFrame | None) -> None:
    st.session_state.setdefault(_EXPORTS_KEY, []).append(Export(export_name, fig, df))


def export_filename(export_name: str) -> str:
    """File name (no extension) for an export: page, chart, regions, years, sanitized
    (the same scheme as the 导出 panel, `export.export_filename`)."""
    params = filter_params()
    return export.export_filename(page_title() or "看板", export_name, params["regions"], params["years"])


def plotly_config(export_name: str) -> dict:
    """The Plotly config every chart uses: no logo, a short toolbar (it sits above
    the title), PNG at 2× named after the view, Chinese number separators."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": export_filename(export_name)},
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d", "zoomIn2d", "zoomOut2d",
                                   "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian"],
        "locale": "zh-CN",
    }


# ---------------------------------------------------------------------------
# clicks: a region filters the pages, a project's number opens its source line

_FIELD_PARAM = "field"


_CLICK_KEY = "ui.click"


def _chart_clicked(key: str) -> None:
    # An on_select callback: keep the first clicked point's customdata; app.py
    # applies it at the start of the next run (`follow_pending_switch`), before the
    # sidebar filters are drawn, so it may write their keys (the bound URL follows).
    state = st.session_state.get(key)
    points = state.selection.points if state and state.selection else []
    for point in points:
        custom = point.get("customdata")
        if isinstance(custom, (list, tuple)) and custom:
            st.session_state[_CLICK_KEY] = list(custom)
            return


def _apply_click(custom: Sequence) -> None:
    """What a click on a chart point does, from its customdata [region, year, file,
    project, field]: open the project's source line, or filter to the region (and
    year)."""
    region, year, file, project, field = (list(custom) + [None] * 5)[:5]
    if file and project:
        _open_source(str(file), str(project), field)
    else:
        if region and region != "全部地区":
            st.session_state["regions"] = [str(region)]
        if year is not None and not pd.isna(year):
            st.session_state["years"] = [int(year)]


def show_chart(fig: go.Figure, export_name: str, df: pd.DataFrame | None = None, *,
               years: Sequence[int] = ()) -> None:
    """Show a Plotly figure with the shared config, the filters it shows in its
    subtitle, and record it for export. A click on a point whose customdata is
    [region, year, file, project, field] (`charts.click_data`) filters the pages to
    the region (and year), or opens the project's source line on 数据来源."""
    charts.set_context(fig, figure_context(years or _years_in(df)))
    key = f"chart.{export_name}"
    st.plotly_chart(fig, width="stretch", theme=None, config=plotly_config(export_name), key=key,
                    on_select=functools.partial(_chart_clicked, key), selection_mode="points")
    _record(export_name, fig, df)


def _years_in(df: pd.DataFrame | None) -> list[int]:
    for column in ("year", "earlier_year"):
        if df is not None and column in df:
            return [int(y) for y in df["year"].dropna().unique()]
    return []


# ---------------------------------------------------------------------------
# tables: typed values, Chinese headers, display formats

# Columns kept visible while a wide table scrolls sideways.
_KEY_COLUMNS = {"region", "doc_name", "project_name", "indicator_name", "rule", "item"}
_INT_COLUMNS = {"year", "earlier_year", "later_year", "line_start", "line_end", "line_no", "year_line", "rank"}
_COUNT_COLUMNS = {"projects", "projects_undisclosed", "checks", "errors", "warnings", "indicators", "quantified",
                  "findings", "docs", "regions", "line_count", "review_reasons", "docs_review"}
_SCORE_COLUMNS = {"score", "weight", "total_score", "max_score", "lost_points", "avg_score", "earlier_total_score",
                  "total_weight", "lost_item_points"}
# Text marks, not emoji: a server or PC without an emoji font shows emoji as boxes.
STATUS_MARKS = {"低于警戒线": "▼ 低于警戒线", "达标": "● 达标", "超过预算": "▲ 超过预算",
                charts.UNDISCLOSED: "○ 未披露"}


def column_config(columns: Sequence[str]) -> dict:
    """st.column_config for query columns: numbers stay numbers (so sorting is
    numeric) and get their look here: 万元 with thousands separators, percent,
    scores; key columns pinned."""
    config = {}
    for column in columns:
        label = charts.LABELS.get(column, column)
        pinned = True if column in _KEY_COLUMNS else None
        if column.endswith("_wan"):
            config[column] = st.column_config.NumberColumn(label, format="%,.2f 万元")
        elif column.endswith("_pct"):
            config[column] = st.column_config.NumberColumn(label, format="%.2f%%")
        elif column in _INT_COLUMNS:
            config[column] = st.column_config.NumberColumn(label, format="%d")
        elif column in _COUNT_COLUMNS:
            config[column] = st.column_config.NumberColumn(label, format="%,d")
        elif column in _SCORE_COLUMNS:
            config[column] = st.column_config.NumberColumn(label, format="%g")
        elif column.startswith(("is_", "has_")) or column.endswith("_is_explicit") or column == "target_is_numeric":
            config[column] = st.column_config.CheckboxColumn(label)
        elif column in ("doc_kinds",):
            config[column] = st.column_config.ListColumn(label)
        elif column in ("message_zh", "snippet", "text", "example_message", "help"):
            # sized to the text: a reviewer reads the whole message, not its first 40 characters
            config[column] = st.column_config.TextColumn(label, width=None)
        else:
            config[column] = st.column_config.TextColumn(label, pinned=pinned)
    return config


def table_frame(df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """`df[columns]` ready for st.dataframe: values typed (lists kept, codes in
    Chinese), missing columns empty."""
    out = pd.DataFrame(index=df.index)
    for column in columns:
        values = df[column] if column in df else pd.Series([None] * len(df), index=df.index, dtype=object)
        if column == "field":
            values = values.map(lambda v: charts.FIELD_LABELS.get(str(v), str(v)))
        elif column == "entity":
            values = values.map(lambda v: charts.ENTITY_LABELS.get(str(v), str(v)))
        elif column == "kind" and "severity" not in df:
            values = values.map(lambda v: charts.KIND_LABELS.get(str(v), str(v)))
        elif column == "doc_kinds":
            values = values.map(lambda v: [charts.DOC_KIND_LABELS.get(str(x), str(x)) for x in v]
                                if charts.is_listlike(v) else v)
        elif column == "status":
            values = values.map(lambda v: STATUS_MARKS.get(v, v))
        out[column] = values
    return out.reset_index(drop=True)


def show_table(df: pd.DataFrame, columns: Sequence[str], export_name: str, *, height: int | str = "auto",
               selectable: bool = False, key: str | None = None) -> int | None:
    """Show `df`'s `columns` with Chinese headers and display formats (values stay
    typed); record them for export. With ``selectable=True`` one row can be
    selected; returns its position in `df` (or None)."""
    columns = [c for c in columns]
    shown = table_frame(df, columns)
    _record(export_name, None, df[[c for c in columns if c in df]])
    kwargs = dict(hide_index=True, width="stretch", height=height, column_config=column_config(columns),
                  placeholder="—")
    if not selectable:
        st.dataframe(shown, key=key, **kwargs)
        return None
    event = st.dataframe(shown, key=key or f"table.{export_name}", on_select="rerun", selection_mode="single-row",
                         **kwargs)
    rows = event.selection.rows if event else []
    return rows[0] if rows and rows[0] < len(df) else None


PAGE_SIZE = 50


def paged_query(name: str, export_name: str, *, sorts: dict[str, str] | None = None, page_size: int = PAGE_SIZE,
                **params) -> pd.DataFrame:
    """Run a paged named query (params ``limit``/``offset``, optional ``sort``/
    ``descending``) with a sort picker (`sorts`: column → Chinese label) and a
    page picker drawn above the table; returns the page (its ``total_rows`` column
    counts every row). Sorting is in SQL, over all rows, not just the page."""
    sort, descending = None, False
    controls = st.container(horizontal=True, wrap=True, vertical_alignment="bottom", key=f"pager.{export_name}")
    if sorts:
        with controls:
            choice = st.selectbox("排序", list(sorts), format_func=sorts.get, key=f"sort.{export_name}",
                                  width=220)
            order = st.segmented_control("方向", ["从低到高", "从高到低"], default="从低到高",
                                         key=f"order.{export_name}", label_visibility="collapsed")
        sort, descending = choice, order == "从高到低"
        params.update(sort=sort, descending=descending)
    page_key = f"page.{export_name}"
    page = int(st.session_state.get(page_key, 1) or 1)
    df = query(name, **params, limit=page_size, offset=(page - 1) * page_size)
    total = int(df["total_rows"].iloc[0]) if not df.empty else 0
    pages = max(1, -(-total // page_size))
    if page > pages:  # filters changed under the page number: back to the first page
        st.session_state.pop(page_key, None)
        page = 1
        df = query(name, **params, limit=page_size, offset=0)
    with controls:
        if pages > 1:
            st.number_input("页", min_value=1, max_value=pages, step=1, key=page_key, width=110)
        first = (page - 1) * page_size + 1
        if total:
            st.caption(f"第 {first:,}–{min(total, page * page_size):,} 行，共 {total:,} 行")
    return df


def empty_state(what: str, *, blockers: Sequence[str] = ()) -> None:
    """Say there is no data for `what` under the current filters, and which filter to change."""
    st.info(filters.empty_hint(what, filter_params(), blockers=blockers), icon=":material/filter_alt:")


def source_caption(docs: int | None = None) -> None:
    """The page's one source line: 「来源：388 份报告」 and a link to their list on 数据来源."""
    if docs is None:
        counted = query("common/doc_count", **filter_params())
        docs = int(counted["docs"].iloc[0]) if not counted.empty else 0
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.caption(f"来源：{docs:,} 份报告" if docs else "来源：当前筛选下没有报告")
        if docs:
            st.page_link(SOURCES_PAGE, label="查看清单", icon=":material/description:")


def folded_notice(message: str, items: Sequence[str], *, icon: str = ":material/warning:",
                  what: str = "清单") -> None:
    """A warning that names how many items it is about, with the items behind an
    expander (a list of 2,000 projects must not fill the first screen)."""
    st.warning(message, icon=icon)
    if items:
        with st.expander(f"{what}（{len(items):,}）"):
            st.markdown("\n".join(f"- {html.escape(str(item))}" for item in items))


class Kpi(NamedTuple):
    """One KPI card: label (with its year), value, help, 同比 change, status badge and link."""

    label: str
    value: str
    help: str | None = None
    change: object = None                  # briefing.Change (text, colour, what it compares with)
    status: tuple[str, str] | None = None  # (text, colour: red/orange/green/gray)
    link: tuple[str, str] | None = None    # (page path, link text)


_PAGES_BY_KEY = {"overview": OVERVIEW_PAGE, "execution": EXECUTION_PAGE, "indicators": INDICATORS_PAGE,
                 "scores": SCORES_PAGE, "regions": REGIONS_PAGE, "sources": SOURCES_PAGE, "audit": AUDIT_PAGE}


def briefing_cards(cards) -> None:
    """Show `briefing.Card`s as KPI cards, their links to the page that explains them."""
    kpi_cards([Kpi(c.label, c.value, c.help, c.change, c.status,
                   (_PAGES_BY_KEY[c.link[0]], c.link[1]) if c.link else None) for c in cards])


def kpi_cards(cards: Sequence[Kpi], key: str = "kpi") -> None:
    """KPI cards in a grid that wraps with the screen width (4 a row on a laptop,
    2 on a tablet, 1–2 on a phone); values wrap rather than being cut."""
    with st.container(horizontal=True, wrap=True, gap="small", key=key):
        for i, card in enumerate(cards):
            change = card.change if card.change is not None and getattr(card.change, "text", None) else None
            with st.container(border=True, key=f"{key}_card_{i}"):
                st.metric(card.label, card.value, help=card.help,
                          delta=change.text if change else None, delta_color=change.color if change else "normal",
                          delta_arrow="auto" if change else "off",
                          delta_description=change.since if change else None)
                if card.status:
                    st.badge(card.status[0], color=card.status[1])
                if card.link:
                    st.page_link(card.link[0], label=card.link[1], icon=":material/arrow_forward:")


class Attention(NamedTuple):
    """One line of a 需要关注 list: what, its figure and status, why, and where to look."""

    title: str
    value: str
    status: tuple[str, str] | None
    reason: str
    region: str | None = None          # a button filters the pages to it
    year: int | None = None
    source: tuple[str, str, str | None] | None = None  # (file, project, field): opens its line


def region_attention(ranking: pd.DataFrame) -> list[Attention]:
    """需要关注 lines for the lowest-ranked regions (`overview/region_ranking` rows)."""
    from budgetperf import briefing

    items = []
    for row in ranking.to_dict("records"):
        row = pd.Series(row)
        source = ((row.low_project_file, row.low_project, "execution_rate")
                  if isinstance(row.get("low_project"), str) else None)
        items.append(Attention(charts.region_label(row.region), charts.fmt_pct(row.execution_rate_pct),
                               briefing.rate_status(row.execution_rate_pct), briefing.region_reason(row),
                               region=row.region, source=source))
    return items


def score_attention(low: pd.DataFrame) -> list[Attention]:
    """需要关注 lines for the lowest-scoring projects (`overview/low_scores` rows)."""
    from budgetperf import briefing

    items = []
    for row in low.to_dict("records"):
        row = pd.Series(row)
        field = f"line:{int(row.lost_line_start)}" if not pd.isna(row.lost_line_start) else "total_score"
        items.append(Attention(briefing.project_title(row), f"{charts.fmt_number(row.total_score)} 分",
                               briefing.score_status(row.total_score / (row.total_weight or 100) * 100),
                               briefing.score_reason(row), region=row.region, source=(row.file, row.project_name, field)))
    return items


def headline(sentence: str, lowest: pd.Series | None) -> None:
    """The briefing's sentence, large, and under it why the lowest region is lowest,
    with buttons to filter to it and to open the line its figure came from."""
    from budgetperf import briefing

    st.markdown(f"### {html.escape(sentence)}")
    if lowest is None or charts.is_missing(lowest.get("execution_rate_pct")):
        return
    with st.container(horizontal=True, wrap=True, vertical_alignment="center", gap="small", key="headline.why"):
        st.caption(f"{charts.region_label(lowest.region)}：{briefing.region_reason(lowest)}")
        st.button(f"筛选到{lowest.region}", key="headline.filter", type="tertiary", icon=":material/filter_alt:",
                  on_click=_apply_click, args=([lowest.region, None, None, None, None],))
        if isinstance(lowest.get("low_project"), str):
            source_button("查看原文", lowest.low_project_file, lowest.low_project, "execution_rate", key="headline.source")


def attention_list(heading: str, items: Sequence[Attention], key: str, empty: str) -> None:
    """A short ranked list with, per line, the figure, its status, the reason and
    buttons to filter to the region and to open the source line."""
    st.markdown(f"**{heading}**")
    if not items:
        st.caption(empty)
        return
    for i, item in enumerate(items):
        with st.container(border=True, key=f"{key}_item_{i}", gap="xsmall"):
            with st.container(horizontal=True, wrap=True, vertical_alignment="center", gap="small"):
                st.markdown(f"**{i + 1}. {html.escape(item.title)}**　{html.escape(item.value)}")
                if item.status:
                    st.badge(item.status[0], color=item.status[1])
            with st.container(horizontal=True, wrap=True, vertical_alignment="center", gap="small"):
                st.caption(item.reason)
                if item.region:
                    st.button(f"筛选到{item.region}", key=f"{key}.{i}.filter", type="tertiary",
                              icon=":material/filter_alt:", on_click=_apply_click,
                              args=([item.region, item.year, None, None, None],))
                if item.source:
                    source_button("查看原文", *item.source, key=f"{key}.{i}.source")


def metric_row(items: Sequence[tuple[str, str, str | None]], per_row: int = 3) -> None:
    """Plain KPI cards: (label, formatted value, help)."""
    kpi_cards([Kpi(label, value, help_text) for label, value, help_text in items], key=f"metrics{per_row}")


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


def _go_to(page: str, values: dict, url: dict | None = None) -> None:
    # A click callback: runs before the next run draws any widget, so it may write
    # the sidebar filters' keys; the switch itself happens in app.py.
    for key, value in values.items():
        st.session_state[key] = value
    st.session_state[_GOTO_KEY] = (page, url or {})


def _open_source(file: str, project: str | None, field: str | None = None) -> None:
    # The detail widgets live on the sources page, so their keys are not drawn in
    # this run and may be written here. A bound widget does not copy a value set
    # in the run that switched pages into the URL, so the URL is given as well.
    url = {DOC_KEY: file, **({PROJECT_KEY: project} if project else {}), **({_FIELD_PARAM: field} if field else {})}
    _go_to(SOURCES_PAGE, {DOC_KEY: file, PROJECT_KEY: project}, url)


def open_project(file: str, project: str, field: str | None = None) -> None:
    """Switch to the 数据来源 page showing `project` of document `file` (at the line
    of `field`, a provenance field or ``line:N``)."""
    _open_source(file, project, field)
    follow_pending_switch()


def nav_button(label: str, page: str, state: dict, key: str, *, url: dict | None = None) -> None:
    """A button that sets session state (e.g. filters) and then opens `page`."""
    st.button(label, key=key, on_click=_go_to, args=(page, state, url))


def source_button(label: str, file: str, project: str | None, field: str | None, key: str) -> None:
    """A button that opens 数据来源 at `file`'s `project` (at the line of `field`)."""
    st.button(label, key=key, on_click=_open_source, args=(file, project, field), type="tertiary",
              icon=":material/description:")


def follow_pending_switch() -> None:
    """Apply a chart click (filters) and open the page a click asked for (app.py
    calls this after st.navigation, before the filters are drawn).

    Switching here rather than where the button is drawn keeps the switch when the
    run that handles the click is restarted before reaching the button.
    """
    click = st.session_state.pop(_CLICK_KEY, None)
    if click:
        _apply_click(click)
    pending = st.session_state.pop(_GOTO_KEY, None)
    if pending:
        page, url = pending if isinstance(pending, tuple) else (pending, {})
        switch_page(page, url)


def filter_state_for(region: str | None, year: int | None, project: str | None) -> dict:
    """Sidebar filter values that select one project (for nav_button)."""
    return {
        **{k: [] for k in filters.FILTER_KEYS},
        "regions": [region] if region else [],
        "years": [int(year)] if year is not None and not pd.isna(year) else [],
        "projects": [project] if project else [],
    }


# ---------------------------------------------------------------------------
# the sources page's detail view (?doc=…&project=…&field=…)

def _reset_project() -> None:
    st.session_state[PROJECT_KEY] = None
    st.query_params.pop(_FIELD_PARAM, None)


def _reset_field() -> None:
    st.query_params.pop(_FIELD_PARAM, None)


# A clicked number's field → the provenance fields that may hold its line (a
# budget shown is the adjusted one when the report states it, else the initial).
FIELD_ALIASES = {"budget": ["budget_adjusted", "budget_initial"], "executed": ["executed"],
                 "execution_rate": ["execution_rate", "executed"], "total_score": ["total_score", "grade"]}


def project_figures(p: pd.Series) -> None:
    """One project's figures as cards (derived values say so), and links to the
    pages that show it among others."""
    rate = charts.fmt_pct(p.execution_rate_pct) + ("（按金额计算）" if p.get("is_execution_rate_computed") else "")
    grade = (f"{p.grade}（按得分推算）" if p.get("is_grade_derived") else p.grade) or "—"
    status = charts.execution_status(p.execution_rate_pct)
    corrected = set(p.get("corrected_fields") if charts.is_listlike(p.get("corrected_fields")) else [])

    def label(text: str, *fields: str) -> str:  # ✎: a person corrected it (its history is just below)
        return f"{text} ✎" if corrected & set(fields) else text

    kpi_cards([Kpi(label("预算", "budget_initial", "budget_adjusted"), charts.fmt_wan(p.budget_wan)),
               Kpi(label("执行", "executed"), charts.fmt_wan(p.executed_wan)),
               Kpi(label("执行率", "execution_rate", *(("executed", "budget_initial", "budget_adjusted")
                                                      if p.get("is_execution_rate_computed") else ())), rate,
                   status=(status, STATUS_BADGE.get(status, "gray"))),
               Kpi(label("总得分", "total_score"), charts.fmt_number(p.total_score)),
               Kpi(label("等级", "grade"), grade)], key="project_figures")
    with st.container(horizontal=True, wrap=True):
        nav_button("在「指标完成」页查看该项目 →", INDICATORS_PAGE, filter_state_for(p.region, p.year, p.project_name),
                   key="sources.to_indicators")
        nav_button("在「预算执行」页查看该项目 →", EXECUTION_PAGE, filter_state_for(p.region, p.year, p.project_name),
                   key="sources.to_execution")
        if isinstance(p.get("project_id"), str):  # 数据校对's item keys (review_ui.ITEM_KEY, ?item=)
            nav_button("数值有误？到「数据校对」页更正 →", REVIEW_PAGE, {"review.item": p.project_id},
                       key="sources.to_review_item", url={"item": p.project_id})


STATUS_BADGE = {"低于警戒线": "red", "达标": "green", "超过预算": "orange", charts.UNDISCLOSED: "gray"}


def clicked_field() -> str | None:
    """The field (or ``line:N``) whose source line was asked for by a click."""
    return st.query_params.get(_FIELD_PARAM)


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


# ---------------------------------------------------------------------------
# 审核: one finding

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
    title = f"{name}（文件 {file}）" if name else file
    st.markdown(f"**原文出处**：{html.escape(title)} {label}{('　' + html.escape(caption)) if caption else ''}")
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
    by a note for the administrator; XLSX and each chart's toolbar camera still work."""
    charts_ = export.chart_exports(page_exports(), charts.LABELS, charts.source_line)
    st.markdown("**导出本页**")
    if not charts_:
        st.caption("本页当前没有图表可导出：请调整筛选条件。")
        return
    params = filter_params()
    title = page_title() or "看板"
    stem = export.export_filename(title, f"{len(charts_)}张图表", params["regions"], params["years"])
    note = filter_note()
    corrected = query("review/corrections", **params, limit=5000)  # the 更正记录 sheet (issue 12)
    st.download_button("XLSX（数据＋图表）", data=functools.partial(export.build_xlsx, charts_, note, corrected),
                       file_name=f"{stem}.xlsx", key="export.xlsx", on_click="ignore", icon=":material/table_view:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch")
    if export.chromium_path() is None:
        st.info(export.INSTALL_HINT_ZH, icon=":material/info:")
        return
    _warm_export_browser()
    st.download_button("PNG 图片（ZIP）", data=functools.partial(_png_zip, charts_, stem), file_name=f"{stem}.zip",
                       key="export.zip", on_click="ignore", icon=":material/image:", mime="application/zip",
                       width="stretch")
    st.download_button("PPTX（会议材料）", data=functools.partial(_pptx_deck, charts_, note, title),
                       file_name=f"{stem}.pptx", key="export.pptx", on_click="ignore", icon=":material/slideshow:",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       width="stretch")
    st.caption(f"共 {len(charts_)} 张图表，PNG 为 2 倍清晰度；图中注明筛选条件与来源。")


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


def xlsx_builder(df: pd.DataFrame | Callable[[], pd.DataFrame], columns: Sequence[str], *, sheet: str,
                 title: str) -> Callable[[], bytes]:
    """A no-argument callable for `download_xlsx`: inputs bound now (the download
    callback runs without script context, so it must not read session state). `df`
    may be a callable returning the frame (all rows, fetched only on click)."""
    def build(source=df.copy() if isinstance(df, pd.DataFrame) else df, note=filter_note()) -> bytes:
        frame = source() if callable(source) else source
        return table_xlsx(frame, list(columns), sheet=sheet, title=title, note=note)
    return build


def query_all(name: str, **params) -> Callable[[], pd.DataFrame]:
    """A callable fetching every row of a paged query (for an XLSX of the whole list),
    run outside the script: it opens its own read-only connection."""
    path = str(store_path())

    def fetch() -> pd.DataFrame:
        con = store.connect(path, read_only=True)
        try:
            return store.run_query(name, con=con, **params, limit=None, offset=0)
        finally:
            con.close()
    return fetch
