"""数据来源: the documents behind the current filters (by display name, the file one
click away), and for a document or project every figure and indicator with the source
lines it came from (detail keyed by ?doc=…&project=…&field=…)."""

import streamlit as st

from budgetperf.app import (
    display,
    frame,
    marks,
    navigation,
    passages,
    sidebar,
    sources,
    store_cache,
    tables,
)

frame.page_header("数据来源")
f = sidebar.filter_params()
search = st.text_input("查找文档", key="sources.search", placeholder="单位、年度、类型或文件名的一部分") or None
docs = tables.paged_query("sources/documents", "文档列表", **f, search=search, page_size=50)
if docs.empty and not st.session_state.get(navigation.DOC_KEY):
    display.empty_state("文档")
    st.stop()
with st.expander(f"文档（共 {int(docs['total_rows'].iloc[0]) if not docs.empty else 0:,} 份）",
                 expanded=not st.session_state.get(navigation.DOC_KEY)):
    row = tables.show_table(docs, ["doc_name", "region", "unit", "year", "doc_kind_zh", "projects", "indicators",
                               "checks", "review_reasons", "file", "fmt", "year_evidence"], "文档列表",
                        selectable=True, key="sources.docs")
    if row is not None:
        navigation.source_button(f"打开「{docs.iloc[row].doc_name}」", docs.iloc[row].file, None, None, key="sources.pick")

st.subheader("出处详情")
left, right = st.columns(2)
with left:
    file = sources.select_document(dict(zip(docs["file"], docs["doc_name"])))
doc = store_cache.query("sources/document", doc=file) if file else docs.iloc[0:0]
projects = store_cache.query("sources/projects", doc=file) if file else docs.iloc[0:0]
with right:
    name = sources.select_project(projects["project_name"].tolist() if file else [])
if doc.empty:
    st.info("选择一个文档和项目，查看每个数值、每个指标摘自原文的哪几行。", icon=":material/touch_app:")
    st.stop()

d = doc.iloc[0]
display.note(f"文件：{d.file}（{d.fmt}，{int(d.line_count):,} 行）　年度依据：{d.year_evidence or '—'}")
provenance = store_cache.query("sources/provenance", doc=file, project=name)
clicked = sources.clicked_field()
if clicked:
    lines = sources.clicked_lines(clicked, provenance)
    if lines:
        sources.source_context(file, *lines, name=d.doc_name, caption="（你在图中点击的数值）")
if name is None:
    marks.corrected_history(d.doc_id)
    row = tables.show_table(provenance, ["entity", "field", "value_text", "line_start", "line_end"], "文档字段出处",
                        selectable=True)
    if row is not None:
        sources.source_context(file, provenance.iloc[row].line_start, provenance.iloc[row].line_end, name=d.doc_name)
    st.stop()

p = projects[projects["project_name"] == name].iloc[0]
sources.project_figures(p)
passages.project_passages(file, name)
marks.corrected_history(d.doc_id, p.project_id)
indicators = store_cache.query("sources/indicators", doc=file, project=name)
tab_values, tab_indicators = st.tabs([f"数值出处（{len(provenance)}）", f"指标出处（{len(indicators)}）"])
with tab_values:
    row = tables.show_table(provenance, ["entity", "field", "value_text", "line_start", "line_end", "snippet"],
                        "字段出处", selectable=True)
    if row is not None or not clicked:
        chosen = provenance.iloc[row] if row is not None else p
        sources.source_context(file, chosen.line_start, chosen.line_end, name=d.doc_name,
                          caption="" if row is not None else f"项目「{name}」")
with tab_indicators:
    row = tables.show_table(indicators, ["level1", "level2", "indicator_name", "target_raw", "actual_raw", "weight",
                                     "score", "attainment_zh", "is_corrected", "line_start", "line_end"], "指标出处",
                        selectable=True)
    if row is not None:
        sources.source_context(file, indicators.iloc[row].line_start, indicators.iloc[row].line_end, name=d.doc_name,
                          caption=f"指标「{indicators.iloc[row].indicator_name}」")
