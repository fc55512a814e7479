"""Chart types several pages share: a ranking of regions (the lowest N, the
highest N, pinned ones, the rest folded) and a region × year heatmap.

Both are bounded whatever the number of regions: the query returns the ranked
rows only (``rank``, ``rank_desc``, ``regions_total``, ``is_pinned``), and the
height is fixed by the rows shown. Rates and scores are coloured by status (below
the 警戒线, grade bands) with the key in the subtitle, the heatmap by a graded
scale with its colour bar; the region is named by position and label.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from budgetperf.charts.common import (
    GRADE_COLORS,
    HIGHLIGHT,
    LEGEND_ROW,
    NEUTRAL,
    STATUS_COLORS,
    UNDISCLOSED,
    WARNING_RATE_PCT,
    bar_height,
    empty_figure,
    execution_status,
    export_table,
    finish,
    first_value,
    fmt_number,
    fmt_pct,
    grade_band,
    grade_key,
    heat_scale,
    is_missing,
    region_label,
    status_key,
    year_label,
)
from budgetperf.charts.safe import svg

# measure → (title word, unit, how it is coloured)
MEASURES = {
    "execution_rate_pct": ("加权执行率", "%", "status"),
    "avg_score": ("平均得分", "分", "grade"),
    "quantified_pct": ("量化率", "%", "plain"),
}


def value_color(measure: str, value: object, warning_pct: float = WARNING_RATE_PCT) -> str:
    """A value's colour: execution rates by status against the 警戒线, scores by
    grade band, other measures neutral."""
    kind = MEASURES.get(measure, ("", "", "plain"))[2]
    if is_missing(value):
        return STATUS_COLORS[UNDISCLOSED]
    if kind == "status":
        return STATUS_COLORS[execution_status(value, warning_pct)]
    if kind == "grade":
        return GRADE_COLORS[grade_band(value)]
    return NEUTRAL


def fmt_value(measure: str, value: object) -> str:
    if is_missing(value):
        return UNDISCLOSED if measure == "execution_rate_pct" else "—"
    return fmt_pct(value) if MEASURES.get(measure, ("", "%"))[1] == "%" else f"{fmt_number(value)} 分"


def region_ranking(df: pd.DataFrame, measure: str = "execution_rate_pct", *, title: str | None = None,
                   warning_pct: float = WARNING_RATE_PCT) -> go.Figure:
    """Horizontal bars of regions ranked by `measure` (lowest first), coloured by status.

    Expects a ranking query's columns: region, the measure column (or ``value``),
    rank, rank_desc, regions_total, is_pinned. Rows beyond the lowest ones (the
    highest, pinned) are set apart by a gap line saying how many lie between.
    A click on a bar filters the pages to that region.
    """
    word, unit, _kind = MEASURES.get(measure, (measure, "", "plain"))
    title = title or f"各地区{word}排名"
    if df.empty:
        return empty_figure(title)
    df = df.sort_values("rank").reset_index(drop=True)
    values = df[measure] if measure in df else df["value"]
    total = int(first_value(df, "regions_total", len(df)))
    labels, gaps = [], []
    previous = 0
    for rank, region, pinned in zip(df["rank"], df["region"], df.get("is_pinned", [False] * len(df))):
        if rank > previous + 1 and previous:
            gaps.append((len(labels), int(rank - previous - 1)))
        previous = int(rank)
        labels.append(f"{'★ ' if pinned else ''}{int(rank)}. {svg(region_label(region))}")
    colors = [value_color(measure, v, warning_pct) for v in values]
    fig = go.Figure(go.Bar(
        y=labels, x=values.fillna(0), orientation="h", marker=dict(
            color=colors, line=dict(color=[HIGHLIGHT if p else "rgba(0,0,0,0)"
                                           for p in df.get("is_pinned", [False] * len(df))], width=2)),
        text=[fmt_value(measure, v) for v in values], textposition="outside", cliponaxis=False,
        customdata=[[r, None, None, None, None] for r in df["region"]],
        hovertemplate="%{y}<br>" + word + "：%{text}<extra>点击筛选到该地区</extra>",
    ))
    if unit == "%":
        top = max(125.0, float(values.max(skipna=True) or 0) + 25)  # room for the labels outside the bars
        if measure == "execution_rate_pct":
            fig.add_vline(x=warning_pct, line_color=STATUS_COLORS["低于警戒线"], line_dash="dash", line_width=1.2)
            fig.add_vline(x=100, line_color="#1f2933", line_width=1)
        fig.update_xaxes(range=[0, top], ticksuffix="%")
    else:
        low = float(values.min(skipna=True) or 0)
        fig.update_xaxes(range=[max(0.0, min(low - 10, 50.0)), 106])
        for floor, grade in ((90, "优"), (80, "良"), (60, "中")):
            if floor > min(low - 10, 50.0):
                fig.add_vline(x=floor, line_dash="dot", line_color="#9aa5b1")
    for position, hidden in gaps:
        fig.add_annotation(x=0, xref="paper", xanchor="left", y=position - 0.5, yref="y", showarrow=False,
                           text=f"⋯ 另有 {hidden:,} 个地区 ⋯", font=dict(size=11, color="#6b7785"),
                           bgcolor="white")
    fig.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=labels)
    fig.update_layout(bargap=0.3)
    note = (f"显示 {len(df)} / 共 {total:,} 个地区" + ("；★ 为关注地区" if df.get("is_pinned", pd.Series()).any()
                                                    else "")) if total > len(df) else ""
    table = export_table([label.split(". ", 1)[-1] for label in labels], {word: values}, unit=unit,
                         category="地区", kind="barh")
    return finish(fig, title, df, height=bar_height(len(df) + len(gaps), per_bar=28, base=150),
                  show_legend=False, note=note, key=_key(measure, values, warning_pct), table=table)


def _key(measure: str, values: pd.Series, warning_pct: float) -> list[tuple[str, str]]:
    """The colour key of a ranking: the statuses or grade bands drawn (none for a
    measure drawn in one neutral colour)."""
    kind = MEASURES.get(measure, ("", "", "plain"))[2]
    if kind == "status":
        return status_key(warning_pct, [execution_status(v, warning_pct) for v in values])
    if kind == "grade":
        return grade_key([grade_band(v) for v in values if not is_missing(v)])
    return []


def region_year_heatmap(df: pd.DataFrame, measure: str = "execution_rate_pct", *, title: str | None = None,
                        order: list[str] | None = None, warning_pct: float = WARNING_RATE_PCT) -> go.Figure:
    """Heatmap of `measure` by region (rows, in `order`) and year (columns), each
    cell labelled with its value and coloured on a graded scale whose hue is the
    status (an execution rate red below the 警戒线, green to 100%, amber above; a
    score by grade band) and whose shade is the value, with the colour bar above
    the plot: 32.70% and 89.83% are both red, not the same red. A click on a cell
    filters the pages to that region and year.

    Expects region, year and the measure column (or ``value``)."""
    word, unit, kind = MEASURES.get(measure, (measure, "", "plain"))
    title = title or f"各地区历年{word}"
    if df.empty:
        return empty_figure(title)
    col = measure if measure in df else "value"
    df = df.assign(year_label=[year_label(y) for y in df["year"]], region=[region_label(r) for r in df["region"]])
    regions = [r for r in (order or sorted(df["region"].unique())) if r in set(df["region"])]
    years = sorted(df["year_label"].unique())
    grid = df.pivot_table(index="region", columns="year_label", values=col, aggfunc="mean").reindex(
        index=regions, columns=years)
    # one decimal, no unit: the colour bar and the hover carry it, and the figure
    # stays legible in a 40 px cell on a phone
    text = [["" if pd.isna(v) else f"{v:.1f}" for v in row] for row in grid.to_numpy()]
    hover = [["" if pd.isna(v) else fmt_value(measure, v) for v in row] for row in grid.to_numpy()]
    custom = [[[r, int(y) if y.isdigit() else None, None, None, None] for y in years] for r in regions]
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=years, y=[svg(r) for r in regions], text=text, texttemplate="%{text}",
        hovertext=hover, textfont=dict(size=12), xgap=2, ygap=2, customdata=custom,
        hovertemplate="%{y} %{x}<br>" + word + "：%{hovertext}<extra>点击筛选到该地区与年度</extra>",
        **heat_scale(kind, warning_pct),
    ))
    # many years in a half-width chart: the years stand upright rather than overlap
    upright = len(years) > 5
    fig.update_xaxes(type="category", side="bottom", title_text="", tickangle=-90 if upright else 0)
    fig.update_yaxes(autorange="reversed", type="category")
    table = export_table(regions, {y: grid[y].tolist() for y in years}, unit=unit, category="地区", kind="grid")
    return finish(fig, title, df, height=bar_height(len(regions), per_bar=28, base=190 + (24 if upright else 0)),
                  show_legend=False, extra_top=LEGEND_ROW + 12, extra_bottom=24 if upright else 0, table=table,
                  note=f"{word}（{unit}）：颜色表示状态，深浅表示高低" if kind != "plain" else f"{word}（{unit}）")
