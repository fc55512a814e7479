"""The dashboard's entrypoint: page config, shared sidebar filters, navigation.

A router and frame only (STYLE.md §1): every page lives in pages/*.py, all logic in
budgetperf/. Filters are drawn here, once per run, so their state survives page
switches; they are bound to the URL, so a link reproduces the view.

    streamlit run app.py      (or: make run)
"""

import logging

import streamlit as st

from budgetperf.app import (
    export_panel,
    frame,
    navigation,
    registry,
    sidebar,
    store_cache,
)
from budgetperf.storing import store

# The sidebar starts open on a laptop or tablet and closed on a phone ("auto"); the
# active filters are chips at the top of every page either way. The icon is an
# emoji (drawn from a data: URL): a :material/…: page icon is fetched from
# fonts.gstatic.com, and an intranet has no internet (issue 19, item 10).
st.set_page_config(page_title="预算绩效评价看板", page_icon="📊", layout="wide", initial_sidebar_state="auto")

# One registry (budgetperf/app/registry.py) lists the pages for the sidebar, the
# links between pages and the export command.
PAGES = {section: [st.Page(p.path, title=p.title, icon=p.icon, default=p.is_default) for p in specs]
         for section, specs in registry.sections().items()}

page = st.navigation(PAGES)
navigation.follow_pending_switch()
frame.start_page(page.title)
frame.apply_style()

if not store_cache.store_exists():
    store_cache.missing_store_notice()
    st.stop()

try:
    sidebar.render_filters()
    page.run()
    with st.sidebar:  # after the page ran: the panel offers what it showed
        export_panel.export_panel()
except store_cache.StoreMissing:  # deleted while the app runs
    store_cache.missing_store_notice()
except store.QueryError as exc:  # a store built by an older version, or a fault of the program
    store_cache.query_error_notice(exc)
except Exception:  # a fault of the program: said in Chinese, the details in the server's log only
    logging.getLogger("budgetperf.app").exception("page %s failed", page.title)
    store_cache.program_error_notice()
