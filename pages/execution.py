"""预算执行: budget vs executed per project, execution rate, spending plans, expense breakdown."""

import streamlit as st

from budgetperf import charts, ui

ui.page_header("预算执行", clickable=True)
f = ui.filter_params()
colors = ui.region_colors()
projects = ui.query("execution/projects", **f)
plans = ui.query("execution/spending_plan", **f)
expenses = ui.query("execution/expenses", **f)

if projects.empty:
    ui.empty_state("预算执行数据", blockers=["doc_types"])
else:
    undisclosed = projects[~projects["is_execution_disclosed"]]
    if not undisclosed.empty:
        st.warning("以下项目的报告未披露执行数，图中标为「未披露」（不按 0 或 100% 计）："
                   + "、".join(f"{r.project_name}（{r.region} {r.year}）" for r in undisclosed.itertuples()),
                   icon=":material/warning:")
    ui.show_chart(charts.budget_vs_executed(projects, colors), "各项目预算与执行", projects, opens_project=True)
    ui.show_chart(charts.execution_rate(projects, colors), "各项目执行率", projects, opens_project=True)
    ui.show_table(projects, ["region", "year", "project_name", "budget_wan", "executed_wan", "execution_rate_pct",
                             "file"], "各项目预算执行明细")

st.subheader("支出进度计划")
if plans.empty:
    ui.empty_state("支出进度计划（只在绩效目标表中填写）")
else:
    if plans["actual_share_pct"].isna().all():
        st.caption("实际支出进度尚未报告：下图只显示计划，待年度评价报告披露执行数后再对照。")
    ui.show_chart(charts.spending_plan(plans, colors), "支出进度计划", plans)

st.subheader("支出明细")
if expenses.empty:
    ui.empty_state("支出明细（报告列出的支出科目）")
else:
    ui.show_chart(charts.expense_treemap(expenses, colors), "支出明细构成", expenses)

ui.source_caption(projects, plans, expenses)
