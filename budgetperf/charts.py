"""Chart builders: pure ``DataFrame -> go.Figure`` functions, one per chart.

Owns how the dashboard looks: the one region→colour mapping, Chinese labels for
columns (`LABELS`), 万元 and % formatting, the Chinese title drawn into each figure
and the "数据来源：…" line naming the files behind it. Must not import streamlit
or run SQL: builders take the DataFrame a named query returned (columns named
with their unit, e.g. ``budget_wan``, ``execution_rate_pct``) and nothing else, so
they are unit-tested without a server. `budgetperf.ui.show_chart` displays them.

A figure whose data is missing says so in the figure (`empty_figure`); an amount a
report does not disclose is drawn as the words 未披露, never as 0 or 100%.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

# CJK-capable fonts first: the browser and the PNG export pick the first installed
# one; without a CJK font Chinese renders as boxes (fonts-noto-cjk on Debian).
FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"

# Tableau 10: distinguishable, colour-blind friendly. Regions get colours in sorted
# name order (see `region_colors`); more than 10 regions repeat the palette.
PALETTE = (
    "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F",
    "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC",
)
BUDGET_OPACITY = 0.38  # budget bars: the region colour, light; executed: solid
UNDISCLOSED = "未披露"
GRID_COLOR = "#E4E9F0"
WARNING_RATE_PCT = 90.0  # execution-rate 警戒线 drawn on the execution chart

SEVERITY_COLORS = {"错误": "#C62828", "警告": "#EF8F00", "提示": "#4E79A7"}
SEVERITY_ORDER = ("错误", "警告", "提示")
ATTAINMENT_COLORS = {
    "超额完成": "#2E7D32", "完成": "#81C784", "未完成": "#C62828", "定性": "#B0BEC5", "未评价": "#E0E0E0",
}
GRADE_ORDER = ("优", "良", "中", "差")
LEVEL1_COLORS = {"产出指标": "#4E79A7", "效益指标": "#59A14F", "满意度指标": "#F28E2B"}

# Chinese labels for query columns: axis titles, hover and table headers.
LABELS: dict[str, str] = {
    "region": "地区",
    "level_zh": "层级",
    "year": "年度",
    "region_year": "地区 年度",
    "unit": "单位/部门",
    "file": "文件",
    "files": "来源文件",
    "fmt": "格式",
    "encoding": "编码",
    "doc_type_zh": "文档类型",
    "doc_kinds": "文档类别",
    "project_name": "项目",
    "kind": "类型",
    "code": "项目编码",
    "budget_wan": "预算（万元）",
    "executed_wan": "执行（万元）",
    "execution_rate_pct": "执行率",
    "is_execution_disclosed": "披露执行数",
    "avg_score": "平均得分",
    "total_score": "总得分",
    "total_weight": "总分值",
    "score_rate_pct": "得分率",
    "grade": "等级",
    "grade_as_written": "原文等级",
    "projects": "项目数",
    "projects_undisclosed": "未披露执行数的项目",
    "checks": "审核发现",
    "errors": "错误",
    "warnings": "警告",
    "indicators": "指标数",
    "quantified": "有数值目标的指标",
    "quantified_pct": "量化率",
    "level1": "一级指标",
    "level2": "二级指标",
    "indicator_name": "指标",
    "target_raw": "目标值",
    "actual_raw": "实际值",
    "weight": "权重",
    "score": "得分",
    "attainment_zh": "完成情况",
    "target_is_numeric": "数值目标",
    "deviation_reason": "偏差原因",
    "section": "评价部分",
    "max_score": "分值",
    "lost_points": "失分",
    "item_kind": "失分来源",
    "item": "条目",
    "amount_wan": "金额（万元）",
    "amount_raw": "原文金额",
    "by_date": "计划时点",
    "planned_share_pct": "计划累计支出进度",
    "planned_cum_wan": "计划累计支出（万元）",
    "actual_share_pct": "实际累计支出进度",
    "share_pct": "占比",
    "level1_share_pct": "一级指标占比",
    "year_evidence": "年度依据",
    "year_is_explicit": "年度明确写出",
    "year_line": "年度所在行",
    "line_count": "行数",
    "line_start": "起始行",
    "line_end": "结束行",
    "snippet": "原文摘录",
    "field": "字段",
    "value_text": "原文写法",
    "entity": "对象",
    "severity_zh": "严重程度",
    "message_zh": "审核意见",
    "findings": "发现数",
    "earlier_year": "较早年度",
    "earlier_project_name": "较早年度项目",
    "earlier_budget_wan": "较早年度预算（万元）",
    "earlier_executed_wan": "较早年度执行（万元）",
    "earlier_execution_rate_pct": "较早年度执行率",
    "earlier_total_score": "较早年度得分",
    "earlier_indicator": "较早年度指标",
    "earlier_target_raw": "较早年度目标值",
    "earlier_actual_raw": "较早年度实际值",
    "earlier_attainment_zh": "较早年度完成情况",
    "later_year": "目标年度",
    "later_indicator": "目标年度指标",
    "later_target_raw": "目标年度目标值",
    "similarity": "名称相似度",
    "line_no": "行号",
    "text": "原文",
}

# Units shown after a label on an axis (the label itself comes from LABELS).
AXIS_UNITS = {"_pct": "%", "total_score": "分", "lost_points": "分", "projects": "个", "indicators": "个",
              "findings": "条"}


def axis_title(column: str) -> str:
    """An axis title for a query column: its LABELS entry plus its unit, e.g.
    ``execution_rate_pct`` → "执行率（%）", ``budget_wan`` → "预算（万元）"."""
    label = LABELS.get(column, column)
    unit = AXIS_UNITS.get(column) or ("%" if column.endswith("_pct") else None)
    return f"{label}（{unit}）" if unit and "（" not in label else label


# Provenance field names (store column names) in Chinese.
FIELD_LABELS: dict[str, str] = {
    "unit": "单位", "unit_code": "单位编码", "unit_project_budget": "单位项目支出预算", "projects_total": "项目总数",
    "year": "年度", "code": "项目编码", "budget_initial": "年初预算", "budget_adjusted": "调整后预算",
    "executed": "执行数", "execution_rate": "执行率", "budget_weight": "预算执行分值", "budget_score": "预算执行得分",
    "total_score": "总得分", "total_weight": "总分值", "grade": "等级", "projects_evaluated": "评价项目数",
    "special_projects": "专项项目数", "funding_source": "资金来源",
}
ENTITY_LABELS = {"document": "文档", "project": "项目"}
KIND_LABELS = {"evaluation": "项目评价", "target": "绩效目标", "department": "部门整体"}
DOC_KIND_LABELS = {
    "department_overall": "部门整体评价", "project_evaluation": "项目评价", "special_fund_evaluation": "专项资金评价",
    "targets": "绩效目标表",
}


# ---------------------------------------------------------------------------
# formatting

def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


UNKNOWN_YEAR = "年度未知"
UNKNOWN_REGION = "地区未知"


def year_label(value: object) -> str:
    """A year for labels; a report whose year could not be found says so (年度未知)."""
    return UNKNOWN_YEAR if _is_missing(value) else str(int(value))


def region_label(value: object) -> str:
    return UNKNOWN_REGION if _is_missing(value) else str(value)


def fmt_wan(value: object) -> str:
    """An amount in 万元 with thousands separators: "1,234.50 万元"; missing → 未披露."""
    return UNDISCLOSED if _is_missing(value) else f"{float(value):,.2f} 万元"


def fmt_pct(value: object) -> str:
    """A rate or share in percent: "89.72%"; missing → 未披露."""
    return UNDISCLOSED if _is_missing(value) else f"{float(value):,.2f}%"


def fmt_number(value: object) -> str:
    """A score, weight or count without trailing zeros: "99", "9.5"; missing → "—"."""
    if _is_missing(value):
        return "—"
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}".rstrip("0").rstrip(".")


def _is_listlike(value: object) -> bool:
    # DuckDB list columns arrive in pandas as numpy arrays
    return isinstance(value, (list, tuple, np.ndarray))


def _fmt_list(value: object) -> str:
    items = value.tolist() if hasattr(value, "tolist") else list(value)
    return "、".join(DOC_KIND_LABELS.get(str(v), str(v)) for v in items)


_DISCLOSURE_PCT = {"execution_rate_pct", "earlier_execution_rate_pct"}


def _format_cell(column: str, value: object) -> object:
    if _is_listlike(value):
        return _fmt_list(value)
    if column.endswith("_wan"):
        return fmt_wan(value)
    if column.endswith("_pct"):
        # only money facts are "not disclosed"; a missing score rate or share just has no value
        return fmt_pct(value) if column in _DISCLOSURE_PCT or not _is_missing(value) else "—"
    if _is_missing(value):
        return ""
    if isinstance(value, bool) or column.startswith(("is_", "has_")) or column.endswith("_is_explicit") \
            or column == "target_is_numeric":
        return "是" if value else "否"
    if column in ("year", "earlier_year", "later_year", "line_start", "line_end", "line_no", "year_line"):
        return str(int(value))
    if column in ("score", "weight", "total_score", "max_score", "lost_points", "avg_score", "earlier_total_score",
                  "total_weight"):
        return fmt_number(value)
    if column == "field":
        return FIELD_LABELS.get(str(value), str(value))
    if column == "entity":
        return ENTITY_LABELS.get(str(value), str(value))
    if column == "kind":
        return KIND_LABELS.get(str(value), str(value))
    return value


def format_table(df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """A display copy of `df`: the given columns, formatted by their unit suffix
    (``_wan`` → "1,234.50 万元", ``_pct`` → "89.72%", missing → 未披露) and headed
    with their Chinese labels."""
    out = pd.DataFrame(index=df.index)
    for column in columns:
        values = df[column] if column in df else pd.Series([None] * len(df), index=df.index, dtype=object)
        out[LABELS.get(column, column)] = [_format_cell(column, v) for v in values]
    return out.reset_index(drop=True)


def export_frame(df: pd.DataFrame) -> pd.DataFrame:
    """`df` for a spreadsheet: internal id columns dropped, lists joined, Chinese headers.

    Numbers stay numbers (an XLSX applies its own formats), unlike `format_table`.
    """
    keep = [c for c in df.columns if not c.endswith("_id") and c not in ("measure_order", "seq", "position")]
    out = df[keep].copy()
    for column in keep:
        if out[column].map(_is_listlike).any():
            out[column] = out[column].map(lambda v: _fmt_list(v) if _is_listlike(v) else v)
    return out.rename(columns=LABELS)


# ---------------------------------------------------------------------------
# colours, sources, layout

def region_colors(regions: Iterable[str]) -> dict[str, str]:
    """Region → colour, assigned in sorted name order from `PALETTE`.

    Pass every region in the store (not just those on one chart) so a region keeps
    its colour on every chart and page whatever the filters.
    """
    names = sorted({str(r) for r in regions if not _is_missing(r)})
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def tint(color: str, alpha: float = BUDGET_OPACITY) -> str:
    """A light version of a "#RRGGBB" colour (rgba), for budget next to executed bars.

    A colour rather than trace opacity, so labels stay dark and legends match."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _colors_for(df: pd.DataFrame, colors: Mapping[str, str] | None) -> Mapping[str, str]:
    known = dict(colors or {})
    if "region" in df:
        missing = [r for r in df["region"].dropna().unique() if r not in known]
        if missing:  # a region outside the given domain still gets a stable colour
            extra = region_colors([*known, *missing])
            known.update({r: extra[r] for r in missing})
    return known


