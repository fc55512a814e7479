"""地区对比: regions side by side, indicator mix, trends across years, earlier results vs later targets."""

import streamlit as st

from budgetperf import charts, ui

ui.page_header("地区对比")
f = ui.filter_params()
colors = ui.region_colors()
measures = ui.query("regions/measures", **f)

if measures.empty:
    ui.empty_state("可对比的地区数据")
    st.stop()

mix = ui.query("regions/indicator_mix", **f)
trend = ui.query("regions/trend", **f)
links = ui.query("regions/program_links", **f)
linked_indicators = ui.query("regions/program_indicators", **f)

ui.show_chart(charts.region_measures(measures, colors), "地区对比", measures)
left, right = st.columns(2)
with left:
    ui.show_chart(charts.indicator_mix(mix), "指标结构", mix)
with right:
    ui.show_chart(charts.region_trend(trend, colors), "历年预算", trend)
with st.expander("二级指标占比明细"):
    ui.show_table(mix, ["region", "year", "level1", "level2", "indicators", "share_pct"], "指标结构明细")

st.subheader("较早年度评价结果与当年绩效目标（同一项目）")
if links.empty:
    ui.empty_state("可跨年对照的项目（同一地区的较早年度评价与当年目标表）")
else:
    ui.show_chart(charts.program_comparison(links, colors), "跨年对照", links)
    ui.show_table(links, ["region", "project_name", "year", "budget_wan", "earlier_project_name", "earlier_year",
                          "earlier_budget_wan", "earlier_executed_wan", "earlier_execution_rate_pct",
                          "earlier_total_score"], "跨年对照")
    st.caption("指标并列：同一二级指标下，较早年度的目标值与实际完成，对照当年设定的目标值。")
    ui.show_table(linked_indicators, ["project_name", "level2", "earlier_indicator", "earlier_target_raw",
                                      "earlier_actual_raw", "later_indicator", "later_target_raw",
                                      "earlier_attainment_zh"], "跨年指标对照")
ui.source_caption(measures, mix, trend, links)
