"""预算执行: budget vs executed and execution rates (the projects that need attention
first), the rate distribution, spending plans, expense breakdown, all projects paged."""

import streamlit as st

from budgetperf import charts
from budgetperf.app import display, frame, marks, sidebar, store_cache, tables

frame.page_header("预算执行", clickable=True)
f = sidebar.filter_params()
summary = store_cache.query("execution/summary", **f, warning_pct=charts.WARNING_RATE_PCT).iloc[0]

if not summary.projects:
    display.empty_state("预算执行数据", blockers=["doc_types"])
else:
    if summary.projects_undisclosed:
        listed = store_cache.query("execution/undisclosed", **f, limit=500)
        display.folded_notice(f"{int(summary.projects_undisclosed):,} 个项目的报告未披露执行数：图中标为「未披露」，"
                         "不按 0 或 100% 计。", [f"{r.project_name}（{r.region} {charts.year_label(r.year)}）"
                                               for r in listed.itertuples()], what="未披露执行数的项目")
    gaps = store_cache.query("execution/largest_gaps", **f, limit=charts.TOP_N)
    lowest = store_cache.query("execution/lowest_rates", **f, limit=charts.TOP_N)
    left, right = st.columns(2)
    with left:
        display.chart(charts.budget_vs_executed, gaps, sidebar.region_colors(), name="各项目预算与执行")
    with right:
        display.chart(charts.execution_rate, lowest, name="各项目执行率")
    if summary.projects > charts.FEW_PROJECTS:
        bands = store_cache.query("execution/rate_histogram", **f)
        display.chart(charts.rate_histogram, bands, undisclosed=int(summary.projects_undisclosed), name="执行率分布")
    st.subheader("全部项目")
    page = tables.paged_query("execution/projects", "各项目预算执行明细", **f, sorts={
        "execution_rate_pct": "执行率", "unexecuted_wan": "未执行金额", "budget_wan": "预算", "total_score": "总得分"})
    tables.show_table(page,
                  ["region", "year", "project_name", "budget_wan", "executed_wan", "execution_rate_pct", "status",
                   "is_corrected", "doc_name"], "各项目预算执行明细")
    marks.corrections_expander(page["project_id"].tolist())

st.subheader("支出进度计划")
plans = store_cache.query("execution/spending_plan_summary", **f)
if plans.empty:
    display.empty_state("支出进度计划（只在绩效目标表中填写）")
elif plans["projects"].max() > 4:
    display.chart(charts.spending_plan_summary, plans, name="支出进度计划")
else:
    detail = store_cache.query("execution/spending_plan", **f, limit=4)
    if detail["actual_share_pct"].isna().all():
        st.caption("实际支出进度尚未报告：下图只显示计划，待年度评价报告披露执行数后再对照。")
    display.chart(charts.spending_plan, detail, sidebar.region_colors(), name="支出进度计划")

st.subheader("支出明细")
items = store_cache.query("execution/expense_items", **f, limit=12)
if items.empty:
    display.empty_state("支出明细（报告列出的支出科目）")
elif items["docs_total"].iloc[0] > 3:
    display.chart(charts.expense_items, items, name="支出科目合计")
else:
    expenses = store_cache.query("execution/expenses", **f, limit=8)
    display.chart(charts.expense_treemap, expenses, sidebar.region_colors(), name="支出明细构成")
display.source_caption()
