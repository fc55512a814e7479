"""数据来源: the documents in the store, and for a project its figures, indicators and the
source lines each came from (detail keyed by ?doc=…&project=…)."""

import streamlit as st

from budgetperf import charts, ui

ui.page_header("数据来源")
f = ui.filter_params()
docs = ui.query("sources/documents", **f)
if docs.empty:
    ui.empty_state("文档")
    st.stop()
with st.expander(f"数据库中的文档（{len(docs)}）", expanded=not st.session_state.get(ui.DOC_KEY)):
    ui.show_table(docs, ["file", "fmt", "region", "unit", "year", "year_is_explicit", "doc_kinds", "projects",
                         "indicators", "checks", "line_count", "year_evidence"], "文档列表")

st.subheader("出处详情")
left, right = st.columns(2)
with left:
    file = ui.select_document(docs["file"].tolist())
projects = ui.query("sources/projects", doc=file) if file else docs.iloc[0:0]
with right:
    name = ui.select_project(projects["project_name"].tolist() if file else [])
if not file:
    st.info("选择一个文档和项目，查看每个数值、每个指标摘自原文的哪几行。", icon=":material/touch_app:")
    st.stop()

doc = docs[docs["file"] == file]
provenance = ui.query("sources/provenance", doc=file, project=name)
if name is None:
    st.caption(f"年度依据：{doc.iloc[0].year_evidence if not doc.empty else '—'}。选中下表一行可查看原文上下文。")
    row = ui.show_table(provenance, ["entity", "field", "value_text", "line_start", "line_end"], "文档字段出处",
                        selectable=True)
    if row is not None:
        ui.source_context(file, provenance.iloc[row].line_start, provenance.iloc[row].line_end)
    st.stop()

p = projects[projects["project_name"] == name].iloc[0]
ui.metric_row([("预算", charts.fmt_wan(p.budget_wan), None), ("执行", charts.fmt_wan(p.executed_wan), None),
               ("执行率", charts.fmt_pct(p.execution_rate_pct), None),
               ("总得分", charts.fmt_number(p.total_score), None), ("等级", (f"{p.grade}（按得分推算）" if p.is_grade_derived else p.grade) or "—", None)])
go_left, go_right = st.columns(2)
with go_left:
    ui.nav_button("在「指标完成」页查看该项目 →", ui.INDICATORS_PAGE, ui.filter_state_for(p.region, p.year, name),
                  key="sources.to_indicators")
with go_right:
    ui.nav_button("在「预算执行」页查看该项目 →", ui.EXECUTION_PAGE, ui.filter_state_for(p.region, p.year, name),
                  key="sources.to_execution")

indicators = ui.query("sources/indicators", doc=file, project=name)
tab_values, tab_indicators = st.tabs([f"数值出处（{len(provenance)}）", f"指标出处（{len(indicators)}）"])
with tab_values:
    row = ui.show_table(provenance, ["entity", "field", "value_text", "line_start", "line_end", "snippet"],
                        "字段出处", selectable=True)
    chosen = provenance.iloc[row] if row is not None else p
    ui.source_context(file, chosen.line_start, chosen.line_end, caption="" if row is not None else f"项目「{name}」")
with tab_indicators:
    row = ui.show_table(indicators, ["level1", "level2", "indicator_name", "target_raw", "actual_raw", "weight",
                                     "score", "attainment_zh", "line_start", "line_end"], "指标出处", selectable=True)
    if row is not None:
        ui.source_context(file, indicators.iloc[row].line_start, indicators.iloc[row].line_end,
                          caption=f"指标「{indicators.iloc[row].indicator_name}」")
ui.source_caption(doc)
