"""Chart builders: a go.Figure with the expected traces, a Chinese title and one
source line, bounded size at the seeds' size and at a province's (100×), region
colours only while regions are few, status colours on rates and scores, 未披露
instead of 0/100%, clicks that carry what they open, and empty data handled."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from budgetperf import charts
from budgetperf.storing.store import connect, run_query

TOP = dict(limit=charts.TOP_N)
# builder → (named query, params) whose result it draws
SOURCES = {
    "overview_small_multiples": ("overview/region_year", dict(sort="year", limit=None, offset=0)),
    "region_ranking": ("overview/region_ranking", dict(TOP, top=0)),
    "region_year_heatmap": ("overview/region_year", dict(sort="year", limit=200, offset=0)),
    "budget_vs_executed": ("execution/largest_gaps", TOP),
    "execution_rate": ("execution/lowest_rates", TOP),
    "rate_histogram": ("execution/rate_histogram", {}),
    "spending_plan": ("execution/spending_plan", dict(limit=4)),
    "spending_plan_summary": ("execution/spending_plan_summary", {}),
    "expense_treemap": ("execution/expenses", dict(limit=8)),
    "expense_items": ("execution/expense_items", dict(limit=12)),
    "indicator_heatmap": ("indicators/heatmap_by_project", TOP),
    "indicator_heatmap_by_region": ("indicators/heatmap_by_region", TOP),
    "quantified_rate": ("indicators/quantified", TOP),
    "attainment_mix": ("indicators/attainment_by_project", TOP),
    "attainment_by_level2": ("indicators/attainment_by_level2", {}),
    "score_strip": ("scores/projects", dict(limit=60)),
    "score_histogram": ("scores/histogram", {}),
    "grade_counts": ("scores/grades", dict(by_region=True)),
    "section_rates": ("scores/sections", dict(by_project=True, limit=5)),
    "lost_points": ("scores/lost_points", dict(limit=charts.TOP_N, offset=0)),
    "lost_items": ("scores/lost_items", TOP),
    "region_measures": ("regions/measures", {}),
    "region_pair": ("regions/pair", dict(a="乐亭县", b="三门峡市")),
    "indicator_mix": ("regions/indicator_mix", dict(by_region=True)),
    "region_trend": ("regions/trend", dict(by_region=True)),
    "program_comparison": ("regions/program_links", TOP),
    "findings_by_rule": ("audit/by_rule", {}),
    "findings_by_region": ("audit/by_region", TOP),
}
REGIONS = ["乐亭县", "三门峡市", "丰南区"]
COLORS = charts.region_colors(REGIONS)


def load(db) -> dict[str, pd.DataFrame]:
    con = connect(db)
    try:
        return {name: run_query(query, con=con, **params) for name, (query, params) in SOURCES.items()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def frames(dash_store):
    return load(dash_store)


@pytest.fixture(scope="module")
def province_frames(province_store):
    return load(province_store)


def build(name: str, df: pd.DataFrame) -> go.Figure:
    import inspect

    builder = charts.BUILDERS[name]
    if name == "region_pair":  # the two regions it compares, as the page passes them
        regions = [r for r in df["region"].drop_duplicates()] if not df.empty else ["甲", "乙"]
        return builder(df, *(regions + regions)[:2])
    return builder(df, COLORS) if "colors" in inspect.signature(builder).parameters else builder(df)


def source_text(fig: go.Figure) -> str:
    return next(a.text for a in fig.layout.annotations if a.name == "source")


def test_every_builder_is_covered():
    assert set(SOURCES) == set(charts.BUILDERS)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_builder_draws_the_query_with_chinese_title_and_one_source_line(frames, name):
    df = frames[name]
    fig = build(name, df)
    assert isinstance(fig, go.Figure) and fig.data
    assert re.search(r"[\u4e00-\u9fff]", fig.layout.title.text)
    assert fig.layout.font.family.startswith("Noto Sans CJK SC")
    source = source_text(fig)
    assert source.startswith("来源：") and "<br>" not in source and ".txt" not in source
    assert source == charts.source_line(df)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_builder_stays_bounded_at_a_province(province_frames, name):
    # 400 reports over ~250 regions: no chart grows with the data, and none names
    # more than TOP_N items on an axis
    df = province_frames[name]
    fig = build(name, df)
    assert fig.layout.height <= charts.MAX_HEIGHT
    # margins are a few fixed rows (subtitle lines, the colour key packed for a phone,
    # upright column names), never a function of the data's size
    assert fig.layout.margin.b <= 170 and fig.layout.margin.t <= 230
    for trace in fig.data:
        axis = trace.y if getattr(trace, "orientation", None) == "h" else None
        if axis is not None:
            assert len(set(axis)) <= charts.TOP_N + 10, (name, len(set(axis)))
    assert len(fig.data) <= 12  # no legend of hundreds of entries
    assert "份报告" in source_text(fig) or source_text(fig).count("、") <= 1


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_builder_handles_empty_data(frames, name):
    fig = build(name, frames[name].iloc[0:0])
    assert isinstance(fig, go.Figure) and not fig.data
    assert re.search(r"[\u4e00-\u9fff]", fig.layout.title.text)
    assert any("没有" in a.text for a in fig.layout.annotations)  # says why it is empty


def test_the_source_line_names_a_document_or_counts_them():
    one = pd.DataFrame({"doc_name": ["乐亭县委网信办 2021 部门整体评价"], "file": ["000_c45d5bc83af97699.txt"]})
    assert charts.source_line(one) == "来源：乐亭县委网信办 2021 部门整体评价"
    many = pd.DataFrame({"file": [f"{i}.txt" for i in range(388)]})
    assert charts.source_line(many) == "来源：388 份报告"
    assert charts.source_line(pd.DataFrame({"docs_total": [388, 388]})) == "来源：388 份报告"


def test_region_colours_are_stable_sorted_and_only_for_few_regions():
    assert charts.region_colors(["乐亭县", "三门峡市"]) == charts.region_colors(["三门峡市", "乐亭县", "乐亭县"])
    assert [COLORS[r] for r in sorted(REGIONS)] == list(charts.PALETTE[:3])
    # with more regions than colours, colour stops naming a region
    assert charts.region_colors([f"地区{i}" for i in range(charts.MANY_REGIONS + 1)]) == {}


def test_a_region_keeps_its_colour_on_money_charts(frames):
    only = frames["budget_vs_executed"][frames["budget_vs_executed"]["region"] == "乐亭县"]
    executed = charts.budget_vs_executed(only, COLORS).data[1]
    assert set(executed.marker.color) == {COLORS["乐亭县"]}


def test_rates_are_coloured_by_status_not_region(frames):
    fig = charts.execution_rate(frames["execution_rate"])
    colour_of = {x: trace.marker.color for trace in fig.data for x in trace.x}
    assert colour_of[89.72] == charts.STATUS_COLORS["低于警戒线"]
    assert colour_of[100.0] == charts.STATUS_COLORS["达标"]
    assert {t.name for t in fig.data} == {"低于警戒线", "达标"}
    ranking = charts.region_ranking(frames["region_ranking"])
    colours = dict(zip(ranking.data[0].y, ranking.data[0].marker.color))
    assert colours["1. 三门峡市"] == charts.STATUS_COLORS["低于警戒线"]
    assert colours["2. 乐亭县"] == charts.STATUS_COLORS["达标"]


@pytest.mark.parametrize("rate, status", [(89.72, "低于警戒线"), (90, "达标"), (100, "达标"), (100.5, "超过预算"),
                                          (None, "未披露")])
def test_execution_status(rate, status):
    assert charts.execution_status(rate) == status


@pytest.mark.parametrize("score, band", [(99, "优"), (90, "优"), (89.9, "良"), (60, "中"), (59, "差")])
def test_grade_band(score, band):
    assert charts.grade_band(score) == band


def test_undisclosed_execution_is_labelled_never_zero(frames):
    fig = charts.budget_vs_executed(frames["budget_vs_executed"], COLORS)
    budget, executed = fig.data
    row = list(frames["budget_vs_executed"]["region"]).index("丰南区")
    assert pd.isna(executed.x[row])  # no bar, not a 0 bar
    assert "未披露" in budget.text[row]
    small = charts.overview_small_multiples(frames["overview_small_multiples"], COLORS)
    assert any("未披露" in t for tr in small.data for t in (tr.text or ()))
    ranking = charts.region_ranking(frames["region_ranking"])
    assert "未披露" in ranking.data[0].text


def test_execution_rate_has_reference_lines(frames):
    fig = charts.execution_rate(frames["execution_rate"])
    assert sorted(s.x0 for s in fig.layout.shapes) == [charts.WARNING_RATE_PCT, 100]
    assert "警戒线" in fig.layout.title.subtitle.text


def test_spending_plan_says_actual_not_reported(frames):
    fig = charts.spending_plan(frames["spending_plan"], COLORS)
    assert "尚未报告" in fig.layout.title.subtitle.text
    assert len(fig.data) == 2 and all(t.name.endswith("计划") for t in fig.data)


def test_clicks_carry_region_year_file_project_and_field(frames):
    fig = charts.budget_vs_executed(frames["budget_vs_executed"], COLORS)
    clicks = [list(c) for t in fig.data for c in t.customdata]
    assert ["三门峡市", 2021, "001_4f47e40a9e3722bd.txt", "网络宣传管理和文化建设经费", "executed"] in clicks
    ranking = charts.region_ranking(frames["region_ranking"])
    assert [list(c) for c in ranking.data[0].customdata][0] == ["三门峡市", None, None, None, None]
    heat = charts.region_year_heatmap(frames["region_year_heatmap"])
    assert ["乐亭县", 2021, None, None, None] in [list(c) for row in heat.data[0].customdata for c in row]


def test_a_ranking_folds_the_rest_and_marks_pinned_regions(province_store):
    con = connect(province_store)
    try:
        df = run_query("overview/region_ranking", con=con, limit=5, top=0, pins=["乐亭县"])
    finally:
        con.close()
    fig = charts.region_ranking(df)
    labels = list(fig.data[0].y)
    assert len(labels) == 6 and labels[-1].startswith("★ ") and "乐亭县" in labels[-1]
    assert re.search(r"显示 6 / 共 \d{3} 个地区", fig.layout.title.subtitle.text)
    assert any("另有" in a.text for a in fig.layout.annotations)  # the gap before the pinned region


def test_duplicate_project_names_stay_separate_bars(province_frames):
    # the same project name in one region and year twice must not crash or merge
    df = province_frames["attainment_mix"]
    doubled = pd.concat([df, df.assign(project_id=df["project_id"] + "x")])
    fig = charts.attainment_mix(doubled)
    assert len(set(fig.data[0].y)) == doubled["project_id"].nunique()


def test_set_context_puts_filters_on_the_first_subtitle_line(frames):
    fig = charts.region_ranking(frames["region_ranking"])
    charts.set_context(fig, "2021 年；全部地区")
    assert fig.layout.title.subtitle.text.startswith("2021 年；全部地区")


@pytest.mark.parametrize("value, wan, pct", [
    (1234.5, "1,234.50 万元", "1,234.50%"),
    (89.72, "89.72 万元", "89.72%"),
    (None, "未披露", "未披露"),
    (float("nan"), "未披露", "未披露"),
])
def test_formatting(value, wan, pct):
    assert charts.fmt_wan(value) == wan and charts.fmt_pct(value) == pct


def test_export_frame_keeps_numbers_and_drops_ids(frames):
    out = charts.export_frame(frames["budget_vs_executed"])
    assert "project_id" not in out and "预算（万元）" in out
    assert out["预算（万元）"].dtype.kind == "f"


def test_charts_is_pure():
    # the charts package builds figures from DataFrames only: no streamlit, no SQL,
    # and nothing of budgetperf outside the package but the product's vocabulary
    # (pure data: grade bands, the 警戒线, status words)
    import ast
    from pathlib import Path

    for module in sorted(Path(charts.__file__).parent.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                    for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])}
        roots = {name.split(".")[0] for name in imported}
        assert not roots & {"streamlit", "duckdb"}, module.name
        assert all(name.startswith(("budgetperf.charts", "budgetperf.vocabulary"))
                   for name in imported if name.startswith("budgetperf")), module.name


@pytest.mark.parametrize("column, title", [
    ("budget_wan", "预算（万元）"), ("execution_rate_pct", "执行率（%）"), ("total_score", "总得分（分）"),
    ("year", "年度"),
])
def test_axis_titles_come_from_the_label_mapping(column, title):
    assert charts.axis_title(column) == title


# ---------------------------------------------------------------------------
# text from a report is text (issue 19, item 5): no tag of a name reaches a chart

HOSTILE = '<a href="http://evil.test/">点我</a><img src="http://evil.test/x.png">![图](http://evil.test/y.png)'
# columns that hold a report's or a user's words (not our codes and ids)
REPORT_TEXT = {"amount_raw", "doc_name", "earlier_doc_name", "earlier_file", "earlier_project_name", "earlier_region",
               "earlier_unit", "example_doc_name", "example_file", "example_message", "example_project",
               "example_region", "file", "grade_as_written", "item", "level1", "level2", "lost_item", "lost_project",
               "low_project", "low_project_file", "project_name", "region", "section", "snippet", "unit"}


def hostile(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with every report-text value prefixed by markup that would link or fetch."""
    return df.assign(**{c: [HOSTILE + v if isinstance(v, str) else v for v in df[c]]
                        for c in df.columns if c in REPORT_TEXT})


