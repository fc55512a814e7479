"""数据校对: what needs a person, most important first (extraction doubts, audit errors,
doubtful values), each item with its source lines and the forms to fix any stored
fact, confirm a right reading, or undo a correction. Viewing needs no login;
correcting needs an editor (the same login as 数据管理)."""

import streamlit as st

from budgetperf.app import frame, login, registry, review, sidebar

frame.page_header("数据校对")
editor = login.login_section()
f = sidebar.filter_params()

st.subheader("待核对")
review.queue_panel(f)
review.open_any_panel(f)

st.subheader("核对与更正")
review.item_panel(editor)

st.divider()
review.reference_panel(editor)
st.page_link(registry.path_of("trail"), label="全部修改记录（谁、何时、改了什么、为什么）", icon=":material/history:")
