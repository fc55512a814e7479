"""得分分布: total scores (each project when few, a histogram when many), grades,
section score rates, and where points were lost (by item, then every loss, paged)."""

import streamlit as st

from budgetperf import charts, ui

ui.page_header("得分分布", clickable=True)
f = ui.filter_params()
s = ui.query("scores/summary", **f).iloc[0]
if not s.projects_scored:
    ui.empty_state("项目评价得分", blockers=["doc_types"])
    st.stop()

few = s.projects_scored <= charts.scores.MAX_POINTS and s.regions <= charts.MANY_REGIONS
projects = ui.query("scores/projects", **f, limit=charts.scores.MAX_POINTS) if few else ui.query("scores/histogram", **f)
grades = ui.query("scores/grades", **f, by_region=bool(s.regions <= charts.MANY_REGIONS))
sections = ui.query("scores/sections", **f, by_project=bool(s.projects_scored <= 5), limit=5)
left, right = st.columns(2)
with left:
    figure = charts.score_strip(projects, ui.region_colors()) if few else charts.score_histogram(projects)
    ui.show_chart(figure, "项目总得分分布", projects)
with right:
    ui.show_chart(charts.grade_counts(grades, ui.region_colors()), "评价等级分布", grades)
ui.show_chart(charts.section_rates(sections), "各评价部分得分率", sections)

st.subheader("失分项")
st.caption("指标得分低于权重、评价部分得分低于分值的条目。点击图中条目或选中表中一行可查看原文出处。")
items = ui.query("scores/lost_items", **f, limit=charts.TOP_N)
if items.empty:
    ui.show_chart(charts.lost_points(items), "失分项", items)
elif int(items["items_total"].iloc[0]) <= 3 or s.projects_scored <= 5:
    lost = ui.query("scores/lost_points", **f, limit=charts.TOP_N, offset=0)
    ui.show_chart(charts.lost_points(lost), "失分项", lost)
else:
    ui.show_chart(charts.lost_items(items), "失分最多的条目", items)
if not items.empty:
    page = ui.paged_query("scores/lost_points", "失分项明细", **f)
    row = ui.show_table(page, ["region", "year", "project_name", "item_kind", "item", "max_score", "score",
                               "lost_points"], "失分项明细", selectable=True)
    if row is not None:
        chosen = page.iloc[row]
        ui.source_context(chosen.file, chosen.line_start, chosen.line_end, caption=f"「{chosen.item}」")
ui.source_caption()
