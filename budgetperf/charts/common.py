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

from budgetperf.charts.safe import plain, svg
from budgetperf.vocabulary import (
    FACT_LABELS,
    GRADE_FLOORS,
    UNDISCLOSED,
    WARNING_RATE_PCT,
    execution_status,
    grade_for_score,
)

# CJK-capable fonts first: the browser and the PNG export pick the first installed
# one; without a CJK font Chinese renders as boxes (fonts-noto-cjk on Debian).
FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"

# Which region: a neutral categorical palette, blues, teals and purples only, so a
# region never looks like a status (red below the 警戒线, green met, amber over
# budget, grey 未披露: `STATUS_COLORS`). Most distinct first; regions get them in
# sorted name order (see `region_colors`), and never more than 10 regions at once.
PALETTE = (
    "#4E79A7", "#B07AA1", "#76B7B2", "#6B6ECF", "#CE6DBD",
    "#17BECF", "#393B79", "#D4A6C8", "#A0CBE8", "#9467BD",
)
BUDGET_OPACITY = 0.38  # budget bars: the region colour, light; executed: solid
GRID_COLOR = "#E4E9F0"

SEVERITY_COLORS = {"错误": "#C62828", "警告": "#EF8F00", "提示": "#4E79A7"}
SEVERITY_ORDER = ("错误", "警告", "提示")
ATTAINMENT_COLORS = {
    "超额完成": "#2E7D32", "完成": "#81C784", "未完成": "#C62828", "定性": "#B0BEC5", "未评价": "#E0E0E0",
}
GRADE_ORDER = ("优", "良", "中", "差")
# Level-1 classes are categories, not statuses: palette colours, never green or amber.
LEVEL1_COLORS = {"产出指标": "#4E79A7", "效益指标": "#76B7B2", "满意度指标": "#B07AA1"}
LEVEL1_OTHER = "#A0CBE8"

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
    # a link's strength of evidence (报告写明原名 1.0, 名称核心相同 0.9, 引用原名称 0.8),
    # no longer a likeness of names; `link_evidence` says which evidence in words
    "similarity": "关联依据强度",
    "link_evidence": "关联依据",
    "line_no": "行号",
    "text": "原文",
    "doc_name": "文档",
    "doc_kind_zh": "文档类型",
    "unexecuted_wan": "未执行（万元）",
    "is_execution_rate_computed": "执行率为计算值",
    "status": "状态",
    "rank": "排名",
    "docs": "文档数",
    "regions": "地区数",
    "review_reasons": "需复核之处",
    "low_project": "执行率最低的项目",
    "low_project_rate_pct": "该项目执行率",
    "lost_item": "最大失分项",
    "lost_item_points": "失分",
    "rule": "审核规则",
    "example_message": "示例",
    "value": "数值",
    "indicators_total": "指标数",
    "ingested_at": "入库时间",
    "errors_count": "错误数",
    "docs_review": "需复核文档",
    "help": "说明",
    "reason": "复核原因",
    # 数据校对 and 审核 (issue 12): a corrected value and a finding's status
    "is_corrected": "已人工更正",
    # 地区对比's A-versus-B table (issue 21)
    "same_projects": "较上年（同一批项目）",
    "finding_status": "处理状态",
    "status_by": "处理人",
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


# Fact names in Chinese (one home: the vocabulary).
FIELD_LABELS = FACT_LABELS
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
# what a chart draws, for a spreadsheet's native chart

def _number(value: object) -> float | None:
    return None if is_missing(value) else float(value)


def export_table(categories: Sequence[object], series: Mapping[str, Sequence[object]], *, unit: str,
                 category: str = "", kind: str = "bar") -> dict:
    """What a chart draws, as a spreadsheet's native chart needs it: the category
    labels a reader sees (plain text, full names: never file names), one series per
    measure drawn, every series in the one `unit` of the value axis (万元, %, 个, 分),
    and the chart `kind`: ``bar`` (columns), ``barh`` (horizontal bars), ``line``,
    ``grid`` (a heatmap: coloured cells, no chart). Kept in the figure's
    ``layout.meta`` by `finish`."""
    return {"category": category, "categories": [plain(c) for c in categories], "unit": unit, "kind": kind,
            "series": [{"name": plain(name), "values": [_number(v) for v in values]} for name, values in series.items()]}