def source_files(df: pd.DataFrame) -> list[str]:
    """The distinct file names behind a query result (its ``file``/``files`` columns)."""
    names: set[str] = set()
    for column in ("file", "files", "earlier_file", "later_file"):
        if column not in df:
            continue
        for value in df[column]:
            if isinstance(value, str):
                names.add(value)
            elif _is_listlike(value):
                names.update(str(v) for v in (value.tolist() if hasattr(value, "tolist") else value))
    return sorted(n for n in names if n)


def source_line(files: Sequence[str], per_line: int = 2) -> str:
    """"数据来源：a.txt、b.txt" wrapped every `per_line` files (Plotly <br>).

    Two per line fit a half-width chart: the line starts at the plot area's left
    edge, and text running past the figure's right edge would be cut off."""
    if not files:
        return "数据来源：无"
    rows = ["、".join(files[i:i + per_line]) for i in range(0, len(files), per_line)]
    return "数据来源：" + "<br>".join(rows)


def _finish(fig: go.Figure, title: str, files: Sequence[str], *, height: int = 420,
            show_legend: bool = True) -> go.Figure:
    """Common layout: Chinese title, CJK font, white template, source line at the bottom."""
    source = source_line(list(files))
    source_rows = source.count("<br>") + 1
    bottom = 64 + 16 * source_rows
    # No Plotly template: assigning one (even "plotly_white") deep-copies and
    # validates it, ~7 ms per figure on every rerun; the few looks it gave are set
    # directly here and on the axes.
    fig.layout.template = None
    fig.update_layout(
        title=dict(text=title, x=0.01, xanchor="left", y=0.98, yanchor="top", font=dict(size=17)),
        font=dict(family=FONT_FAMILY, size=13, color="#1f2933"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        margin=dict(l=12, r=24, t=64, b=bottom),
        showlegend=show_legend,
        legend=dict(title_text="", font=dict(size=12)),
        hoverlabel=dict(font_family=FONT_FAMILY),
        separators=".,",
    )
    axes = dict(automargin=True, gridcolor=GRID_COLOR, linecolor=GRID_COLOR, zerolinecolor=GRID_COLOR,
                zerolinewidth=1.5, title_standoff=12)
    fig.update_xaxes(**axes)
    fig.update_yaxes(**axes)
    fig.add_annotation(
        text=source, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="bottom",
        yshift=-(bottom - 6), showarrow=False, align="left", font=dict(size=11, color="#6b7785"),
    )
    return fig


def empty_figure(title: str, message: str = "当前筛选下没有数据") -> go.Figure:
    """A figure with no traces that says why (used for an empty DataFrame)."""
    fig = go.Figure()
    fig.add_annotation(text=message, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                       font=dict(size=15, color="#6b7785"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _finish(fig, title, [], height=260, show_legend=False)


def _wrap(text: str, width: int) -> str:
    """Break a long Chinese label into balanced lines of at most `width` characters (Plotly <br>)."""
    text = str(text)
    lines = max(1, math.ceil(len(text) / width))
    per = math.ceil(len(text) / lines)
    return "<br>".join(text[i:i + per] for i in range(0, len(text), per))


def _project_label(row: Mapping) -> str:
    return f"{row['project_name']}（{region_label(row['region'])} {year_label(row['year'])}）"


def _bar_height(n: int, per_bar: int = 34, base: int = 170) -> int:
    return max(300, base + per_bar * n)


def _customdata(df: pd.DataFrame) -> list[list]:
    """[file, project_name] per row: what a click needs to open the project's sources."""
    return [[f, p] for f, p in zip(df["file"], df["project_name"])]


# ---------------------------------------------------------------------------
# overview

def overview_small_multiples(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Small multiples, one panel per region: budget (light) and executed (solid) per year.

    Expects `overview/region_year` columns: region, year, budget_wan, executed_wan,
    execution_rate_pct, files. A missing executed amount is labelled 未披露.
    """
    title = "各地区预算与执行（万元，浅色为预算，深色为执行）"
    if df.empty:
        return empty_figure(title)
    colors = _colors_for(df, colors)
    regions = sorted(df["region"].unique())
    cols = min(3, len(regions))
    rows = math.ceil(len(regions) / cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=regions, shared_yaxes=True,
                        horizontal_spacing=0.06, vertical_spacing=0.22 if rows > 1 else 0.1)
    top = float(pd.concat([df["budget_wan"], df["executed_wan"]]).max(skipna=True) or 1)
    for i, region in enumerate(regions):
        r, c = divmod(i, cols)
        part = df[df["region"] == region].sort_values("year")
        years = [year_label(y) for y in part["year"]]
        color = colors[region]
        # a missing executed amount has no bar to carry its label: the budget bar says it
        fig.add_bar(x=years, y=part["budget_wan"], name="预算", marker_color=tint(color),
                    text=[fmt_number(b) + (f"<br>执行{UNDISCLOSED}" if pd.isna(e) else "")
                          for b, e in zip(part["budget_wan"], part["executed_wan"])],
                    textposition="outside",
                    hovertemplate="%{x} 预算：%{y:,.2f} 万元<extra>" + region + "</extra>",
                    showlegend=False, row=r + 1, col=c + 1)
        fig.add_bar(x=years, y=part["executed_wan"], name="执行", marker_color=color,
                    text=["" if pd.isna(e) else f"{fmt_number(e)}<br>{fmt_pct(rate)}"
                          for e, rate in zip(part["executed_wan"], part["execution_rate_pct"])],
                    textposition="outside",
                    hovertemplate="%{x} 执行：%{y:,.2f} 万元<extra>" + region + "</extra>",
                    showlegend=False, row=r + 1, col=c + 1)
    fig.update_layout(barmode="group", bargap=0.3)
    fig.update_yaxes(title_text=axis_title("amount_wan"), col=1, range=[0, top * 1.3])
    fig.update_xaxes(type="category", title_text=axis_title("year"))
    return _finish(fig, title, source_files(df), height=320 * rows + 60, show_legend=False)


# ---------------------------------------------------------------------------
# execution

def budget_vs_executed(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Grouped horizontal bars per project: budget (light) vs executed (solid), 万元.

    Expects `execution/projects` columns. A project without an executed amount gets
    no executed bar; its budget bar's label says 执行数未披露. Each bar
    carries [file, project_name] as customdata so a click can open its sources.
    """
    title = "各项目预算与执行（万元）"
    if df.empty:
        return empty_figure(title)
    colors = _colors_for(df, colors)
    df = df.assign(label=[_project_label(r) for r in df.to_dict("records")])
    fig = go.Figure()
    for region, part in df.groupby("region", sort=True):
        color, custom = colors[region], _customdata(part)
        # offsetgroup keeps every region's budget bar in the same slot, so bars of
        # different regions do not leave gaps for each other
        fig.add_bar(y=part["label"], x=part["budget_wan"], orientation="h", name=f"{region} 预算",
                    legendgroup=region, offsetgroup="budget", marker_color=tint(color),
                    # no executed bar to label: the budget bar's label says 未披露
                    text=[fmt_number(b) + (f"　执行数{UNDISCLOSED}" if pd.isna(e) else "")
                          for b, e in zip(part["budget_wan"], part["executed_wan"])],
                    textposition="outside", customdata=custom,
                    hovertemplate="%{y}<br>预算：%{x:,.2f} 万元<extra></extra>")
        fig.add_bar(y=part["label"], x=part["executed_wan"], orientation="h", name=f"{region} 执行",
                    legendgroup=region, offsetgroup="executed", marker_color=color,
                    text=["" if pd.isna(v) else fmt_number(v) for v in part["executed_wan"]],
                    textposition="outside", customdata=custom,
                    hovertemplate="%{y}<br>执行：%{x:,.2f} 万元<extra></extra>")
    top = float(df["budget_wan"].max(skipna=True) or 1)
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    fig.update_xaxes(title_text=axis_title("amount_wan"), range=[0, top * 1.35], tickformat=",")
    fig.update_yaxes(autorange="reversed", title_text="")
    return _finish(fig, title, source_files(df), height=_bar_height(len(df), per_bar=46))


def execution_rate(df: pd.DataFrame, colors: Mapping[str, str] | None = None,
                   warning_pct: float = WARNING_RATE_PCT) -> go.Figure:
    """Horizontal bars of each project's execution rate with 100% and 警戒线 reference lines.

    Expects `execution/projects` columns. A project without a rate shows 未披露
    instead of a bar (never 0% or 100%).
    """
    title = f"各项目预算执行率（%，虚线为 {warning_pct:g}% 警戒线）"
    if df.empty:
        return empty_figure(title)
    colors = _colors_for(df, colors)
    df = df.assign(label=[_project_label(r) for r in df.to_dict("records")])
    fig = go.Figure()
    for region, part in df.groupby("region", sort=True):
        fig.add_bar(y=part["label"], x=part["execution_rate_pct"], orientation="h", name=region,
                    marker_color=colors[region], customdata=_customdata(part),
                    # inside the bar's end: outside labels would sit on the 90%/100% lines
                    text=["" if pd.isna(v) else fmt_pct(v) for v in part["execution_rate_pct"]],
                    textposition="inside", insidetextanchor="end", textfont=dict(color="white"),
                    hovertemplate="%{y}<br>执行率：%{x:.2f}%<extra></extra>")
    undisclosed = df[df["execution_rate_pct"].isna()]
    if not undisclosed.empty:
        fig.add_scatter(y=undisclosed["label"], x=[0] * len(undisclosed), mode="text", name=UNDISCLOSED,
                        text=[f"  执行率{UNDISCLOSED}"] * len(undisclosed), textposition="middle right",
                        textfont=dict(color="#6b7785", size=13), customdata=_customdata(undisclosed),
                        hoverinfo="skip", showlegend=False)
    top = max(115.0, float(df["execution_rate_pct"].max(skipna=True) or 0) + 15)
    # reference lines labelled above the plot, away from the bars: 警戒线 to the
    # left of its line, 100% to the right of its own
    fig.add_vline(x=100, line_color="#1f2933", line_width=1.2)
    fig.add_vline(x=warning_pct, line_color="#C62828", line_dash="dash", line_width=1.2)
    fig.add_annotation(x=100, y=1, xref="x", yref="paper", yanchor="bottom", xanchor="left", text="100%",
                       showarrow=False, font=dict(color="#1f2933", size=12))
    fig.add_annotation(x=warning_pct, y=1, xref="x", yref="paper", yanchor="bottom", xanchor="right",
                       text=f"{warning_pct:g}% 警戒线", showarrow=False, font=dict(color="#C62828", size=12))
    fig.update_xaxes(title_text=axis_title("execution_rate_pct"), range=[0, top], ticksuffix="%")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(bargap=0.35)
    return _finish(fig, title, source_files(df), height=_bar_height(len(df), per_bar=36, base=190))


def _plan_date_label(by_date: str) -> str:
    try:
        month, day = (int(p) for p in str(by_date).split("-"))
    except ValueError:
        return str(by_date)
    return f"{month}月{day}日"


def spending_plan(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Planned cumulative spending (% of budget) by date, one line per project.

    Expects `execution/spending_plan` columns. Actual progress is drawn only where
    known (``actual_share_pct``, year-end of evaluated projects); otherwise the
    plan stands alone and the title says the actual is not yet reported.
    """
    has_actual = not df.empty and df["actual_share_pct"].notna().any()
    title = "支出进度：计划累计支出占预算比例" + ("与实际" if has_actual else "（实际进度尚未报告，仅显示计划）")
    if df.empty:
        return empty_figure("支出进度计划", "当前筛选下没有支出进度计划（只有绩效目标表填写）")
    colors = _colors_for(df, colors)
    fig = go.Figure()
    dashes = ("solid", "dot", "dash", "longdash", "dashdot")
    for n, ((region, year, project), part) in enumerate(df.groupby(["region", "year", "project_name"], sort=True)):
        part = part.sort_values("by_date")
        label = f"{project}（{region_label(region)} {year_label(year)}）"
        fig.add_scatter(x=[_plan_date_label(d) for d in part["by_date"]], y=part["planned_share_pct"],
                        mode="lines+markers+text", name=f"{label} 计划", line=dict(color=colors[region],
                        dash=dashes[n % len(dashes)], width=2.5), marker=dict(size=8),
                        # identical plans draw on top of each other: alternate the label side
                        # and name the amount, so every project's plan stays readable
                        text=[f"{v:g}%（{fmt_number(w)} 万元）" for v, w in
                              zip(part["planned_share_pct"], part["planned_cum_wan"])],
                        textposition="top center" if n % 2 == 0 else "bottom center", cliponaxis=False,
                        customdata=list(zip(part["planned_cum_wan"], part["file"], part["project_name"])),
                        hovertemplate=label + "<br>%{x} 计划累计：%{y:.0f}%（%{customdata[0]:,.2f} 万元）<extra></extra>")
        actual = part[part["actual_share_pct"].notna()]
        if not actual.empty:
            fig.add_scatter(x=[_plan_date_label(d) for d in actual["by_date"]], y=actual["actual_share_pct"],
                            mode="markers", name=f"{label} 实际", marker=dict(color=colors[region], size=13,
                            symbol="diamond"), hovertemplate=label + "<br>%{x} 实际：%{y:.2f}%<extra></extra>")
    fig.update_yaxes(title_text=axis_title("planned_share_pct"), range=[0, 112], ticksuffix="%")
    dates = df["by_date"].drop_duplicates().sort_values().tolist()
    # half a category of room on each side for the end labels
    fig.update_xaxes(title_text=axis_title("by_date"), type="category", categoryorder="array",
                     categoryarray=[_plan_date_label(d) for d in dates], range=[-0.6, len(dates) - 0.4])
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0))
    return _finish(fig, title, source_files(df), height=480)


def expense_treemap(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Treemap of expense items (万元): region → project → item.

    Expects `execution/expenses` columns (region, year, project_name, item, amount_wan).
    """
    title = "支出明细构成（万元）"
    df = df[df["amount_wan"].notna()] if not df.empty else df
    if df.empty:
        return empty_figure(title, "当前筛选下没有支出明细（报告未列出支出科目）")
    colors = _colors_for(df, colors)
    ids, labels, parents, values, node_colors = [], [], [], [], []
    for region, rpart in df.groupby("region", sort=True):
        ids.append(region), labels.append(region), parents.append(""), values.append(rpart["amount_wan"].sum())
        node_colors.append(colors[region])
        for (project, year), ppart in rpart.groupby(["project_name", "year"], sort=True):
            pid = f"{region}/{project}/{year_label(year)}"
            ids.append(pid), labels.append(f"{project}（{year_label(year)}）"), parents.append(region)
            values.append(ppart["amount_wan"].sum()), node_colors.append(colors[region])
            for item, amount in zip(ppart["item"], ppart["amount_wan"]):
                ids.append(f"{pid}/{item}"), labels.append(item), parents.append(pid), values.append(amount)
                node_colors.append(colors[region])
    fig = go.Figure(go.Treemap(
        ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
        marker=dict(colors=node_colors, line=dict(color="white", width=2)),
        texttemplate="%{label}<br>%{value:,.2f} 万元<br>%{percentParent:.1%}",
        hovertemplate="%{label}<br>%{value:,.2f} 万元（占上级 %{percentParent:.1%}）<extra></extra>",
        tiling=dict(pad=3), pathbar=dict(visible=True),
    ))
    return _finish(fig, title, source_files(df), height=440, show_legend=False)


# ---------------------------------------------------------------------------
# indicators

def indicator_heatmap(df: pd.DataFrame) -> go.Figure:
    """Heatmap of score rate (%) by second-level indicator (x) and project (y).

    Expects `indicators/heatmap` columns. Cells without a scored indicator stay blank.
    """
    title = "二级指标得分率（%，按项目）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有已评分的指标（绩效目标表尚未评分）")
    df = df.assign(label=[_project_label(r) for r in df.to_dict("records")])
    level2_order = (df[["level1", "level2"]].drop_duplicates()
                    .sort_values(["level1", "level2"])["level2"].drop_duplicates().tolist())
    projects = df.drop_duplicates("label").sort_values(["region", "year", "project_name"])["label"].tolist()
    grid = df.pivot_table(index="label", columns="level2", values="score_rate_pct", aggfunc="mean")
    grid = grid.reindex(index=projects, columns=level2_order)
    text = [["" if pd.isna(v) else f"{v:.0f}%" for v in row] for row in grid.to_numpy()]
    # wrapped, unrotated column labels: rotated ones would run into the source line
    # the axis title already says 二级指标, so the common suffix goes
    columns = [_wrap(name[:-2] if name.endswith("指标") and len(name) > 2 else name, 5) for name in level2_order]
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=columns, y=projects, text=text, texttemplate="%{text}",
        colorscale="RdYlGn", zmin=0, zmax=100, xgap=2, ygap=2,
        colorbar=dict(title=dict(text="得分率（%）"), ticksuffix="%"),
        hovertemplate="%{y}<br>%{x}：%{z:.2f}%<extra></extra>",
    ))
    fig.update_xaxes(title_text=axis_title("level2"), tickangle=0, side="bottom")
    fig.update_yaxes(autorange="reversed")
    return _finish(fig, title, source_files(df), height=_bar_height(len(projects), per_bar=48, base=230))


def quantified_rate(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Bars of 量化率 (share of indicators with a numeric target) per region and year.

    Expects `indicators/quantified` columns (region, year, indicators, quantified, quantified_pct).
    """
    title = "量化率：有数值目标的指标占比（%）"
    if df.empty:
        return empty_figure(title)
    colors = _colors_for(df, colors)
    fig = go.Figure()
    for region, part in df.groupby("region", sort=True):
        fig.add_bar(x=[f"{region} {year_label(y)}" for y in part["year"]], y=part["quantified_pct"], name=region,
                    marker_color=colors[region],
                    text=[f"{fmt_pct(p)}（{q}/{n}）" for p, q, n in
                          zip(part["quantified_pct"], part["quantified"], part["indicators"])],
                    textposition="outside", hovertemplate="%{x}<br>量化率：%{y:.2f}%<extra></extra>")
    fig.update_yaxes(title_text=axis_title("quantified_pct"), range=[0, 115], ticksuffix="%")
    fig.update_xaxes(title_text=axis_title("region_year"), type="category")
    fig.update_layout(bargap=0.45)
    return _finish(fig, title, source_files(df), height=400)


def attainment_mix(df: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: how many indicators of each project fall in each attainment class.

    Expects `indicators/attainment` columns (project_name, region, year, attainment_zh, indicators).
    """
    title = "指标完成情况（个）"
    if df.empty:
        return empty_figure(title)
    df = df.assign(label=[_project_label(r) for r in df.to_dict("records")])
    projects = df.drop_duplicates("label").sort_values(["region", "year", "project_name"])["label"].tolist()
    fig = go.Figure()
    for cls, color in ATTAINMENT_COLORS.items():
        part = df[df["attainment_zh"] == cls].set_index("label").reindex(projects)
        if part["indicators"].notna().any():
            fig.add_bar(y=projects, x=part["indicators"], orientation="h", name=cls, marker_color=color,
                        text=[fmt_number(v) if not pd.isna(v) else "" for v in part["indicators"]],
                        textposition="inside", hovertemplate="%{y}<br>" + cls + "：%{x} 个<extra></extra>")
    fig.update_layout(barmode="stack", bargap=0.35, legend=dict(orientation="h", yanchor="bottom", y=1.0, x=1,
                                                                 xanchor="right"))
    fig.update_xaxes(title_text=axis_title("indicators"))
    fig.update_yaxes(autorange="reversed")
    return _finish(fig, title, source_files(df), height=_bar_height(len(projects), per_bar=38, base=200))


# ---------------------------------------------------------------------------
# scores

def score_strip(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Box plus every project's total score, one box per region.

    Expects `scores/projects` columns (region, project_name, year, total_score, grade, file).
    """
    title = "项目总得分分布（按地区）"
    df = df[df["total_score"].notna()] if not df.empty else df
    if df.empty:
        return empty_figure(title, "当前筛选下没有项目总得分")
    colors = _colors_for(df, colors)
    fig = go.Figure()
    for region, part in df.groupby("region", sort=True):
        fig.add_box(x=[region] * len(part), y=part["total_score"], name=region, marker_color=colors[region],
                    boxpoints="all", jitter=0.35, pointpos=0, marker=dict(size=11, opacity=0.85),
                    line=dict(width=1.5), fillcolor="rgba(0,0,0,0)", customdata=_customdata(part),
                    text=[_project_label(r) for r in part.to_dict("records")],
                    hovertemplate="%{text}<br>总得分：%{y}<extra></extra>")
    low = min(55.0, float(df["total_score"].min()) - 5)
    for band, name in ((90, "优 ≥90"), (80, "良 ≥80"), (60, "中 ≥60")):
        if band > low:
            fig.add_hline(y=band, line_dash="dot", line_color="#9aa5b1", annotation_text=name,
                          annotation_position="right", annotation_font_color="#6b7785")
    fig.update_yaxes(title_text=axis_title("total_score"), range=[low, 104])
    fig.update_xaxes(title_text=axis_title("region"))
    return _finish(fig, title, source_files(df), height=420)


def grade_counts(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Grouped bars: number of projects per grade (优/良/中/差), one bar per region.

    Expects `scores/grades` columns (region, grade, projects, files).
    """
    title = "评价等级分布（项目数）"
    if df.empty:
        return empty_figure(title)
    colors = _colors_for(df, colors)
    fig = go.Figure()
    for region, part in df.groupby("region", sort=True):
        counts = part.set_index("grade")["projects"].reindex(GRADE_ORDER)
        fig.add_bar(x=list(GRADE_ORDER), y=counts.fillna(0), name=region, marker_color=colors[region],
                    text=[fmt_number(v) if v else "" for v in counts.fillna(0)], textposition="outside",
                    hovertemplate=region + " %{x}：%{y} 个<extra></extra>")
    top = float(df["projects"].max())
    fig.update_yaxes(title_text=axis_title("projects"), range=[0, top * 1.3 + 0.5], dtick=1 if top < 8 else None)
    fig.update_xaxes(title_text=axis_title("grade"), type="category", categoryorder="array", categoryarray=list(GRADE_ORDER))
    fig.update_layout(barmode="group", bargap=0.3)
    return _finish(fig, title, source_files(df), height=380)


def section_rates(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Horizontal bars of each evaluation section's score rate (score / max).

    Expects `scores/sections` columns (region, year, project_name, section, max_score,
    score, score_rate_pct).
    """
    title = "各评价部分得分率（得分/分值，%）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有分项得分（报告未写各部分得分）")
    colors = _colors_for(df, colors)
    df = df.assign(label=[f"{r['project_name']} · {r['section']}" for r in df.to_dict("records")])
    fig = go.Figure()
    for region, part in df.groupby("region", sort=True):
        fig.add_bar(y=part["label"], x=part["score_rate_pct"], orientation="h", name=region,
                    marker_color=colors[region], customdata=_customdata(part),
                    text=[f"{fmt_number(s)}/{fmt_number(m)} 分" for s, m in zip(part["score"], part["max_score"])],
                    textposition="outside", hovertemplate="%{y}<br>得分率：%{x:.2f}%<extra></extra>")
    fig.add_vline(x=100, line_color="#1f2933", line_width=1)
    fig.update_xaxes(title_text=axis_title("score_rate_pct"), range=[0, 125], ticksuffix="%")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(bargap=0.3)
    return _finish(fig, title, source_files(df), height=_bar_height(len(df), per_bar=28, base=180))


def lost_points(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Horizontal bars of points lost per indicator or section (max − score).

    Expects `scores/lost_points` columns (item_kind, region, year, project_name, item,
    max_score, score, lost_points).
    """
    title = "失分项（分值 − 得分）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有失分项：所有已评分指标和评价部分均得满分")
    colors = _colors_for(df, colors)
    df = df.assign(label=[f"{r['project_name']} · {r['item']}（{r['item_kind']}）" for r in df.to_dict("records")])
    fig = go.Figure()
    for region, part in df.groupby("region", sort=True):
        fig.add_bar(y=part["label"], x=part["lost_points"], orientation="h", name=region,
                    marker_color=colors[region], customdata=_customdata(part),
                    text=[f"失 {fmt_number(lost)} 分（{fmt_number(s)}/{fmt_number(m)}）"
                          for lost, s, m in zip(part["lost_points"], part["score"], part["max_score"])],
                    textposition="outside", hovertemplate="%{y}<br>失分：%{x}<extra></extra>")
    top = float(df["lost_points"].max())
    fig.update_xaxes(title_text=axis_title("lost_points"), range=[0, top * 1.6 + 0.5])
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(bargap=0.35)
    return _finish(fig, title, source_files(df), height=_bar_height(len(df), per_bar=34, base=180))


# ---------------------------------------------------------------------------
# regions

def region_measures(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Regions side by side: one panel per measure (加权执行率, 平均得分, 量化率).

    Expects `regions/measures` long-format columns (region, year, measure,
    measure_order, value, unit). A missing value is labelled 未披露.
    """
    title = "地区对比：加权执行率、平均得分、量化率"
    if df.empty:
        return empty_figure(title)
    colors = _colors_for(df, colors)
    measures = df.sort_values("measure_order")["measure"].drop_duplicates().tolist()
    fig = make_subplots(rows=1, cols=len(measures), subplot_titles=measures, horizontal_spacing=0.07)
    for col, measure in enumerate(measures, start=1):
        part = df[df["measure"] == measure].sort_values(["region", "year"])
        unit = part["unit"].iloc[0]
        for region, rpart in part.groupby("region", sort=True):
            x = [f"{region}<br>{year_label(y)}" for y in rpart["year"]]
            fig.add_bar(x=x, y=rpart["value"].fillna(0), name=region, legendgroup=region, showlegend=col == 1,
                        marker_color=colors[region],
                        marker_opacity=[0 if pd.isna(v) else 1 for v in rpart["value"]],
                        text=[UNDISCLOSED if pd.isna(v) else (fmt_pct(v) if unit == "%" else fmt_number(v))
                              for v in rpart["value"]],
                        textposition="outside", cliponaxis=False,
                        hovertemplate="%{x}<br>" + measure + "：%{text}<extra></extra>",
                        row=1, col=col)
        fig.update_yaxes(range=[0, 118], ticksuffix="%" if unit == "%" else "", row=1, col=col)
    fig.update_xaxes(type="category", tickangle=0)
    fig.update_layout(bargap=0.35)
    return _finish(fig, title, source_files(df), height=430)


def indicator_mix(df: pd.DataFrame) -> go.Figure:
    """100% stacked bars per region and year: share of indicators by level-1 class.

    Expects `regions/indicator_mix` columns (region, year, level1, indicators).
    """
    title = "指标结构：一级指标占比（%）"
    if df.empty:
        return empty_figure(title)
    totals = df.groupby(["region", "year", "level1"], as_index=False)["indicators"].sum()
    totals["share_pct"] = totals["indicators"] / totals.groupby(["region", "year"])["indicators"].transform("sum") * 100
    totals["x"] = [f"{region_label(r)} {year_label(y)}" for r, y in zip(totals["region"], totals["year"])]
    order = totals.sort_values(["region", "year"])["x"].drop_duplicates().tolist()
    fig = go.Figure()
    level1s = sorted(totals["level1"].unique(), key=lambda v: (list(LEVEL1_COLORS).index(v)
                                                                if v in LEVEL1_COLORS else 99, v))
    for level1 in level1s:
        part = totals[totals["level1"] == level1].set_index("x").reindex(order)
        fig.add_bar(x=order, y=part["share_pct"], name=level1, marker_color=LEVEL1_COLORS.get(level1, "#BAB0AC"),
                    text=[f"{v:.0f}%" if not pd.isna(v) else "" for v in part["share_pct"]],
                    customdata=part["indicators"].fillna(0), textposition="inside", textangle=0,
                    hovertemplate="%{x}<br>" + level1 + "：%{y:.1f}%（%{customdata} 个）<extra></extra>")
    fig.update_layout(barmode="stack", bargap=0.3)
    fig.update_yaxes(title_text=axis_title("share_pct"), range=[0, 100], ticksuffix="%")
    fig.update_xaxes(title_text=axis_title("region_year"), type="category")
    return _finish(fig, title, source_files(df), height=400)


def region_trend(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Budget (万元) per region across years: evaluated projects solid, targets dashed.

    Expects `regions/trend` columns (region, year, doc_type_zh, budget_wan, files). The
    dashed target line starts from the region's latest evaluated year so the step
    from results to next targets reads as one trend.
    """
    title = "各地区历年预算（万元，实线为评价结果，虚线为绩效目标）"
    if df.empty:
        return empty_figure(title)
    colors = _colors_for(df, colors)
    fig = go.Figure()
    for region, part in df.groupby("region", sort=True):
        evaluated = part[part["doc_type_zh"] == "评价"].sort_values("year")
        targets = part[part["doc_type_zh"] == "目标"].sort_values("year")
        color = colors[region]
        if not evaluated.empty:
            fig.add_scatter(x=evaluated["year"], y=evaluated["budget_wan"], mode="lines+markers+text",
                            name=f"{region} 评价", legendgroup=region, line=dict(color=color, width=2.5),
                            marker=dict(size=10), text=[fmt_number(v) for v in evaluated["budget_wan"]],
                            textposition="top center",
                            hovertemplate=region + " %{x} 评价预算：%{y:,.2f} 万元<extra></extra>")
        if not targets.empty:
            start = evaluated[evaluated["year"] < targets["year"].min()].tail(1)
            line = pd.concat([start, targets])
            fig.add_scatter(x=line["year"], y=line["budget_wan"], mode="lines+markers+text",
                            name=f"{region} 目标", legendgroup=region, line=dict(color=color, width=2, dash="dash"),
                            marker=dict(size=10, symbol="circle-open"),
                            text=[""] * len(start) + [fmt_number(v) for v in targets["budget_wan"]],
                            textposition="top center",
                            hovertemplate=region + " %{x} 目标预算：%{y:,.2f} 万元<extra></extra>")
    top = float(df["budget_wan"].max(skipna=True) or 1)
    fig.update_xaxes(title_text=axis_title("year"), tickformat="d", dtick=1)
    fig.update_yaxes(title_text=axis_title("budget_wan"), range=[0, top * 1.25], tickformat=",")
    return _finish(fig, title, source_files(df), height=400)


def program_comparison(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Per linked programme: the earlier year's budget and executed vs the later target budget.

    Expects `regions/program_links` columns. Bars take the region's colour: earlier
    budget light, earlier executed solid, later target hatched.
    """
    title = "同一项目跨年对照：较早年度预算与执行 vs 当年目标预算（万元）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有可跨年对照的项目（需要同一地区较早年度的评价和当年的目标表）")
    colors = _colors_for(df, colors)
    labels = [f"{r['project_name']}（{r['region']}）<br><sub>对照 {int(r['earlier_year'])} 年"
              f"「{r['earlier_project_name']}」</sub>" for r in df.to_dict("records")]
    region_color = [colors[r] for r in df["region"]]
    earlier_year = "、".join(sorted({year_label(y) for y in df["earlier_year"]}))
    later_year = "、".join(sorted({year_label(y) for y in df["year"]}))
    fig = go.Figure()
    fig.add_bar(y=labels, x=df["earlier_budget_wan"], orientation="h", name=f"{earlier_year} 年预算",
                marker=dict(color=[tint(c) for c in region_color]),
                text=[fmt_number(v) for v in df["earlier_budget_wan"]], textposition="outside",
                hovertemplate="%{y}<br>较早年度预算：%{x:,.2f} 万元<extra></extra>")
    fig.add_bar(y=labels, x=df["earlier_executed_wan"], orientation="h", name=f"{earlier_year} 年执行",
                marker=dict(color=region_color),
                text=[UNDISCLOSED if pd.isna(v) else fmt_number(v) for v in df["earlier_executed_wan"]],
                textposition="outside", hovertemplate="%{y}<br>较早年度执行：%{x:,.2f} 万元<extra></extra>")
    fig.add_bar(y=labels, x=df["budget_wan"], orientation="h", name=f"{later_year} 年目标预算",
                marker=dict(color="white", line=dict(color=region_color, width=2),
                            pattern=dict(shape="/", fgcolor=region_color, size=7)),
                text=[fmt_number(v) for v in df["budget_wan"]], textposition="outside",
                hovertemplate="%{y}<br>目标预算：%{x:,.2f} 万元<extra></extra>")
    top = float(pd.concat([df["earlier_budget_wan"], df["budget_wan"]]).max(skipna=True) or 1)
    fig.update_layout(barmode="group", bargap=0.3)
    fig.update_xaxes(title_text=axis_title("amount_wan"), range=[0, top * 1.3])
    fig.update_yaxes(autorange="reversed")
    return _finish(fig, title, source_files(df), height=_bar_height(len(df), per_bar=110, base=190))


# ---------------------------------------------------------------------------
# audit

def findings_by_severity(df: pd.DataFrame) -> go.Figure:
    """Stacked bars of audit findings per region and year, coloured by severity.

    Expects `audit/counts` columns (region, year, severity_zh, findings, files).
    """
    title = "审核发现数（按地区、年度、严重程度）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有审核发现")
    df = df.assign(x=[f"{region_label(r)} {year_label(y)}" for r, y in zip(df["region"], df["year"])])
    order = df.sort_values(["region", "year"])["x"].drop_duplicates().tolist()
    fig = go.Figure()
    for severity in SEVERITY_ORDER:
        part = df[df["severity_zh"] == severity].set_index("x").reindex(order)
        if part["findings"].notna().any():
            fig.add_bar(x=order, y=part["findings"], name=severity, marker_color=SEVERITY_COLORS[severity],
                        text=[fmt_number(v) if not pd.isna(v) else "" for v in part["findings"]],
                        textposition="inside", hovertemplate="%{x}<br>" + severity + "：%{y} 条<extra></extra>")
    top = float(df.groupby("x")["findings"].sum().max())
    fig.update_layout(barmode="stack", bargap=0.45)
    fig.update_yaxes(title_text=axis_title("findings"), range=[0, top * 1.15 + 0.5], dtick=1 if top < 10 else None)
    fig.update_xaxes(title_text=axis_title("region_year"), type="category")
    return _finish(fig, title, source_files(df), height=380)


# One table of builders, for tests and the bench: name → function.
BUILDERS = {
    "overview_small_multiples": overview_small_multiples,
    "budget_vs_executed": budget_vs_executed,
    "execution_rate": execution_rate,
    "spending_plan": spending_plan,
    "expense_treemap": expense_treemap,
    "indicator_heatmap": indicator_heatmap,
    "quantified_rate": quantified_rate,
    "attainment_mix": attainment_mix,
    "score_strip": score_strip,
    "grade_counts": grade_counts,
    "section_rates": section_rates,
    "lost_points": lost_points,
    "region_measures": region_measures,
    "indicator_mix": indicator_mix,
    "region_trend": region_trend,
    "program_comparison": program_comparison,
    "findings_by_severity": findings_by_severity,
}
