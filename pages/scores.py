"""得分分布: project totals per region, grade counts, section score rates, where points were lost."""

import streamlit as st

from budgetperf import charts, ui

ui.page_header("得分分布", clickable=True)
f = ui.filter_params()
colors = ui.region_colors()
projects = ui.query("scores/projects", **f)

if projects["total_score"].dropna().empty:
    ui.empty_state("项目评价得分", blockers=["doc_types"])
    st.stop()

grades = ui.query("scores/grades", **f)
sections = ui.query("scores/sections", **f)
lost = ui.query("scores/lost_points", **f)

left, right = st.columns(2)
with left:
    ui.show_chart(charts.score_strip(projects, colors), "项目总得分分布", projects, opens_project=True)
with right:
    ui.show_chart(charts.grade_counts(grades, colors), "评价等级分布", grades)
ui.show_chart(charts.section_rates(sections, colors), "各评价部分得分率", sections, opens_project=True)

st.subheader("失分项")
st.caption("指标得分低于权重、评价部分得分低于分值的条目。选中一行可查看原文出处。")
ui.show_chart(charts.lost_points(lost, colors), "失分项", lost, opens_project=True)
if not lost.empty:
    row = ui.show_table(lost, ["region", "year", "project_name", "item_kind", "item", "max_score", "score",
                               "lost_points"], "失分项明细", selectable=True)
    if row is not None:
        chosen = lost.iloc[row]
        ui.source_context(chosen.file, chosen.line_start, chosen.line_end, caption=f"「{chosen.item}」")
ui.source_caption(projects, grades, sections, lost)
