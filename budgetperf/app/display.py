"""Showing figures: Plotly charts with the shared config (Chinese locale, export
file name, click-through), KPI cards, empty states that say which filter to change,
notices that fold long lists, and the one-line source note under a page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from budgetperf import charts
from budgetperf.app import filter_specs, registry, store_cache
from budgetperf.charts import safe
from budgetperf.app.frame import export_filename, record_export, record_figures
from budgetperf.app.navigation import on_chart_select
from budgetperf.app.sidebar import figure_context, filter_params
from budgetperf.app.store_cache import query


# Plotly's own words in Chinese: the toolbar's tooltips and the dates it formats.
# Streamlit's Plotly bundle registers no locale but English, so the dictionary
# travels with each chart (config ``locales``), as plotly.js allows.
PLOTLY_ZH = {
    "dictionary": {
        "Autoscale": "自动缩放", "Box Select": "矩形选择", "Lasso Select": "套索选择", "Pan": "平移", "Zoom": "缩放",
        "Zoom in": "放大", "Zoom out": "缩小", "Reset axes": "重置坐标轴", "Reset view": "重置视图",
        "Download plot as a png": "下载图片（PNG）", "Download plot as a PNG": "下载图片（PNG）",
        "Download plot": "下载图片", "Toggle Spike Lines": "显示或隐藏参考线",
        "Show closest data on hover": "悬停时显示最近的数据", "Compare data on hover": "悬停时比较数据",
        "Double-click to zoom back out": "双击恢复原来的缩放", "Produced with Plotly.js": "由 Plotly.js 绘制",
        "Taking snapshot - this may take a few seconds": "正在生成图片，请稍候",
        "Click to enter Plot title": "点击输入图表标题", "Click to enter X axis title": "点击输入 X 轴标题",
        "Click to enter Y axis title": "点击输入 Y 轴标题", "Click to enter Colorscale title": "点击输入色阶标题",
        "Snapshot succeeded": "图片已生成", "Sorry, there was a problem downloading your snapshot!": "抱歉，图片下载失败",
        "trace": "数据系列", "new text": "新文本",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
        "shortMonths": ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
        "date": "%Y-%m-%d", "decimal": ".", "thousands": ",",
    },
}


def plotly_config(export_name: str) -> dict:
    """The Plotly config every chart uses: no logo, a short toolbar (it sits above
    the title) whose tooltips are Chinese, PNG at 2× named after the view, Chinese
    number separators."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": export_filename(export_name)},
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d", "zoomIn2d", "zoomOut2d",
                                   "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian"],
        "locale": "zh-CN",
        "locales": {"zh-CN": PLOTLY_ZH},
    }


def show_chart(fig: go.Figure, export_name: str, df: pd.DataFrame | None = None, *,
               years: Sequence[int] = ()) -> None:
    """Show a Plotly figure with the shared config, the filters it shows in its
    subtitle, and record it for export. A click on a point whose customdata is
    [region, year, file, project, field] (`charts.click_data`) filters the pages to
    the region (and year), or opens the project's source line on 数据来源.
    `chart` does the same for a figure shared between sessions."""
    charts.set_context(fig, figure_context(years or _years_in(df)))
    _plot(fig, export_name, df)


def chart(builder: Callable[..., go.Figure], df: pd.DataFrame, *args, name: str, years: Sequence[int] = (),
          **kwargs) -> None:
    """Show `builder(df, *args, **kwargs)` as `show_chart` does, the figure built
    once for everyone who asks for the same data, arguments and filters (every
    session, until the store changes: `store_cache.cached_figure`)."""
    context = figure_context(years or _years_in(df))
    key = (builder.__module__, builder.__qualname__, store_cache.frame_key(df), repr(args),
           repr(sorted(kwargs.items())), context)

    def build() -> go.Figure:
        return charts.set_context(builder(df, *args, **kwargs), context)

    _plot(store_cache.cached_figure(key, build), name, df)


def _plot(fig: go.Figure, export_name: str, df: pd.DataFrame | None) -> None:
    key = f"chart.{export_name}"
    st.plotly_chart(fig, width="stretch", theme=None, config=plotly_config(export_name), key=key,
                    on_select=functools.partial(on_chart_select, key), selection_mode="points")
    record_export(export_name, fig, df)


def _years_in(df: pd.DataFrame | None) -> list[int]:
    for column in ("year", "earlier_year"):
        if df is not None and column in df:
            return [int(y) for y in df["year"].dropna().unique()]
    return []


def note(text: str | None) -> None:
    """A one-line note under a block (what a comparison covers); nothing when None.
    Its words may name regions or projects: shown as text (`safe.md`)."""
    if text:
        st.caption(safe.md(text))


def empty_state(what: str, *, blockers: Sequence[str] = ()) -> None:
    """Say there is no data for `what` under the current filters, and which filter to change."""
    st.info(filter_specs.empty_hint(what, filter_params(), blockers=blockers), icon=":material/filter_alt:")


def source_caption(docs: int | None = None) -> None:
    """The page's one source line: 「来源：388 份报告」 and a link to their list on 数据来源."""
    if docs is None:
        counted = query("common/doc_count", **filter_params())
        docs = int(counted["docs"].iloc[0]) if not counted.empty else 0
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.caption(f"来源：{docs:,} 份报告" if docs else "来源：当前筛选下没有报告")
        if docs:
            st.page_link(registry.path_of("sources"), label="查看清单", icon=":material/description:")


def folded_notice(message: str, items: Sequence[str], *, icon: str = ":material/warning:",
                  what: str = "清单") -> None:
    """A warning that names how many items it is about, with the items behind an
    expander (a list of 2,000 projects must not fill the first screen)."""
    st.warning(message, icon=icon)
    if items:
        with st.expander(f"{what}（{len(items):,}）"):
            st.markdown("\n".join(f"- {safe.md(item)}" for item in items))


class Kpi(NamedTuple):
    """One KPI card: label (with its year), value, help, 同比 change, status badge and link."""

    label: str
    value: str
    help: str | None = None
    change: object = None                  # briefing.Change (text, colour, what it compares with)
    status: tuple[str, str] | None = None  # (text, colour: red/orange/green/gray)
    link: tuple[str, str] | None = None    # (page path, link text)


def kpi_cards(cards: Sequence[Kpi], key: str = "kpi") -> None:
    """KPI cards in a grid that wraps with the screen width (4 a row on a laptop,
    2 on a tablet, 1–2 on a phone); values wrap rather than being cut. Recorded for
    the deck's headline slide."""
    record_figures([(c.label, c.value, (getattr(c.change, "text", None) or "") if c.change is not None else "")
                    for c in cards])
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


def metric_row(items: Sequence[tuple[str, str, str | None]], per_row: int = 3) -> None:
    """Plain KPI cards: (label, formatted value, help)."""
    kpi_cards([Kpi(label, value, help_text) for label, value, help_text in items], key=f"metrics{per_row}")

