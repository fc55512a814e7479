"""修改记录: the audit trail of corrections, undos and reference-table edits (who changed
what, when and why), filterable by editor, field, date, file and text, exportable
to XLSX. Read from the corrections files, so it outlives any rebuild of the store."""

import streamlit as st

from budgetperf.app import frame, registry, trail
from budgetperf.changes import trail_filters

frame.page_header("修改记录")
st.caption("人工更正、撤销和参考表修改，都记在数据库旁的记录文件中，重建数据库后仍然保留。本页不受左侧筛选影响。")
records = trail.load_trail()
if records.empty:
    st.info("还没有修改记录：在「数据校对」页更正数值或修改参考表后，这里会列出每一次修改。", icon=":material/history:")
    st.stop()

chosen = trail.trail_filter_form(records)
shown = trail_filters.apply(records, chosen)
trail.trail_table(shown, len(records))
st.page_link(registry.path_of("review"), label="到「数据校对」页更正或撤销", icon=":material/fact_check:")
