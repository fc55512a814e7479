"""Moving between pages: buttons and chart clicks that set filters or open a value's
source line on 数据来源, applied at the start of the next run (`follow_pending_switch`),
and the URL keys of the 数据来源 detail view (?doc=…&project=…&field=…).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from budgetperf.app import filter_specs, registry
from budgetperf.charts import safe

# Keys of the sources page's detail view; also its URL params (?doc=…&project=…).
# The 数据校对 page's item (a project_id, or a doc_id for a document's own issues):
# its session key, and its URL param so a link opens it.
REVIEW_ITEM_KEY = "review.item"
REVIEW_ITEM_PARAM = "item"
DOC_KEY = "doc"


PROJECT_KEY = "project"


_GOTO_KEY = "ui.goto"


FIELD_PARAM = "field"


_CLICK_KEY = "ui.click"


def on_chart_select(key: str) -> None:
    # An on_select callback: keep the first clicked point's customdata; app.py
    # applies it at the start of the next run (`follow_pending_switch`), before the
    # sidebar filters are drawn, so it may write their keys (the bound URL follows).
    state = st.session_state.get(key)
    points = state.selection.points if state and state.selection else []
    for point in points:
        custom = point.get("customdata")
        if isinstance(custom, (list, tuple)) and custom:
            st.session_state[_CLICK_KEY] = list(custom)
            return


def apply_click(custom: Sequence) -> None:
    """What a click on a chart point does, from its customdata [region, year, file,
    project, field]: open the project's source line, or filter to the region (and
    year)."""
    region, year, file, project, field = (list(custom) + [None] * 5)[:5]
    if file and project:
        _open_source(str(file), str(project), field)
    else:
        if region and region != "全部地区":
            st.session_state["regions"] = [str(region)]
        if year is not None and not pd.isna(year):
            st.session_state["years"] = [int(year)]


def switch_page(page: str, query_params: dict | None = None) -> None:
    """st.switch_page that keeps working while filters are bound to the URL.

    With ``query_params=None`` Streamlit clears the URL through a check that
    raises when any param is bound to a widget (every active filter is); a
    mapping replaces the URL without that check (its own keys must not be bound
    on the current page), and the bound filters write their values back on the
    next run, so they survive the switch.
    """
    st.switch_page(page, query_params=query_params or {})


def _go_to(page: str, values: dict, url: dict | None = None) -> None:
    # A click callback: runs before the next run draws any widget, so it may write
    # the sidebar filters' keys; the switch itself happens in app.py.
    for key, value in values.items():
        st.session_state[key] = value
    st.session_state[_GOTO_KEY] = (page, url or {})


def _open_source(file: str, project: str | None, field: str | None = None) -> None:
    # The detail widgets live on the sources page, so their keys are not drawn in
    # this run and may be written here. A bound widget does not copy a value set
    # in the run that switched pages into the URL, so the URL is given as well.
    url = {DOC_KEY: file, **({PROJECT_KEY: project} if project else {}), **({FIELD_PARAM: field} if field else {})}
    _go_to(registry.path_of("sources"), {DOC_KEY: file, PROJECT_KEY: project}, url)


def open_project(file: str, project: str, field: str | None = None) -> None:
    """Switch to the 数据来源 page showing `project` of document `file` (at the line
    of `field`, a provenance field or ``line:N``)."""
    _open_source(file, project, field)
    follow_pending_switch()


def nav_button(label: str, page: str, state: dict, key: str, *, url: dict | None = None) -> None:
    """A button that sets session state (e.g. filters) and then opens `page`; its
    label may hold a project's or region's name: shown as text."""
    st.button(safe.md(label), key=key, on_click=_go_to, args=(page, state, url))


def source_button(label: str, file: str, project: str | None, field: str | None, key: str) -> None:
    """A button that opens 数据来源 at `file`'s `project` (at the line of `field`)."""
    st.button(safe.md(label), key=key, on_click=_open_source, args=(file, project, field), type="tertiary",
              icon=":material/description:")


def follow_pending_switch() -> None:
    """Apply a chart click (filters) and open the page a click asked for (app.py
    calls this after st.navigation, before the filters are drawn).

    Switching here rather than where the button is drawn keeps the switch when the
    run that handles the click is restarted before reaching the button.
    """
    click = st.session_state.pop(_CLICK_KEY, None)
    if click:
        apply_click(click)
    pending = st.session_state.pop(_GOTO_KEY, None)
    if pending:
        page, url = pending if isinstance(pending, tuple) else (pending, {})
        switch_page(page, url)


def filter_state_for(region: str | None, year: int | None, project: str | None) -> dict:
    """Sidebar filter values that select one project (for nav_button)."""
    return {
        **{k: [] for k in filter_specs.FILTER_KEYS},
        "regions": [region] if region else [],
        "years": [int(year)] if year is not None and not pd.isna(year) else [],
        "projects": [project] if project else [],
    }

