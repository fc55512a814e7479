"""审核: audit findings by region, year and severity, their evidence lines, and an XLSX export."""

import streamlit as st

from budgetperf import charts, ui

COLUMNS = ["severity_zh", "region", "year", "message_zh", "project_name", "unit", "file", "line_start", "line_end"]

ui.page_header("审核")
f = ui.filter_params()
severities = ui.select_severities()
findings = ui.query("audit/findings", **f, severities=severities)
counts = ui.query("audit/counts", **f, severities=severities)

if findings.empty:
    ui.empty_state("审核发现（没有发现也可能说明报告前后一致）", blockers=["projects"])
    st.stop()

by_severity = findings["severity_zh"].value_counts()
ui.metric_row([(s, f"{int(by_severity.get(s, 0))} 条", None) for s in charts.SEVERITY_ORDER]
              + [("合计", f"{len(findings)} 条", None)], per_row=4)
ui.show_chart(charts.findings_by_severity(counts), "审核发现数", counts)

st.subheader("审核发现明细")
ui.download_xlsx("导出 XLSX", ui.xlsx_builder(findings, COLUMNS, sheet="审核发现", title="预算绩效评价审核发现"),
                 ui.export_filename("审核发现"), key="audit.xlsx")
st.caption("选中一行，查看它引用的原文（高亮行及上下文）。")
row = ui.show_table(findings, COLUMNS, "审核发现明细", selectable=True)
if row is not None:
    chosen = findings.iloc[row]
    ui.source_context(chosen.file, chosen.line_start, chosen.line_end, context=4, caption=chosen.message_zh)
    if isinstance(chosen.project_name, str):
        ui.nav_button(f"打开项目「{chosen.project_name}」的全部出处 →", ui.SOURCES_PAGE,
                      {ui.DOC_KEY: chosen.file, ui.PROJECT_KEY: chosen.project_name}, key="audit.open")
ui.source_caption(findings)
