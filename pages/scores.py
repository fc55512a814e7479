"""得分分布: total scores (each project when few, a histogram when many), grades,
section score rates, and where points were lost (by item, then every loss, paged)."""

import streamlit as st

from budgetperf import charts
from budgetperf.app import display, frame, sidebar, sources, store_cache, tables

frame.page_header("得分分布", clickable=True)
f = sidebar.filter_params()
s = store_cache.query("scores/summary", **f).iloc[0]
if not s.projects_scored:
    display.empty_state("项目评价得分", blockers=["doc_types"])
    st.stop()

few = s.projects_scored <= charts.scores.MAX_POINTS and s.regions <= charts.MANY_REGIONS
projects = store_cache.query("scores/projects", **f, limit=charts.scores.MAX_POINTS) if few else store_cache.query("scores/histogram", **f)
grades = store_cache.query("scores/grades", **f, by_region=bool(s.regions <= charts.MANY_REGIONS))
sections = store_cache.query("scores/sections", **f, by_project=bool(s.projects_scored <= 5), limit=5)
left, right = st.columns(2)
with left:
    if few:
        display.chart(charts.score_strip, projects, sidebar.region_colors(), name="项目总得分分布")
    else:
        display.chart(charts.score_histogram, projects, name="项目总得分分布")
with right:
    display.chart(charts.grade_counts, grades, sidebar.region_colors(), name="评价等级分布")
display.chart(charts.section_rates, sections, name="各评价部分得分率")

st.subheader("失分项")
st.caption("指标得分低于权重、评价部分得分低于分值的条目。点击图中条目或选中表中一行可查看原文出处。")
items = store_cache.query("scores/lost_items", **f, limit=charts.TOP_N)
if items.empty:
    display.chart(charts.lost_points, items, name="失分项")
elif int(items["items_total"].iloc[0]) <= 3 or s.projects_scored <= 5:
    lost = store_cache.query("scores/lost_points", **f, limit=charts.TOP_N, offset=0)
    display.chart(charts.lost_points, lost, name="失分项")
else:
    display.chart(charts.lost_items, items, name="失分最多的条目")
if not items.empty:
    page = tables.paged_query("scores/lost_points", "失分项明细", **f)
    row = tables.show_table(page, ["region", "year", "project_name", "item_kind", "item", "max_score", "score",
                               "lost_points"], "失分项明细", selectable=True)
    if row is not None:
        chosen = page.iloc[row]
        sources.source_context(chosen.file, chosen.line_start, chosen.line_end, caption=f"「{chosen.item}」")
display.source_caption()
