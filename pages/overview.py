"""总览: key figures for the filtered total, a table per region×year, small multiples by region."""

import streamlit as st

from budgetperf import charts, ui

ui.page_header("总览")
f = ui.filter_params()
totals = ui.query("overview/totals", **f)
by_region_year = ui.query("overview/region_year", **f)

if by_region_year.empty:
    ui.empty_state("评价结果（总览只汇总评价报告和部门整体支出）", blockers=["doc_types"])
    st.stop()

t = totals.iloc[0]
ui.metric_row([
    ("预算", charts.fmt_wan(t.budget_wan), "评价项目的预算合计（有项目时按项目，否则按部门整体）"),
    ("执行", charts.fmt_wan(t.executed_wan), f"不含未披露执行数的项目（{int(t.projects_undisclosed)} 个）"),
    ("加权执行率", charts.fmt_pct(t.execution_rate_pct), "执行合计 ÷ 披露执行数的项目预算合计"),
    ("平均得分", charts.fmt_number(t.avg_score), "评价项目总得分的平均"),
    ("项目数", f"{int(t.projects)} 个", None),
    ("审核发现数", f"{int(t.checks or 0)} 条", "当前筛选下文档的审核发现（见「审核」页）"),
])

st.subheader("各地区各年度")
ui.show_table(by_region_year, ["region", "level_zh", "year", "budget_wan", "executed_wan", "execution_rate_pct",
                               "avg_score", "projects", "projects_undisclosed", "checks", "files"],
              "各地区各年度关键数据")
if ui.filter_params()["units"] or ui.filter_params()["projects"]:
    st.caption("按地区×年度汇总：选了单位或项目时，显示包含它们的地区与年度的全部数据。")
ui.show_chart(charts.overview_small_multiples(by_region_year, ui.region_colors()), "各地区预算与执行",
              by_region_year)
ui.source_caption(by_region_year)