# ---------------------------------------------------------------------------
# graded colour scales: a heatmap's colours say status, and their shade the value

def heat_scale(kind: str, warning_pct: float = WARNING_RATE_PCT) -> dict:
    """A heatmap's colour scale for a measure coloured by `kind`: ``status`` (an
    execution rate: reds graded below the 警戒线, greens up to 100%, ambers above),
    ``grade`` (a score: the grade bands, each graded) or ``plain`` (blues), with
    the colour bar's ticks at the thresholds. Keys are go.Heatmap arguments."""
    if kind == "status":
        zmin, zmax = 0.0, 120.0
        cut, top = warning_pct / zmax, 100.0 / zmax
        scale = [[0, "#7F1D1D"], [cut - 1e-6, "#F2B8B5"], [cut, "#C8E6C9"], [top, "#2E7D32"],
                 [top + 1e-6, "#FFE0B2"], [1, "#EF8F00"]]
        # 100% is where green turns amber, seen without a tick of its own: ticks
        # closer than that would overlap on a phone
        ticks = [0, 50, warning_pct]
        text = ["0", "50", f"{warning_pct:g} 警戒线"]
    elif kind == "grade":
        zmin, zmax = 40.0, 100.0
        floors = sorted(floor for floor, _grade in GRADE_FLOORS)  # 60, 80, 90
        p = [(f - zmin) / (zmax - zmin) for f in floors]
        scale = [[0, "#7F1D1D"], [p[0] - 1e-6, "#F2B8B5"], [p[0], "#FFE0B2"], [p[1] - 1e-6, "#EF8F00"],
                 [p[1], "#DCEDC8"], [p[2] - 1e-6, "#8BC34A"], [p[2], "#A5D6A7"], [1, "#1B5E20"]]
        # one character a band: 80 and 90 lie close on a phone's colour bar
        ticks = [zmin, *floors]
        bands = {floor: grade for floor, grade in GRADE_FLOORS}
        text = [f"{zmin:g}", *(bands[f] for f in floors)]
    else:
        zmin, zmax = 0.0, 100.0
        scale = [[0, "#EAF1F8"], [1, "#1F3A5F"]]
        ticks = [0, 50, 100]
        text = ["0", "50", "100%"]
    return {"zmin": zmin, "zmax": zmax, "colorscale": scale, "showscale": True,
            "colorbar": dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom", yref="paper",
                             ypad=6, len=1, lenmode="fraction", thickness=10, outlinewidth=0, tickmode="array",
                             tickvals=ticks, ticktext=text, tickfont=dict(size=11), ticks="", tickangle=0,
                             ticklabelposition="outside top")}


# ---------------------------------------------------------------------------
# how many items a chart names, and how tall it may grow

TOP_N = 15            # a ranking names this many items; the rest are folded into a note
MANY_REGIONS = 10     # above this, colour stops naming regions (the palette has 10 colours)
FEW_PROJECTS = 15     # up to this, a chart may draw one bar per project
MAX_HEIGHT = 900      # no chart grows taller than this, whatever the data (TOP_N two-line rows fit)
MIN_HEIGHT = 300


def bar_height(n: int, per_bar: int = 34, base: int = 170) -> int:
    """Height for `n` bars, bounded by MIN_HEIGHT and MAX_HEIGHT (the data never
    stretches a chart: callers show at most TOP_N bars and fold the rest)."""
    return int(min(MAX_HEIGHT, max(MIN_HEIGHT, base + per_bar * n)))


def fold_note(shown: int, total: int, what: str = "个", how: str = "") -> str:
    """"显示 15 / 共 258 个地区（执行率最低）" when some are folded, else ""."""
    if total is None or pd.isna(total) or int(total) <= shown:
        return ""
    return f"显示 {shown:,} / 共 {int(total):,} {what}{('（' + how + '）') if how else ''}"


def first_value(df: pd.DataFrame, column: str, default=None):
    """A column's first value (a total the query repeats on every row), or `default`."""
    if column not in df or df.empty:
        return default
    value = df[column].iloc[0]
    return default if is_missing(value) else value


# ---------------------------------------------------------------------------
# colours: region colours while regions are few, status colours for rates and scores

NEUTRAL = "#5B7A99"     # a bar that stands for no particular region
HIGHLIGHT = "#1F3A5F"   # outline of a pinned region's bar

