"""Shared look of every chart: fonts, colours, Chinese labels, 万元/% formatting,
the common layout (title, source line) and the small helpers builders share.

Pure: no streamlit, no SQL. The page-family modules beside this one
(`overview`, `execution`, `indicators`, `scores`, `regions`, `audit`) hold the
builders; this module holds what they have in common, so a chart's look is
changed in one place.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go


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

def is_missing(value: object) -> bool:
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
    return UNKNOWN_YEAR if is_missing(value) else str(int(value))


def region_label(value: object) -> str:
    return UNKNOWN_REGION if is_missing(value) else str(value)


def fmt_wan(value: object) -> str:
    """An amount in 万元 with thousands separators: "1,234.50 万元"; missing → 未披露."""
    return UNDISCLOSED if is_missing(value) else f"{float(value):,.2f} 万元"


def fmt_pct(value: object) -> str:
    """A rate or share in percent: "89.72%"; missing → 未披露."""
    return UNDISCLOSED if is_missing(value) else f"{float(value):,.2f}%"


def fmt_number(value: object) -> str:
    """A score, weight or count without trailing zeros: "99", "9.5"; missing → "—"."""
    if is_missing(value):
        return "—"
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}".rstrip("0").rstrip(".")


def is_listlike(value: object) -> bool:
    # DuckDB list columns arrive in pandas as numpy arrays
    return isinstance(value, (list, tuple, np.ndarray))


def fmt_list(value: object) -> str:
    items = value.tolist() if hasattr(value, "tolist") else list(value)
    return "、".join(DOC_KIND_LABELS.get(str(v), str(v)) for v in items)


_DISCLOSURE_PCT = {"execution_rate_pct", "earlier_execution_rate_pct"}


def _format_cell(column: str, value: object) -> object:
    if is_listlike(value):
        return fmt_list(value)
    if column.endswith("_wan"):
        return fmt_wan(value)
    if column.endswith("_pct"):
        # only money facts are "not disclosed"; a missing score rate or share just has no value
        return fmt_pct(value) if column in _DISCLOSURE_PCT or not is_missing(value) else "—"
    if is_missing(value):
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
        if out[column].map(is_listlike).any():
            out[column] = out[column].map(lambda v: fmt_list(v) if is_listlike(v) else v)
    return out.rename(columns=LABELS)


# ---------------------------------------------------------------------------
# colours, sources, layout

def region_colors(regions: Iterable[str]) -> dict[str, str]:
    """Region → colour, assigned in sorted name order from `PALETTE`.

    Pass every region in the store (not just those on one chart) so a region keeps
    its colour on every chart and page whatever the filters.
    """
    names = sorted({str(r) for r in regions if not is_missing(r)})
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def tint(color: str, alpha: float = BUDGET_OPACITY) -> str:
    """A light version of a "#RRGGBB" colour (rgba), for budget next to executed bars.

    A colour rather than trace opacity, so labels stay dark and legends match."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def colors_for(df: pd.DataFrame, colors: Mapping[str, str] | None) -> Mapping[str, str]:
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
            elif is_listlike(value):
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


def finish(fig: go.Figure, title: str, files: Sequence[str], *, height: int = 420,
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
    return finish(fig, title, [], height=260, show_legend=False)


def wrap_label(text: str, width: int) -> str:
    """Break a long Chinese label into balanced lines of at most `width` characters (Plotly <br>)."""
    text = str(text)
    lines = max(1, math.ceil(len(text) / width))
    per = math.ceil(len(text) / lines)
    return "<br>".join(text[i:i + per] for i in range(0, len(text), per))


def project_label(row: Mapping) -> str:
    return f"{row['project_name']}（{region_label(row['region'])} {year_label(row['year'])}）"


def bar_height(n: int, per_bar: int = 34, base: int = 170) -> int:
    return max(300, base + per_bar * n)


def click_data(df: pd.DataFrame) -> list[list]:
    """[file, project_name] per row: what a click needs to open the project's sources."""
    return [[f, p] for f, p in zip(df["file"], df["project_name"])]


__all__ = [
    "ATTAINMENT_COLORS",
    "AXIS_UNITS",
    "BUDGET_OPACITY",
    "DOC_KIND_LABELS",
    "ENTITY_LABELS",
    "FIELD_LABELS",
    "FONT_FAMILY",
    "GRADE_ORDER",
    "GRID_COLOR",
    "KIND_LABELS",
    "LABELS",
    "LEVEL1_COLORS",
    "PALETTE",
    "SEVERITY_COLORS",
    "SEVERITY_ORDER",
    "UNDISCLOSED",
    "UNKNOWN_REGION",
    "UNKNOWN_YEAR",
    "WARNING_RATE_PCT",
    "axis_title",
    "bar_height",
    "click_data",
    "colors_for",
    "empty_figure",
    "export_frame",
    "finish",
    "fmt_list",
    "fmt_number",
    "fmt_pct",
    "fmt_wan",
    "format_table",
    "is_listlike",
    "is_missing",
    "project_label",
    "region_colors",
    "region_label",
    "source_files",
    "source_line",
    "tint",
    "wrap_label",
    "year_label",
]
