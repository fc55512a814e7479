"""The shared sidebar filters (年度, 地区, 层级, 单位, 项目, 文档类型, 关注地区): drawn once
per run by app.py, bound to the URL so a link reproduces the view, and turned into
named-query parameters (`filter_params`). The filter vocabulary itself (labels,
None = 全部, chips, descriptions) is pure and lives in `filter_specs`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from budgetperf import charts
from budgetperf.app import filter_specs
from budgetperf.charts import safe
from budgetperf.app.store_cache import query

# Above this many options a cascading filter (单位, 项目) asks for the filters
# above it first: a list of every project in a province is unusable and heavy.
MAX_OPTIONS = 2000


PINS_KEY = "pins"


def filter_option_rows() -> pd.DataFrame:
    """Years, regions (with level) and doc types in the store: (key, value, level) rows."""
    return query("common/filter_options")


URL_PROBLEMS_KEY = "ui.url_problems"


def _selection(key: str) -> list:
    """A filter's current values: session state, else the URL (before the widget
    registers), its invalid values left out (`url_problems` names them)."""
    if key in st.session_state:
        return list(st.session_state[key] or [])
    return [v for v in st.query_params.get_all(key) if filter_specs.valid_value(key, v) is not None]


def _note_url_problems() -> None:
    # Values in the link that cannot be a filter's, said once on the page
    # (`frame.page_header`); the bound widgets drop them from the URL.
    url = {k: st.query_params.get_all(k) for k in (*filter_specs.FILTER_KEYS, PINS_KEY) if k not in st.session_state}
    st.session_state[URL_PROBLEMS_KEY] = filter_specs.invalid_values(
        {**url, "regions": [*url.get("regions", []), *url.get(PINS_KEY, [])]})


def url_problems() -> list[tuple[str, str]]:
    """(label, value) of the link's values this run ignored."""
    return list(st.session_state.get(URL_PROBLEMS_KEY) or [])


def _clear_filters() -> None:
    # A callback, so it runs before the widgets exist in the next run (writing a
    # widget's key after it is drawn raises). Bound params follow session state.
    for key in filter_specs.FILTER_KEYS:
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
        return filter_specs.ordered(selected, key), f"共 {total:,} 个，请先选择地区{'或单位' if key == 'projects' else ''}后再选。"
    return filter_specs.ordered([*rows[column].tolist(), *selected], key), None


def render_filters() -> None:
    """Draw the shared filters in the sidebar (called once per run by app.py).

    Each multiselect's key is its URL param and SQL param (``?regions=三门峡市``);
    nothing selected shows 全部 and binds NULL. Regions narrow to the chosen
    levels; units and projects are listed under the filters above them (from SQL,
    at most MAX_OPTIONS). Below them, 关注地区 pins regions: rankings always show
    them, highlighted, wherever they rank.
    """
    _note_url_problems()
    rows = filter_option_rows()
    with st.sidebar:
        st.subheader("筛选")
        for spec in filter_specs.FILTERS:
            params = filter_specs.to_params({k: _selection(k) for k in filter_specs.FILTER_KEYS})
            selected = filter_specs.to_params({spec.key: _selection(spec.key)})[spec.key] or []
            hint = None
            if spec.is_cascading:
                options, hint = _cascading_options(spec.key, params, selected)
            else:
                options = filter_specs.options(rows, spec.key, params, selected)
            st.multiselect(
                spec.label, options, key=spec.key, bind="query-params", placeholder=hint and "先选地区" or "全部",
                format_func=str, select_all=False, filter_mode="contains", help=hint,
            )
        params = filter_params()
        st.button("清除全部筛选", on_click=_clear_filters, disabled=not filter_specs.active(params),
                  key="filters.clear", width="stretch")
        regions = filter_specs.options(rows, "regions", {}, _selection(PINS_KEY))
        st.multiselect("关注地区", regions, key=PINS_KEY, bind="query-params", placeholder="搜索并选择地区",
                       select_all=False, filter_mode="contains", max_selections=10,
                       help="排名图只列出最低（和最高）的几个地区；这里选中的地区无论排第几都会列出，并以 ★ 标出。")


def filter_params() -> dict[str, list | None]:
    """The shared filters as named-query params (None = 全部)."""
    return filter_specs.to_params({k: st.session_state.get(k) for k in filter_specs.FILTER_KEYS})


def pins() -> list[str] | None:
    """The pinned regions (关注地区), as a query param (None = none pinned)."""
    chosen = [str(v) for v in (st.session_state.get(PINS_KEY) or []) if filter_specs.valid_value(PINS_KEY, v)]
    return chosen or None


def filter_chips() -> None:
    """The active filters at the top of the main area, each a chip that removes
    itself when clicked, so a phone user (sidebar closed) sees what is shown."""
    params = filter_params()
    chips = filter_specs.chips(params)
    with st.container(horizontal=True, wrap=True, gap="small", key="chips"):
        if not chips:
            st.caption("筛选：全部数据（在左侧栏选择年度、地区等）", width="content")
            return
        st.caption("筛选：", width="content")
        for key, label, value in chips:
            st.button(safe.md(label), key=f"chip.{key}.{value}", icon=":material/close:", icon_position="right",
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
    return filter_specs.ordered(rows.loc[rows["key"] == "years", "value"], "years") if not rows.empty else []


def figure_context(years: Sequence[int] = ()) -> str:
    """The filters and years a chart shows, for its subtitle and its PNG."""
    return filter_specs.figure_context(filter_params(), years or store_years())


def filter_note() -> str:
    """The current filters in Chinese (for export notes)."""
    return filter_specs.describe(filter_params())