# Execution rate against the 警戒线 (status, not region, colours rate charts).
STATUS_COLORS = {"低于警戒线": "#C62828", "达标": "#2E7D32", "超过预算": "#EF8F00", UNDISCLOSED: "#9AA5B1"}
# Grade bands of a score (优 ≥90, 良 ≥80, 中 ≥60, 差 <60), the evaluations' own bands.
GRADE_COLORS = {"优": "#2E7D32", "良": "#7CB342", "中": "#EF8F00", "差": "#C62828"}


def grade_band(score_pct: object) -> str | None:
    """The grade band (优/良/中/差) of a score in percent of full marks."""
    if is_missing(score_pct):
        return None
    return grade_for_score(float(score_pct))


def region_colors(regions: Iterable[str]) -> dict[str, str]:
    """Region → colour, assigned in sorted name order from `PALETTE`, for at most
    MANY_REGIONS regions; more get no colour (empty mapping): the palette would
    repeat and colour would no longer name a region.

    Pass the regions whose colours must stay stable across charts and pages
    (every region of a small store, or the regions a user chose or pinned).
    """
    names = sorted({str(r) for r in regions if not is_missing(r)})
    if len(names) > MANY_REGIONS:
        return {}
    return {name: PALETTE[i] for i, name in enumerate(names)}


