"""总览, a briefing: one sentence for the current filters, the key figures of the year
in view with 同比 and status, the regions and projects that need attention (and why),
then rankings or budget per region, and the region × year table."""

import streamlit as st

from budgetperf import charts
from budgetperf.app import display, frame, overview, sidebar, store_cache, tables
from budgetperf.charts import briefing

frame.page_header("总览", clickable=True)
f = sidebar.filter_params()
by_year = store_cache.query("overview/kpis_by_year", **{**f, "years": None}).set_index("year", drop=False)
year = briefing.focus_year(by_year, f["years"])
if year is None:
    display.empty_state("评价结果（总览只汇总评价报告和部门整体支出）", blockers=["doc_types"])
    st.stop()

k, prev = by_year.loc[year], briefing.previous_year(by_year, year)
p = by_year.loc[prev] if prev else None
others = {key: v for key, v in f.items() if key != "years"}
like = store_cache.query("overview/like_for_like", **others, year=year, previous=prev).iloc[0] if prev else None
ranking = store_cache.query("overview/region_ranking", **{**f, "years": [year]}, pins=sidebar.pins(), limit=charts.TOP_N, top=0)
overview.headline(briefing.headline(year, k, ranking), ranking.iloc[0] if not ranking.empty else None)
overview.briefing_cards(briefing.year_cards(year, k, p, prev, like=like))
display.note(briefing.coverage_note(year, prev, like))
display.note(briefing.missing_pins(sidebar.pins(), ranking["region"].tolist(), year))
if f["years"] and len(f["years"]) > 1:
    st.caption(f"选了多个年度：上面的句子和卡片说的是其中最近的 {year} 年；图和表包含所选的全部年度。")

low = store_cache.query("overview/low_scores", **{**f, "years": [year]}, limit=5)
by_rate, by_score = overview.attention(ranking.head(5), low)
left, right = st.columns(2)
with left:
    overview.attention_list("执行率最低的地区", by_rate, "attention.regions", "没有披露执行率的地区")
with right:
    overview.attention_list("得分最低的项目", by_score, "attention.scores", "所有评价项目均为满分")

total = int(ranking["regions_total"].iloc[0]) if not ranking.empty else 0
if total <= charts.overview.MAX_PANELS:
    detail = store_cache.query("overview/region_year", **f, sort="year", limit=None, offset=0)
    display.chart(charts.overview_small_multiples, detail, sidebar.region_colors(), name="各地区预算与执行")
else:
    left, right = st.columns(2)
    with left:
        display.chart(charts.region_ranking, ranking, title=f"{year} 年各地区执行率排名", name="地区执行率排名",
                      years=[year])
    with right:
        cells = store_cache.query("overview/region_year", **{**f, "regions": ranking["region"].tolist()}, sort="year",
                         limit=None, offset=0)
        display.chart(charts.region_year_heatmap, cells, order=ranking["region"].tolist(), name="各地区历年执行率")

st.subheader("各地区各年度")
table = tables.paged_query("overview/region_year", "各地区各年度关键数据", **f, sorts={
    "execution_rate_pct": "加权执行率", "budget_wan": "预算", "avg_score": "平均得分", "checks": "审核发现", "year": "年度"})
tables.show_table(table,
              ["region", "level_zh", "year", "execution_rate_pct", "status", "budget_wan", "executed_wan",
               "avg_score", "projects", "projects_undisclosed", "checks"], "各地区各年度关键数据")
display.source_caption()
