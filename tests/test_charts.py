"""Chart builders: a go.Figure with the expected traces, a Chinese title and source
line, stable region colours, 未披露 instead of 0/100%, and empty data handled."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from budgetperf import charts
from budgetperf.store import connect, run_query

# builder → the named query whose result it draws
SOURCES = {
    "overview_small_multiples": "overview/region_year",
    "budget_vs_executed": "execution/projects",
    "execution_rate": "execution/projects",
    "spending_plan": "execution/spending_plan",
    "expense_treemap": "execution/expenses",
    "indicator_heatmap": "indicators/heatmap",
    "quantified_rate": "indicators/quantified",
    "attainment_mix": "indicators/attainment",
    "score_strip": "scores/projects",
    "grade_counts": "scores/grades",
    "section_rates": "scores/sections",
    "lost_points": "scores/lost_points",
    "region_measures": "regions/measures",
    "indicator_mix": "regions/indicator_mix",
    "region_trend": "regions/trend",
    "program_comparison": "regions/program_links",
    "findings_by_severity": "audit/counts",
}
REGIONS = ["乐亭县", "三门峡市", "丰南区"]
COLORS = charts.region_colors(REGIONS)


@pytest.fixture(scope="module")
def frames(dash_store):
    con = connect(dash_store)
    try:
        yield {name: run_query(query, con=con) for name, query in SOURCES.items()}
    finally:
        con.close()


def build(name: str, df: pd.DataFrame) -> go.Figure:
    builder = charts.BUILDERS[name]
    return builder(df, COLORS) if "colors" in builder.__code__.co_varnames else builder(df)


def source_text(fig: go.Figure) -> str:
    return next(a.text for a in fig.layout.annotations if a.text.startswith("数据来源："))


def test_every_builder_is_covered():
    assert set(SOURCES) == set(charts.BUILDERS)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_builder_draws_the_query_with_chinese_title_and_sources(frames, name):
    df = frames[name]
    fig = build(name, df)
    assert isinstance(fig, go.Figure) and fig.data
    assert re.search(r"[\u4e00-\u9fff]", fig.layout.title.text)
    assert fig.layout.font.family.startswith("Noto Sans CJK SC")
    files = charts.source_files(df)
    assert files and all(f in source_text(fig) for f in files)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_builder_handles_empty_data(frames, name):
    fig = build(name, frames[name].iloc[0:0])
    assert isinstance(fig, go.Figure) and not fig.data
    assert re.search(r"[\u4e00-\u9fff]", fig.layout.title.text)
    assert any("没有" in a.text for a in fig.layout.annotations)  # says why it is empty


def test_region_colours_are_stable_and_sorted():
    assert charts.region_colors(["乐亭县", "三门峡市"]) == charts.region_colors(["三门峡市", "乐亭县", "乐亭县"])
    ordered = sorted(REGIONS)
    assert [COLORS[r] for r in ordered] == list(charts.PALETTE[:3])


def _region_colour_of(trace) -> str | None:
    color = trace.marker.color if trace.marker else None
    return color if isinstance(color, str) and color.startswith("#") else None


def test_a_region_has_the_same_colour_on_every_chart(frames):
    seen: dict[str, set[str]] = {}
    for name in ("budget_vs_executed", "execution_rate", "score_strip", "quantified_rate", "grade_counts",
                 "section_rates", "lost_points", "region_measures"):
        for trace in build(name, frames[name]).data:
            color = _region_colour_of(trace)
            region = next((r for r in REGIONS if trace.name and trace.name.startswith(r)), None)
            if color and region:
                seen.setdefault(region, set()).add(color)
    assert seen and all(colors == {COLORS[r]} for r, colors in seen.items())
    # a filtered chart keeps the store-wide colour (乐亭县 is not first of its own subset)
    only = frames["execution_rate"][frames["execution_rate"]["region"] == "乐亭县"]
    assert charts.execution_rate(only, COLORS).data[0].marker.color == COLORS["乐亭县"]


def test_undisclosed_execution_is_labelled_never_zero(frames):
    df = frames["budget_vs_executed"]
    fig = charts.budget_vs_executed(df, COLORS)
    executed = [t for t in fig.data if t.name == "丰南区 执行"][0]
    assert all(pd.isna(x) for x in executed.x)  # no bar, not a 0 bar
    budget = [t for t in fig.data if t.name == "丰南区 预算"][0]
    assert "未披露" in budget.text[0]
    rate = charts.execution_rate(df, COLORS)
    texts = [t for tr in rate.data for t in (tr.text or ())]
    assert any("未披露" in t for t in texts) and "89.72%" in texts
    small = charts.overview_small_multiples(frames["overview_small_multiples"], COLORS)
    assert any("未披露" in t for tr in small.data for t in (tr.text or ()))


def test_execution_rate_has_reference_lines(frames):
    fig = charts.execution_rate(frames["execution_rate"], COLORS)
    assert sorted(s.x0 for s in fig.layout.shapes) == [charts.WARNING_RATE_PCT, 100]
    assert any("警戒线" in a.text for a in fig.layout.annotations)


def test_spending_plan_says_actual_not_reported(frames):
    fig = charts.spending_plan(frames["spending_plan"], COLORS)
    assert "尚未报告" in fig.layout.title.text
    assert len(fig.data) == 2 and all(t.name.endswith("计划") for t in fig.data)


def test_clickable_bars_carry_file_and_project(frames):
    fig = charts.budget_vs_executed(frames["budget_vs_executed"], COLORS)
    assert ["001_4f47e40a9e3722bd.txt", "网络宣传管理和文化建设经费"] in [list(c) for t in fig.data for c in t.customdata]


@pytest.mark.parametrize("value, wan, pct", [
    (1234.5, "1,234.50 万元", "1,234.50%"),
    (89.72, "89.72 万元", "89.72%"),
    (None, "未披露", "未披露"),
    (float("nan"), "未披露", "未披露"),
])
def test_formatting(value, wan, pct):
    assert charts.fmt_wan(value) == wan and charts.fmt_pct(value) == pct


def test_format_table_uses_chinese_headers_and_units(frames):
    table = charts.format_table(frames["execution_rate"], ["region", "budget_wan", "execution_rate_pct"])
    assert list(table.columns) == ["地区", "预算（万元）", "执行率"]
    assert "110.00 万元" in table["预算（万元）"].tolist() and "未披露" in table["执行率"].tolist()


def test_export_frame_keeps_numbers_and_drops_ids(frames):
    out = charts.export_frame(frames["budget_vs_executed"])
    assert "project_id" not in out and "预算（万元）" in out
    assert out["预算（万元）"].dtype.kind == "f"


def test_charts_is_pure():
    # the charts package builds figures from DataFrames only: no streamlit, no SQL,
    # and nothing of budgetperf outside the package
    import ast
    from pathlib import Path

    for module in sorted(Path(charts.__file__).parent.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                    for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])}
        roots = {name.split(".")[0] for name in imported}
        assert not roots & {"streamlit", "duckdb"}, module.name
        assert all(name.startswith("budgetperf.charts") for name in imported if name.startswith("budgetperf")), module.name


@pytest.mark.parametrize("column, title", [
    ("budget_wan", "预算（万元）"), ("execution_rate_pct", "执行率（%）"), ("total_score", "总得分（分）"),
    ("year", "年度"),
])
def test_axis_titles_come_from_the_label_mapping(column, title):
    assert charts.axis_title(column) == title