def shown_text(fig: go.Figure) -> str:
    """Everything of a figure Plotly renders as text (click data and export tables are not shown)."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("customdata", "meta")}
        if isinstance(value, (list, tuple)):
            return [strip(v) for v in value]
        return value
    import json

    return json.dumps(strip(fig.to_plotly_json()), ensure_ascii=False, default=str)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_report_text_in_a_chart_stays_text(frames, name):
    fig = build(name, hostile(frames[name]))
    charts.set_context(fig, "2021 年；地区：" + HOSTILE)
    text = shown_text(fig)
    assert "<a " not in text and "<img" not in text, name
    if any(c in REPORT_TEXT for c in frames[name].columns) and not frames[name].empty:
        assert "&lt;a href" in text or "&lt;img" in text, name  # the name is shown, as text


@pytest.mark.parametrize("value, md, svg", [
    ("![图](http://h/x.png)", "\\!\\[图\\]\\(http\\:\u2060\\/\\/h\\/x\\.png\\)", "![图](http://h/x.png)"),
    ("见 www.h.cn 或 a@b.cn", "见 www\u2060\\.h\\.cn 或 a\u2060\\@b\\.cn", "见 www.h.cn 或 a@b.cn"),
    ("<b>粗</b> & 1. 项", r"\<b\>粗\<\/b\> \& 1\. 项", "&lt;b&gt;粗&lt;/b&gt; &amp; 1. 项"),
    (":red[红] $x$ **强**", r"\:red\[红\] \$x\$ \*\*强\*\*", ":red[红] $x$ **强**"),
    ("普通项目（2021）", "普通项目（2021）", "普通项目（2021）"),
    (None, "", ""),
])
def test_one_escape_per_way_of_showing_text(value, md, svg):
    from budgetperf.charts import safe

    assert safe.md(value) == md and safe.svg(value) == svg
    assert safe.plain(safe.svg(value)) == ("" if value is None else str(value))


# ---------------------------------------------------------------------------
# colour means one thing per chart (issue 21): status colours only for status,
# with a key; regions in a neutral palette; graded heatmaps with a scale

def _hue_sat(color: str) -> tuple[float, float]:
    import colorsys

    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    h, _l, s = colorsys.rgb_to_hls(r, g, b)
    return h * 360, s


STATUS_HUES = {_hue_sat(c)[0] for c in (*charts.STATUS_COLORS.values(), *charts.GRADE_COLORS.values())
               if _hue_sat(c)[1] > 0.25}


def test_region_colours_never_look_like_a_status():
    # a region at 100% executed must not be drawn red, nor a treemap orange
    for color in charts.PALETTE:
        hue, saturation = _hue_sat(color)
        assert saturation > 0.15, color  # grey means 未披露
        assert min(min(abs(hue - s), 360 - abs(hue - s)) for s in STATUS_HUES) >= 35, color


def _status_colours() -> set[str]:
    return {c.upper() for c in (*charts.STATUS_COLORS.values(), *charts.GRADE_COLORS.values())}


def _marker_colours(fig: go.Figure) -> set[str]:
    out = set()
    for trace in fig.data:
        marker = getattr(trace, "marker", None)
        color = getattr(marker, "color", None) if marker is not None else None
        if color is None and getattr(trace, "line", None) is not None:
            color = trace.line.color
        values = [color] if isinstance(color, str) else list(color or [])
        out |= {str(c).upper() for c in values if isinstance(c, str)}
    return out


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_status_colours_come_with_a_key(frames, name):
    fig = build(name, frames[name])
    used = _marker_colours(fig) & _status_colours()
    if not used:
        return
    subtitle = fig.layout.title.subtitle.text or ""
    words = (*charts.STATUS_COLORS, *charts.GRADE_COLORS, *charts.ATTAINMENT_COLORS, *charts.SEVERITY_COLORS, "警戒线")
    named = [w for w in words if w in subtitle]
    assert named or fig.layout.showlegend, (name, used)


def test_one_panel_colours_by_status_and_the_next_by_region_no_more(frames):
    fig = charts.region_measures(frames["region_measures"], COLORS)
    meanings = set()
    for trace in fig.data:
        color = trace.marker.color if trace.marker.color is not None else trace.line.color
        colours = {str(c).upper() for c in (color if not isinstance(color, str) else [color])}
        meanings.add("status" if colours <= _status_colours() else "region")
    assert len(meanings) == 1, meanings


def _scale_colour(trace, value: float) -> str:
    """The colour a heatmap draws `value` in (its colour scale at that point)."""
    from plotly.colors import find_intermediate_color, hex_to_rgb, unlabel_rgb

    scale = trace.colorscale
    t = min(1.0, max(0.0, (value - trace.zmin) / (trace.zmax - trace.zmin)))
    for (p0, c0), (p1, c1) in zip(scale, scale[1:]):
        if p0 <= t <= p1:
            def rgb(c):
                return hex_to_rgb(c) if c.startswith("#") else unlabel_rgb(c)
            if p1 == p0:
                return str(rgb(c1))
            return str(find_intermediate_color(rgb(c0), rgb(c1), (t - p0) / (p1 - p0)))
    raise AssertionError(t)


def test_the_heatmap_grades_its_colours_and_shows_the_scale():
    # 32.70% and 89.83% were the same red: graded, and a colour bar says what they mean
    df = pd.DataFrame({"region": ["甲", "乙", "丙"], "year": [2021, 2021, 2021],
                       "execution_rate_pct": [32.70, 89.83, 100.0]})
    heat = charts.region_year_heatmap(df).data[0]
    assert _scale_colour(heat, 32.70) != _scale_colour(heat, 89.83)
    assert _scale_colour(heat, 89.83) != _scale_colour(heat, 100.0)
    assert heat.showscale and any("警戒线" in str(t) for t in heat.colorbar.ticktext)


def test_the_score_histogram_keeps_empty_scores_on_its_axis():
    df = pd.DataFrame({"band_start": [74, 77, 78, 80], "projects": [3, 1, 2, 5], "docs_total": [9] * 4})
    fig = charts.score_histogram(df)
    labels = [str(x) for x in fig.data[0].x]
    assert labels == [str(b) for b in range(74, 81)]  # 75, 76 and 79 are there, with nothing in them


def test_a_chart_with_data_names_its_source(province_store, province_frames):
    # 「来源：无」 under a chart summarising 114 projects (the sections summed over all)
    con = connect(province_store)
    try:
        summed = run_query("scores/sections", con=con, by_project=False, limit=5)
    finally:
        con.close()
    assert not summed.empty and re.fullmatch(r"来源：[\d,]+ 份报告", source_text(charts.section_rates(summed)))
    for name, df in province_frames.items():
        if not df.empty:
            assert source_text(build(name, df)) != "来源：无", name


@pytest.mark.parametrize("passage, expected", [
    (None, None),
    ({"text": "  ", "kind_zh": "原因"}, None),
    ({"text": "资金\n到位晚。", "kind_zh": "原因"}, "报告所述（原因）：资金 到位晚。"),
    ({"text": "甲" * 100, "kind_zh": "存在的问题"}, "报告所述（存在的问题）：" + "甲" * 80 + "……"),
    ({"text": "一是资金，" + "乙" * 74 + "，二是", "kind_zh": "存在的问题"},
     "报告所述（存在的问题）：一是资金，" + "乙" * 74 + "……"),  # cut at a clause, not after its comma
])
def test_why_excerpt_is_short_and_as_written(passage, expected):
    from budgetperf.charts import briefing

    assert briefing.why_excerpt(passage) == expected


def test_why_note_gives_the_whole_passage_and_its_lines():
    from budgetperf.charts import briefing

    row = {"text": "甲" * 100, "kind_zh": "原因", "line_start": 80, "line_end": 81}
    assert briefing.why_note("某市", row) == "某市：报告所述（原因）：" + "甲" * 100 + "（第 80–81 行）"
    assert briefing.why_note("某市", {**row, "line_end": 80}).endswith("（第 80 行）")
    assert briefing.why_note("某市", {**row, "line_start": None}).endswith("甲")
    assert briefing.why_note("某市", None) is None
