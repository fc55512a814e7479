"""审核: findings grouped by rule (what each rule and severity means), the regions with
the most findings, every finding paged with its full message and source line, and the
documents whose extraction needs a person's review."""

import streamlit as st

from budgetperf import charts
from budgetperf.app import (
    audit,
    display,
    frame,
    login,
    sidebar,
    store_cache,
    tables,
    writes,
)
from budgetperf.understanding import findings

frame.page_header("审核", clickable=True)
f = sidebar.filter_params()
with st.container(horizontal=True, wrap=True, gap="large"):
    severities, statuses = audit.select_severities(), audit.select_statuses()
summary = store_cache.query("audit/summary", **f, severities=severities).iloc[0]
by_rule = store_cache.query("audit/by_rule", **f, severities=severities, statuses=statuses)

display.metric_row([("未处理的错误", f"{int(summary.errors):,} 条", findings.SEVERITY_HELP["错误"]),
               ("未处理的警告", f"{int(summary.warnings):,} 条", findings.SEVERITY_HELP["警告"]),
               ("未处理的提示", f"{int(summary.infos):,} 条", findings.SEVERITY_HELP["提示"]),
               ("需复核文档", f"{int(summary.docs_review):,} 份", findings.REVIEW_HELP)], per_row=4)
audit.settled_note(summary)
if by_rule.empty:
    display.empty_state("审核发现（没有发现也可能说明报告前后一致）", blockers=["projects"])
else:
    titles = {k: findings.rule_title(k) for k in by_rule["kind"]}
    left, right = st.columns(2)
    with left:
        display.show_chart(charts.findings_by_rule(by_rule, titles), "审核发现（按规则）", by_rule)
    with right:
        regions = store_cache.query("audit/by_region", **f, severities=severities, statuses=statuses, pins=sidebar.pins(),
                           limit=charts.TOP_N)
        display.show_chart(charts.findings_by_region(regions), "审核发现最多的地区", regions)

    st.subheader("按规则分组")
    audit.kinds_explained()
    tables.show_table(by_rule, ["severity_zh", "rule", "findings", "regions", "docs", "help", "example_message"],
                  "审核规则汇总")

    st.subheader("审核发现明细")
    kinds = audit.select_rules(by_rule["kind"].tolist(), titles)
    editor = login.current_editor()
    page = audit.with_viewer_names(tables.paged_query("audit/findings", "审核发现明细", **f, severities=severities,
                                                      kinds=kinds, statuses=statuses), editor is not None)
    tables.download_xlsx("导出全部发现（XLSX）", tables.xlsx_builder(audit.with_viewer_names(store_cache.query_all(
        "audit/findings", **f, severities=severities, kinds=kinds, statuses=statuses), editor is not None),
        audit.FINDING_COLUMNS, sheet="审核发现", title="预算绩效评价审核发现"), frame.export_filename("审核发现"),
        key="audit.xlsx")
    st.caption("选中一行，查看完整意见和它引用的原文（高亮行及上下文），编辑可标为已核实或忽略。")
    writes.show_result("finding")
    row = tables.show_table(page, audit.FINDING_COLUMNS, "审核发现明细", selectable=True,
                            key=writes.table_key("audit.findings"),
                            export_rows=lambda rows: audit.with_viewer_names(rows, editor is not None))
    if row is not None:
        audit.finding_detail(page.iloc[row], findings.rule_title(page.iloc[row].kind), findings.rule_help(page.iloc[row].kind))
        audit.finding_status_panel(page.iloc[row], editor)

st.subheader("需要人工复核的文档")
st.caption(findings.REVIEW_HELP)
review = tables.paged_query("audit/review", "需复核文档", **f)
if review.empty:
    st.caption("当前筛选下没有需要复核的文档。")
else:
    tables.show_table(review,
                  ["doc_name", "region", "year", "reason", "message_zh", "project_name", "file"], "需复核文档")
display.source_caption()
