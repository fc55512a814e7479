"""指标完成: every indicator (target, actual, weight, score, attainment), score-rate heatmap, 量化率."""

import streamlit as st

from budgetperf import charts, ui

ui.page_header("指标完成")
f = ui.filter_params()
colors = ui.region_colors()
indicators = ui.query("indicators/list", **f)

if indicators.empty:
    ui.empty_state("绩效指标")
    st.stop()

heatmap = ui.query("indicators/heatmap", **f)
quantified = ui.query("indicators/quantified", **f)
attainment = ui.query("indicators/attainment", **f)

left, right = st.columns([3, 2], vertical_alignment="center")
with left:
    ui.show_chart(charts.quantified_rate(quantified, colors), "量化率", quantified)
with right:
    ui.show_table(quantified, ["region", "year", "indicators", "quantified", "quantified_pct"], "量化率明细")
ui.show_chart(charts.attainment_mix(attainment), "指标完成情况", attainment)
ui.show_chart(charts.indicator_heatmap(heatmap), "二级指标得分率", heatmap)

st.subheader("指标明细")
st.caption("完成情况：超额完成/完成/未完成 按数值目标判断；目标或实际为文字时为「定性」；尚无实际值（如绩效目标表）为「未评价」。"
           "选中一行可查看原文出处。")
row = ui.show_table(indicators, ["region", "year", "doc_type_zh", "project_name", "level1", "level2",
                                 "indicator_name", "target_raw", "actual_raw", "weight", "score",
                                 "score_rate_pct", "attainment_zh"], "指标明细", height=420, selectable=True)
if row is not None:
    chosen = indicators.iloc[row]
    ui.source_context(chosen.file, chosen.line_start, chosen.line_end, caption=f"指标「{chosen.indicator_name}」")
    ui.nav_button(f"打开项目「{chosen.project_name}」的全部出处 →", ui.SOURCES_PAGE,
                  {ui.DOC_KEY: chosen.file, ui.PROJECT_KEY: chosen.project_name}, key="indicators.open")
ui.source_caption(indicators)
