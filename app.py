"""The dashboard's entrypoint: page config, shared sidebar filters, navigation.

A router and frame only (STYLE.md §1): every page lives in pages/*.py, all logic in
budgetperf/. Filters are drawn here, once per run, so their state survives page
switches; they are bound to the URL, so a link reproduces the view.

    streamlit run app.py      (or: make run)
"""

import streamlit as st

from budgetperf import store, ui

# The sidebar starts open on a laptop or tablet and closed on a phone ("auto"); the
# active filters are chips at the top of every page either way.
st.set_page_config(page_title="预算绩效评价看板", page_icon=":material/analytics:", layout="wide",
                   initial_sidebar_state="auto")

PAGES = {
    "看板": [
        st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
        st.Page("pages/execution.py", title="预算执行", icon=":material/account_balance_wallet:"),
        st.Page("pages/indicators.py", title="指标完成", icon=":material/checklist:"),
        st.Page("pages/scores.py", title="得分分布", icon=":material/leaderboard:"),
        st.Page("pages/regions.py", title="地区对比", icon=":material/compare_arrows:"),
    ],
    "核查": [
        st.Page("pages/sources.py", title="数据来源", icon=":material/description:"),
        st.Page("pages/audit.py", title="审核", icon=":material/rule:"),
        st.Page("pages/review.py", title="数据校对", icon=":material/fact_check:"),
    ],
    "管理": [
        st.Page("pages/manage.py", title="数据管理", icon=":material/upload_file:"),
        st.Page("pages/trail.py", title="修改记录", icon=":material/history:"),
    ],
}

page = st.navigation(PAGES)
ui.follow_pending_switch()
ui.start_page(page.title)
ui.apply_style()

if not ui.store_exists():
    ui.missing_store_notice()
    st.stop()

try:
    ui.render_filters()
    page.run()
    with st.sidebar:  # after the page ran: the panel offers what it showed
        ui.export_panel()
except ui.StoreMissing:  # deleted while the app runs
    ui.missing_store_notice()
except store.QueryError as exc:  # e.g. a store built by an older schema
    ui.outdated_store_notice(exc)
