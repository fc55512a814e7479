"""A page run without a browser: app.py under Streamlit's AppTest with the filters
given, and the charts the page recorded for export. The export command and the
benchmark use it, so a meeting pack from the shell holds exactly what the page shows.
"""

from __future__ import annotations

import logging

import streamlit as st
from streamlit import logger
from streamlit.testing.v1 import AppTest

from budgetperf import charts, settings
from budgetperf.app import registry
from budgetperf.errors import UserError
from budgetperf.export import packs

APP = settings.ROOT / "app.py"


class PageRunError(UserError):
    """The page could not be run or exported (unknown page, page error)."""


def quiet_streamlit() -> None:
    """Keep Streamlit's runtime chatter ("missing ScriptRunContext", bare-mode notes)
    out of the CLI: the page runs headless on purpose. Errors still show."""
    logger.set_log_level("error")
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def resolve_page(name: str) -> registry.PageSpec:
    """An exportable page by key or Chinese title: execution / 预算执行."""
    spec = registry.find(name)
    if spec is None or not spec.is_exportable:
        known = ", ".join(f"{p.key} ({p.title})" for p in registry.exportable())
        raise PageRunError(f"no page {name!r}; pages: {known}", f"没有页面「{name}」；可用的页面：{known}")
    return spec


def collect_page_charts(page: str, years: list[int] | None,
                        regions: list[str] | None) -> tuple[str, list[packs.ChartExport]]:
    """Run the page headless with these filters; return its title and charts."""
    title, charts_, _summary = collect_page(page, years, regions)
    return title, charts_


def collect_page(page: str, years: list[int] | None,
                 regions: list[str] | None) -> tuple[str, list[packs.ChartExport], packs.Summary | None]:
    """Run the page headless with these filters; return its title, its charts and
    its headline and key figures (the deck's headline slide)."""
    quiet_streamlit()
    spec = resolve_page(page)
    at = AppTest.from_file(str(APP), default_timeout=120)
    if years:
        at.query_params["years"] = [str(y) for y in years]
    if regions:
        at.query_params["regions"] = list(regions)
    at.switch_page(spec.path)
    at.run()
    if at.exception:
        message = at.exception[0].message
        raise PageRunError(f"page {spec.key} failed: {message}", f"页面「{spec.title}」运行出错：{message}")
    problems = [e.value for e in at.error]
    if problems:
        raise PageRunError(f"page {spec.key} shows an error: {problems[0]}",
                           f"页面「{spec.title}」显示错误：{problems[0]}")
    items = at.session_state[registry.EXPORTS_KEY] if registry.EXPORTS_KEY in at.session_state else []
    recorded = at.session_state[registry.SUMMARY_KEY] if registry.SUMMARY_KEY in at.session_state else {}
    summary = (packs.Summary(recorded.get("headline") or spec.title, tuple(recorded.get("figures") or ()),
                             tuple(recorded.get("notes") or ()))
               if recorded and (recorded.get("headline") or recorded.get("figures")) else None)
    return spec.title, packs.chart_exports(items, charts.LABELS, charts.source_line), summary


def fresh_page(page_path: str, timeout: float) -> AppTest:
    """An AppTest of app.py switched to `page_path`, with every cache of this process
    cleared (a first run then costs what a newly started server's does)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.switch_page(page_path)
    return at
