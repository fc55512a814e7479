"""地区对比: the chosen measure (对比指标) ranked and across years, whatever the number
of regions; region A against region B, year by year, with the same projects'
change; indicator mix, budget trends, and earlier results against later targets."""

import streamlit as st

from budgetperf import charts
from budgetperf.app import comparison, display, frame, sidebar, store_cache, tables

frame.page_header("地区对比", clickable=True)
f = sidebar.filter_params()
measure = comparison.measure_picker()
ranking = store_cache.query("regions/ranking", **f, measure=measure, pins=sidebar.pins(), limit=charts.TOP_N, top=5)
if ranking.empty:
    display.empty_state("可对比的地区数据")
    st.stop()

total = int(ranking["regions_total"].iloc[0])
shown = ranking["region"].tolist()
display.note(charts.briefing.missing_pins(sidebar.pins(), shown))
left, right = st.columns(2)
with left:
    display.chart(charts.region_ranking, ranking, measure, name="地区排名")
with right:
    if total <= charts.MANY_REGIONS:
        measures = store_cache.query("regions/measures", **f)
        display.chart(charts.region_measures, measures, sidebar.region_colors(), measure, name="地区历年对比")
    else:
        cells = store_cache.query("regions/heatmap", **{**f, "regions": shown}, measure=measure)
        display.chart(charts.region_year_heatmap, cells, measure, order=shown, name="地区历年对比")

comparison.pair_view(f, measure, comparison.store_regions(), shown)

mix = store_cache.query("regions/indicator_mix", **f, by_region=total <= 4)
trend = store_cache.query("regions/trend", **f, by_region=total <= charts.MANY_REGIONS, pins=sidebar.pins())
left, right = st.columns(2)
with left:
    display.chart(charts.indicator_mix, mix, name="指标结构")
with right:
    display.chart(charts.region_trend, trend, sidebar.region_colors(), name="历年预算")

st.subheader("较早年度评价结果与当年绩效目标（同一项目）")
links = store_cache.query("regions/program_links", **f, limit=charts.TOP_N)
if links.empty:
    display.empty_state("可跨年对照的项目（同一地区的较早年度评价与当年目标表）")
else:
    display.chart(charts.program_comparison, links, sidebar.region_colors(), name="跨年对照")
    tables.show_table(links, ["region", "project_name", "year", "budget_wan", "earlier_project_name", "earlier_year",
                              "earlier_budget_wan", "earlier_executed_wan", "earlier_execution_rate_pct",
                              "earlier_total_score", "link_evidence"], "跨年对照")
    with st.expander("指标并列：同一二级指标下，较早年度的目标值与实际完成，对照当年设定的目标值"):
        paired = store_cache.query("regions/program_indicators", **f, limit=5)
        tables.show_table(paired, ["project_name", "level2", "earlier_indicator", "earlier_target_raw",
                                   "earlier_actual_raw", "later_indicator", "later_target_raw",
                                   "earlier_attainment_zh"], "跨年指标对照")
display.source_caption()