def tint(color: str, alpha: float = BUDGET_OPACITY) -> str:
    """A light version of a "#RRGGBB" colour (rgba), for budget next to executed bars.

    A colour rather than trace opacity, so labels stay dark and legends match."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def colors_for(df: pd.DataFrame, colors: Mapping[str, str] | None) -> dict[str, str]:
    """Region → colour for the regions in `df`: the given mapping where it names
    them; when it names none and `df` has few regions, colours assigned in sorted
    order; otherwise every region gets NEUTRAL."""
    known = dict(colors or {})
    regions = [r for r in (df["region"].dropna().unique() if "region" in df else []) if not is_missing(r)]
    if known:
        return {r: known.get(r, NEUTRAL) for r in regions} | known
    own = region_colors(regions)
    return {r: own.get(r, NEUTRAL) for r in regions}


# ---------------------------------------------------------------------------
# sources: one line under every chart

def source_files(df: pd.DataFrame) -> list[str]:
    """The distinct file names behind a query result (its ``file``/``files`` columns)."""
    names: set[str] = set()
    for column in ("file", "files", "earlier_file", "later_file", "low_project_file", "example_file"):
        if column not in df:
            continue
        for value in df[column]:
            if isinstance(value, str):
                names.add(value)
            elif is_listlike(value):
                names.update(str(v) for v in (value.tolist() if hasattr(value, "tolist") else value))
    return sorted(n for n in names if n)


def source_names(df: pd.DataFrame) -> list[str]:
    """The display names (「单位 年度 类型」) of the documents behind a query result,
    from its ``doc_name`` columns (never file names: those are one click away on
    数据来源)."""
    names: set[str] = set()
    for column in ("doc_name", "earlier_doc_name", "example_doc_name"):
        if column in df:
            names.update(str(v) for v in df[column] if isinstance(v, str) and v)
    return sorted(names)


def source_count(df: pd.DataFrame | None) -> int:
    """How many documents a query result stands for: its ``docs_total`` (aggregated
    queries count them in SQL), else the distinct files or names it lists, else its
    ``docs`` summed (rows that are regions or region×years: their documents differ)."""
    if df is None or df.empty:
        return 0
    if "docs_total" in df:
        return int(first_value(df, "docs_total", 0))
    listed = max(len(source_files(df)), len(source_names(df)))
    if listed:
        return listed
    return int(df["docs"].fillna(0).sum()) if "docs" in df else 0


def source_line(df: pd.DataFrame | None) -> str:
    """The one source line under a chart, as plain text: the document's name when
    there is one (and it fits a phone), else 「来源：388 份报告」 (the page's caption
    links to their list on 数据来源). Never more than one line, and never 「来源：无」
    under a chart that has data: a result that counts no documents says how many
    projects (or rows) it summarises."""
    count = source_count(df) if df is not None else 0
    if count == 0:
        if df is None or df.empty:
            return "来源：无"
        for column in ("projects_total", "projects"):
            if column in df and df[column].notna().any():
                total = first_value(df, column, 0) if column == "projects_total" else df[column].max()
                return f"来源：{int(total):,} 个项目的报告"
        return f"来源：{len(df):,} 条记录"
    names = source_names(df)
    if len(names) == count == 1 and len(names[0]) <= 22:
        return "来源：" + names[0]
    return f"来源：{count:,} 份报告"


# ---------------------------------------------------------------------------
# layout

TITLE_TOP = 30      # px above the title: the chart toolbar sits there, never over the title
SOURCE_BOTTOM = 30  # px for the one source line under the x axis title
SUBTITLE_CHARS = 27  # a subtitle line fits a phone (Plotly does not wrap): longer notes split at "；"


LEGEND_ROW = 26  # px for the one-row legend between the subtitle and the plot


def _top_margin(lines: int, legend: bool = False, extra: int = 0) -> int:
    return TITLE_TOP + 30 + 17 * lines + (LEGEND_ROW if legend else 0) + extra


def color_key(items: Sequence[tuple[str, str]], symbol: str = "■") -> str:
    """The colour key for the subtitle ("■ 错误　■ 警告"), packed into lines that fit a
    phone (Plotly does not wrap): it never overlaps the title or the plot, unlike a
    Plotly legend that wraps in a narrow chart."""
    lines: list[list[str]] = [[]]
    width = 0
    for label, color in items:
        text = cut_text(label, 14)
        entry = f"<span style='color:{color}'>{symbol}</span> {svg(text)}"
        if lines[-1] and width + 3 + len(text) > SUBTITLE_CHARS:
            lines.append([])
            width = 0
        lines[-1].append(entry)
        width += 3 + len(text)
    return "<br>".join("　".join(line) for line in lines if line)


def status_key(warning_pct: float = WARNING_RATE_PCT, statuses: Sequence[str] = ()) -> list[tuple[str, str]]:
    """The colour key of a chart coloured by execution status: (label, colour), the
    警戒线 named with its value; `statuses` limits it to those drawn."""
    words = {"低于警戒线": f"低于 {warning_pct:g}% 警戒线", "达标": "达标", "超过预算": "超过预算", UNDISCLOSED: UNDISCLOSED}
    return [(words[s], STATUS_COLORS[s]) for s in STATUS_COLORS if not statuses or s in set(statuses)]


def grade_key(grades: Sequence[str] = ()) -> list[tuple[str, str]]:
    """The colour key of a chart coloured by grade band: 优 ≥90, 良 ≥80, 中 ≥60, 差."""
    floors = {grade: floor for floor, grade in GRADE_FLOORS}
    return [(f"{g} ≥{floors[g]:g}" if g in floors else f"{g} <{min(floors.values()):g}", GRADE_COLORS[g])
            for g in GRADE_ORDER if not grades or g in set(grades)]


def _pack(text: str, width: int = SUBTITLE_CHARS, most: int = 2) -> list[str]:
    """`text`'s "；"-separated parts packed into at most `most` lines of about
    `width` characters (a part longer than a line is cut with an ellipsis)."""
    lines: list[str] = []
    for part in (p for p in text.split("；") if p):
        if lines and len(lines[-1]) + 1 + len(part) <= width:
            lines[-1] += "；" + part
        else:
            lines.append(cut_text(part, width))
    if len(lines) > most:
        lines = lines[: most - 1] + [cut_text("；".join(lines[most - 1:]), width)]
    return lines


def _subtitle(context: str, note: str, key: str = "") -> tuple[str, int]:
    """The subtitle's text: the filters and years (`context`, plain text: a region's
    or project's name is escaped here), the builder's note, each packed into lines
    that fit a phone, then the colour key; and its number of lines."""
    lines = [svg(line) for line in _pack(context)] + _pack(note) + (key.split("<br>") if key else [])
    return "<br>".join(lines), len(lines)


def finish(fig: go.Figure, title: str, df: pd.DataFrame | None, *, height: int = 420,
           show_legend: bool = False, note: str = "", extra_top: int = 0,
           key: Sequence[tuple[str, str]] = (), table: dict | None = None, extra_bottom: int = 0) -> go.Figure:
    """Common layout: Chinese title; a subtitle with the builder's `note` (what is
    folded, what the colours mean) and the colour `key` (label, colour) — the
    filters go above them (`set_context`); CJK font, white background, one source
    line at the bottom. No Plotly legend unless asked for: in a half-width chart
    it wraps over the title.

    Height and margins are fixed by the caller's `height` (bounded) and never grow
    with the data; the top margin keeps the Plotly toolbar above the title. The
    note and key are kept in ``layout.meta`` so `set_context` can rebuild the
    subtitle."""
    key_text = color_key(key) if key else ""
    text, lines = _subtitle("", note, key_text)
    # No Plotly template: assigning one (even "plotly_white") deep-copies and
    # validates it, ~7 ms per figure on every rerun; the few looks it gave are set
    # directly here and on the axes.
    fig.layout.template = None
    fig.update_layout(
        title=dict(text=title, x=0, xref="container", xanchor="left", y=1, yref="container", yanchor="top",
                   pad=dict(t=TITLE_TOP, l=12), font=dict(size=16),
                   subtitle=dict(text=text, font=dict(size=12, color="#52606d"))),
        meta=dict(note=note, key=key_text, legend=show_legend, extra_top=extra_top, table=table),
        font=dict(family=FONT_FAMILY, size=13, color="#1f2933"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=int(min(MAX_HEIGHT, height)),
        margin=dict(l=12, r=24, t=_top_margin(lines, show_legend, extra_top), b=56 + SOURCE_BOTTOM + extra_bottom),
        showlegend=show_legend,
        # one row above the plot, under the subtitle (its own row in the margin)
        legend=dict(title_text="", font=dict(size=12), orientation="h", x=0, xanchor="left", y=1.0,
                    yanchor="bottom"),
        hoverlabel=dict(font_family=FONT_FAMILY),
        # a value label that would have to shrink below 10 px to fit its bar is left
        # to the hover, never drawn at 4 px on a phone
        uniformtext=dict(minsize=10, mode="hide"),
        separators=".,",
        modebar=dict(orientation="h", bgcolor="rgba(255,255,255,0.6)"),
    )
    # a bar's value label keeps its size: beside the bar (or inside when it fits,
    # "auto") never shrunk; a label that must stay inside (stacked bars) shrinks
    # to fit its segment and, below 10 px, is left to the hover (uniformtext)
    fig.for_each_trace(lambda t: t.update(constraintext="none" if t.textposition in ("outside", "auto") else "inside"),
                       selector=dict(type="bar"))
    axes = dict(automargin=True, gridcolor=GRID_COLOR, linecolor=GRID_COLOR, zerolinecolor=GRID_COLOR,
                zerolinewidth=1.5, title_standoff=10)
    fig.update_xaxes(**axes)
    fig.update_yaxes(**axes)
    bottom = 56 + SOURCE_BOTTOM + extra_bottom  # `extra_bottom`: x labels a phone turns upright
    fig.add_annotation(
        text=svg(source_line(df)), name="source", xref="paper", yref="paper", x=0, y=0, xanchor="left",
        yanchor="bottom", yshift=-(bottom - 6), showarrow=False, align="left", font=dict(size=11, color="#6b7785"),
    )
    return fig


def set_context(fig: go.Figure, context: str) -> go.Figure:
    """Put the filters and years a figure shows on the first line of its subtitle
    (the builder's note, if any, on the second), so the chart and its PNG stand
    alone in a meeting."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    text, lines = _subtitle(context, meta.get("note", ""), meta.get("key", ""))
    top = _top_margin(lines, bool(meta.get("legend")), int(meta.get("extra_top", 0)))
    # the plot keeps its height: the figure grows by what the subtitle added (bounded)
    grown = (fig.layout.height or 420) + top - (fig.layout.margin.t or top)
    fig.update_layout(title_subtitle_text=text, margin_t=top, height=int(min(MAX_HEIGHT, max(grown, MIN_HEIGHT))))
    return fig


def empty_figure(title: str, message: str = "当前筛选下没有数据") -> go.Figure:
    """A figure with no traces that says why (used for an empty DataFrame)."""
    fig = go.Figure()
    fig.add_annotation(text=message, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                       font=dict(size=15, color="#6b7785"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return finish(fig, title, None, height=260, show_legend=False)


def cut_text(text: object, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def short_label(text: object, width: int = 16) -> str:
    """`text` cut to `width` characters with an ellipsis, as Plotly text (escaped:
    a report's words are never markup; the full text goes in the hover)."""
    return svg(cut_text(text, width))


def upright_label(text: object, most: int = 6) -> str:
    """A column label written top to bottom, one character a line (how Chinese is
    set upright): 13 px wide whatever its length, so a dozen columns fit a phone
    with no label over another; cut to `most` characters (the hover has it whole)."""
    return "<br>".join(svg(ch) for ch in cut_text(text, most))


def wrap_label(text: str, width: int) -> str:
    """Break a long Chinese label into balanced lines of at most `width` characters
    (Plotly <br>), each line escaped."""
    text = str(text)
    lines = max(1, math.ceil(len(text) / width))
    per = math.ceil(len(text) / lines)
    return "<br>".join(svg(text[i:i + per]) for i in range(0, len(text), per))


def project_label(row: Mapping) -> str:
    """「项目（地区 年度）」 as Plotly text (escaped)."""
    return svg(plain_project_label(row))


def plain_project_label(row: Mapping) -> str:
    """「项目（地区 年度）」 as plain text (a spreadsheet's category)."""
    return f"{row['project_name']}（{region_label(row['region'])} {year_label(row['year'])}）"


def axis_label(row: Mapping, width: int = 11) -> str:
    """A project's axis label on two lines: its name cut to `width` characters,
    then region and year, smaller (the full name is in the hover)."""
    return (f"{short_label(row['project_name'], width)}<br><span style='font-size:11px;color:#6b7785'>"
            f"{svg(region_label(row['region']))} {year_label(row['year'])}</span>")


def unique_labels(labels: Sequence[str]) -> list[str]:
    """Labels made unique for a category axis (a second equal label gets a suffix),
    so two projects of the same name in one region and year stay two bars."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        k = seen.get(label, 0)
        seen[label] = k + 1
        out.append(label if k == 0 else f"{label}（{k + 1}）")
    return out


# What a click on a point needs: [region, year, file, project_name, field]. The ui
# filters the pages to the region (and year) or, when a file and project are
# given, opens 数据来源 at the line the `field` came from.
CLICK_COLUMNS = ("region", "year", "file", "project_name", "field")


def click_data(df: pd.DataFrame, field: str | None = None) -> list[list]:
    """Per row of `df`: [region, year, file, project_name, field] (missing parts None)."""
    out = []
    for row in df.to_dict("records"):
        year = row.get("year")
        out.append([row.get("region"), None if is_missing(year) else int(year), row.get("file"),
                    row.get("project_name"), field])
    return out


__all__ = [
    "ATTAINMENT_COLORS",
    "AXIS_UNITS",
    "BUDGET_OPACITY",
    "CLICK_COLUMNS",
    "DOC_KIND_LABELS",
    "ENTITY_LABELS",
    "FEW_PROJECTS",
    "FIELD_LABELS",
    "FONT_FAMILY",
    "GRADE_COLORS",
    "GRADE_ORDER",
    "GRID_COLOR",
    "HIGHLIGHT",
    "KIND_LABELS",
    "LABELS",
    "LEGEND_ROW",
    "LEVEL1_COLORS",
    "LEVEL1_OTHER",
    "MANY_REGIONS",
    "MAX_HEIGHT",
    "MIN_HEIGHT",
    "NEUTRAL",
    "PALETTE",
    "SEVERITY_COLORS",
    "SEVERITY_ORDER",
    "SOURCE_BOTTOM",
    "STATUS_COLORS",
    "TITLE_TOP",
    "TOP_N",
    "UNDISCLOSED",
    "UNKNOWN_REGION",
    "UNKNOWN_YEAR",
    "WARNING_RATE_PCT",
    "axis_label",
    "axis_title",
    "bar_height",
    "click_data",
    "colors_for",
    "cut_text",
    "empty_figure",
    "execution_status",
    "export_frame",
    "export_table",
    "finish",
    "first_value",
    "fmt_list",
    "fmt_number",
    "fmt_pct",
    "fmt_wan",
    "fold_note",
    "format_table",
    "grade_band",
    "grade_key",
    "heat_scale",
    "is_listlike",
    "is_missing",
    "plain_project_label",
    "project_label",
    "region_colors",
    "region_label",
    "set_context",
    "short_label",
    "source_count",
    "source_files",
    "source_line",
    "source_names",
    "status_key",
    "tint",
    "unique_labels",
    "upright_label",
    "wrap_label",
    "year_label",
]
