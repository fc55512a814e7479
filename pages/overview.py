"""总览: key figures for the latest year in view, the regions ranked by execution rate,
budget and execution per region (few) or a region × year heatmap (many), and the table."""

import streamlit as st

from budgetperf import charts, ui

ui.page_header("总览", clickable=True)
f = ui.filter_params()
by_year = ui.query("overview/kpis_by_year", **f)
years = [int(y) for y in by_year.loc[by_year["projects"] > 0, "year"].dropna()]
if not years:
    ui.empty_state("评价结果（总览只汇总评价报告和部门整体支出）", blockers=["doc_types"])
    st.stop()

rated = [int(y) for y in by_year.loc[by_year["execution_rate_pct"].notna(), "year"].dropna()]
focus = max(rated or years)  # the latest year with an execution rate, else with projects
k = by_year.set_index("year").loc[focus]
ui.kpi_cards([
    ui.Kpi(f"预算（{focus} 年）", charts.fmt_wan(k.budget_wan), "评价项目的预算合计（有项目时按项目，否则按部门整体）"),
    ui.Kpi(f"执行（{focus} 年）", charts.fmt_wan(k.executed_wan), f"不含未披露执行数的项目（{int(k.projects_undisclosed)} 个）"),
    ui.Kpi(f"加权执行率（{focus} 年）", charts.fmt_pct(k.execution_rate_pct), "执行合计 ÷ 披露执行数的预算合计"),
    ui.Kpi(f"平均得分（{focus} 年）", charts.fmt_number(k.avg_score), "评价项目总得分的平均"),
    ui.Kpi(f"项目数（{focus} 年）", f"{int(k.projects):,} 个", None),
    ui.Kpi(f"审核发现（{focus} 年）", f"{int(k.checks):,} 条", "当前筛选下文档的审核发现（见「审核」页）"),
])

ranking = ui.query("overview/region_ranking", **{**f, "years": [focus]}, pins=ui.pins(), limit=charts.TOP_N, top=0)
total = int(ranking["regions_total"].iloc[0]) if not ranking.empty else 0
if total <= charts.overview.MAX_PANELS:
    detail = ui.query("overview/region_year", **f, sort="year", descending=False, limit=None, offset=0)
    ui.show_chart(charts.overview_small_multiples(detail, ui.region_colors()), "各地区预算与执行", detail)
else:
    left, right = st.columns(2)
    with left:
        ui.show_chart(charts.region_ranking(ranking, title=f"{focus} 年各地区加权执行率（从低到高）"),
                      "地区执行率排名", ranking, years=[focus])
    with right:
        cells = ui.query("overview/region_year", **{**f, "regions": ranking["region"].tolist()}, sort="year",
                         descending=False, limit=None, offset=0)
        ui.show_chart(charts.region_year_heatmap(cells, order=ranking["region"].tolist()), "各地区历年执行率", cells)

st.subheader("各地区各年度")
table = ui.paged_query("overview/region_year", "各地区各年度关键数据", **f, sorts={
    "execution_rate_pct": "加权执行率", "budget_wan": "预算", "avg_score": "平均得分", "checks": "审核发现",
    "year": "年度"})
ui.show_table(table, ["region", "level_zh", "year", "budget_wan", "executed_wan", "execution_rate_pct",
                      "avg_score", "projects", "projects_undisclosed", "checks"], "各地区各年度关键数据")
ui.source_caption()
