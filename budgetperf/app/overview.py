"""The 总览 page's widgets: the headline with why the lowest region is lowest, KPI
cards from the briefing, and the 需要关注 lists with buttons to filter and to open
the source line. The words come from `charts.briefing` (pure).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import pandas as pd
import streamlit as st

from budgetperf import charts
from budgetperf.app import passages, registry
from budgetperf.app.display import Kpi, kpi_cards
from budgetperf.app.frame import record_headline, record_notes
from budgetperf.app.navigation import apply_click, source_button
from budgetperf.charts import briefing, safe


def briefing_cards(cards) -> None:
    """Show `briefing.Card`s as KPI cards, their links to the page that explains them."""
    kpi_cards([Kpi(c.label, c.value, c.help, c.change, c.status,
                   (registry.path_of(c.link[0]), c.link[1]) if c.link else None) for c in cards])


class Attention(NamedTuple):
    """One line of a 需要关注 list: what, its figure and status, why, and where to look."""

    title: str
    value: str
    status: tuple[str, str] | None
    reason: str
    region: str | None = None          # a button filters the pages to it
    year: int | None = None
    source: tuple[str, str, str | None] | None = None  # (file, project, field): opens its line
    why: dict | None = None  # the report's own explanation (`sources/why_passages` row)


def region_attention(ranking: pd.DataFrame, why: dict[str, dict] | None = None) -> list[Attention]:
    """需要关注 lines for the lowest-ranked regions (`overview/region_ranking` rows),
    with the explanation `why` holds for the region's lowest-rate project."""
    why = why or {}
    items = []
    for row in ranking.to_dict("records"):
        row = pd.Series(row)
        source = ((row.low_project_file, row.low_project, "execution_rate")
                  if isinstance(row.get("low_project"), str) else None)
        items.append(Attention(charts.region_label(row.region), charts.fmt_pct(row.execution_rate_pct),
                               briefing.rate_status(row.execution_rate_pct), briefing.region_reason(row),
                               region=row.region, source=source, why=why.get(row.get("low_project_id"))))
    return items


def score_attention(low: pd.DataFrame, why: dict[str, dict] | None = None) -> list[Attention]:
    """需要关注 lines for the lowest-scoring projects (`overview/low_scores` rows),
    with the project's explanation from `why`."""
    why = why or {}
    items = []
    for row in low.to_dict("records"):
        row = pd.Series(row)
        field = f"line:{int(row.lost_line_start)}" if not pd.isna(row.lost_line_start) else "total_score"
        items.append(Attention(briefing.project_title(row), f"{charts.fmt_number(row.total_score)} 分",
                               briefing.score_status(row.total_score / (row.total_weight or 100) * 100),
                               briefing.score_reason(row), region=row.region, source=(row.file, row.project_name, field),
                               why=why.get(row.get("project_id"))))
    return items


def attention(ranking: pd.DataFrame, low: pd.DataFrame) -> tuple[list[Attention], list[Attention]]:
    """The two 需要关注 lists (regions by rate, projects by score), each line with its
    report's explanation; those explanations, in full, go to the headline slide's
    notes."""
    ids = [*(ranking["low_project_id"] if "low_project_id" in ranking else []), *low.get("project_id", [])]
    why = passages.why_passages(ids)
    regions, projects = region_attention(ranking, why), score_attention(low, why)
    noted: dict[tuple, list[str]] = {}  # one passage explains a region and its project: said once, for both
    for item in regions + projects:
        if item.why is not None:
            noted.setdefault((item.why["file"], item.why["line_start"], item.why["text"]), [item.why, []])[1].append(
                item.title)
    record_notes([n for passage, titles in noted.values() if (n := briefing.why_note("、".join(titles), passage))])
    return regions, projects


def headline(sentence: str, lowest: pd.Series | None) -> None:
    """The briefing's sentence, large, and under it why the lowest region is lowest,
    with buttons to filter to it and to open the line its figure came from."""
    st.markdown(f"### {safe.md(sentence)}")
    record_headline(sentence)
    if lowest is None or charts.is_missing(lowest.get("execution_rate_pct")):
        return
    with st.container(horizontal=True, wrap=True, vertical_alignment="center", gap="small", key="headline.why"):
        st.caption(safe.md(f"{charts.region_label(lowest.region)}：{briefing.region_reason(lowest)}"))
        st.button(f"筛选到{safe.md(lowest.region)}", key="headline.filter", type="tertiary",
                  on_click=apply_click, args=([lowest.region, None, None, None, None],))
        if isinstance(lowest.get("low_project"), str):
            source_button("查看原文", lowest.low_project_file, lowest.low_project, "execution_rate", key="headline.source")


def attention_list(heading: str, items: Sequence[Attention], key: str, empty: str) -> None:
    """A short ranked list with, per line, the figure, its status, the reason and
    buttons to filter to the region and to open the source line."""
    st.markdown(f"**{safe.md(heading)}**")
    if not items:
        st.caption(empty)
        return
    for i, item in enumerate(items):
        with st.container(border=True, key=f"{key}_item_{i}", gap="xsmall"):
            with st.container(horizontal=True, wrap=True, vertical_alignment="center", gap="small"):
                st.markdown(f"**{i + 1}\\. {safe.md(item.title)}**　{safe.md(item.value)}")
                if item.status:
                    st.badge(item.status[0], color=item.status[1])
            with st.container(horizontal=True, wrap=True, vertical_alignment="center", gap="small"):
                st.caption(safe.md(item.reason))
                if item.region:
                    st.button(f"筛选到{safe.md(item.region)}", key=f"{key}.{i}.filter", type="tertiary",
                              on_click=apply_click,
                              args=([item.region, item.year, None, None, None],))
                if item.source:
                    source_button("查看原文", *item.source, key=f"{key}.{i}.source")
            passages.why_line(item.why, key=f"{key}.{i}.why")

