"""指标完成: 量化率, attainment classes and level-2 score rates (per project when few,
per level-2 indicator or region when many), and every indicator, paged, with its source."""

import streamlit as st

from budgetperf import charts
from budgetperf.app import (
    display,
    frame,
    navigation,
    sidebar,
    sources,
    store_cache,
    tables,
)

frame.page_header("指标完成", clickable=True)
f = sidebar.filter_params()
s = store_cache.query("indicators/summary", **f).iloc[0]
if not s.indicators:
    display.empty_state("绩效指标")
    st.stop()

display.metric_row([("指标数", f"{int(s.indicators):,} 个", None),
               ("量化率", charts.fmt_pct(s.quantified_pct), "有数值目标的指标占比"),
               ("未完成", f"{int(s.missed):,} 个", "实际值未达到数值目标的指标"),
               ("项目数", f"{int(s.projects):,} 个", None)], per_row=4)
few = s.projects <= charts.FEW_PROJECTS
quantified = store_cache.query("indicators/quantified", **f, pins=sidebar.pins(), limit=charts.TOP_N)
if few:
    attainment = store_cache.query("indicators/attainment_by_project", **f, limit=charts.FEW_PROJECTS)
    heatmap = store_cache.query("indicators/heatmap_by_project", **f, limit=charts.FEW_PROJECTS)
    builders = (charts.attainment_mix, charts.indicator_heatmap)
else:
    attainment = store_cache.query("indicators/attainment_by_level2", **f)
    heatmap = store_cache.query("indicators/heatmap_by_region", **f, pins=sidebar.pins(), limit=charts.TOP_N)
    builders = (charts.attainment_by_level2, charts.indicator_heatmap_by_region)
left, right = st.columns(2)
with left:
    display.chart(charts.quantified_rate, quantified, sidebar.region_colors(), name="量化率")
with right:
    display.chart(builders[0], attainment, name="指标完成情况")
display.chart(builders[1], heatmap, name="二级指标得分率")

st.subheader("指标明细")
st.caption("完成情况：超额完成/完成/未完成 按数值目标判断；目标或实际为文字时为「定性」；尚无实际值（如绩效目标表）为「未评价」。"
           "选中一行可查看原文出处。")
classes = st.pills("完成情况", list(charts.ATTAINMENT_COLORS), selection_mode="multi", key="indicators.classes")
page = tables.paged_query("indicators/list", "指标明细", **f, attainments=list(classes) or None,
                      sorts={"default": "地区、年度、项目", "score_rate_pct": "得分率", "weight": "权重"})
row = tables.show_table(page, ["region", "year", "project_name", "level1", "level2", "indicator_name", "target_raw",
                           "actual_raw", "weight", "score", "score_rate_pct", "attainment_zh", "is_corrected"], "指标明细",
                    height=420, selectable=True)
if row is not None:
    chosen = page.iloc[row]
    sources.source_context(chosen.file, chosen.line_start, chosen.line_end, caption=f"指标「{chosen.indicator_name}」")
    navigation.source_button(f"打开项目「{chosen.project_name}」的全部出处", chosen.file, chosen.project_name,
                     f"line:{chosen.line_start}", key="indicators.open")
display.source_caption()
