"""指标完成: indicator score rates, 量化率, attainment classes.

Pure ``DataFrame -> go.Figure`` builders (see `budgetperf.charts`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from budgetperf.charts.common import (
    ATTAINMENT_COLORS,
    axis_title,
    bar_height,
    colors_for,
    empty_figure,
    finish,
    fmt_number,
    fmt_pct,
    project_label,
    source_files,
    wrap_label,
    year_label,
)


def indicator_heatmap(df: pd.DataFrame) -> go.Figure:
    """Heatmap of score rate (%) by second-level indicator (x) and project (y).

    Expects `indicators/heatmap` columns. Cells without a scored indicator stay blank.
    """
    title = "二级指标得分率（%，按项目）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有已评分的指标（绩效目标表尚未评分）")
    df = df.assign(label=[project_label(r) for r in df.to_dict("records")])
    level2_order = (df[["level1", "level2"]].drop_duplicates()
                    .sort_values(["level1", "level2"])["level2"].drop_duplicates().tolist())
    projects = df.drop_duplicates("label").sort_values(["region", "year", "project_name"])["label"].tolist()
    grid = df.pivot_table(index="label", columns="level2", values="score_rate_pct", aggfunc="mean")
    grid = grid.reindex(index=projects, columns=level2_order)
    text = [["" if pd.isna(v) else f"{v:.0f}%" for v in row] for row in grid.to_numpy()]
    # wrapped, unrotated column labels: rotated ones would run into the source line
    # the axis title already says 二级指标, so the common suffix goes
    columns = [wrap_label(name[:-2] if name.endswith("指标") and len(name) > 2 else name, 5) for name in level2_order]
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=columns, y=projects, text=text, texttemplate="%{text}",
        colorscale="RdYlGn", zmin=0, zmax=100, xgap=2, ygap=2,
        colorbar=dict(title=dict(text="得分率（%）"), ticksuffix="%"),
        hovertemplate="%{y}<br>%{x}：%{z:.2f}%<extra></extra>",
    ))
    fig.update_xaxes(title_text=axis_title("level2"), tickangle=0, side="bottom")
    fig.update_yaxes(autorange="reversed")
    return finish(fig, title, source_files(df), height=bar_height(len(projects), per_bar=48, base=230))


def quantified_rate(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Bars of 量化率 (share of indicators with a numeric target) per region and year.

    Expects `indicators/quantified` columns (region, year, indicators, quantified, quantified_pct).
    """
    title = "量化率：有数值目标的指标占比（%）"
    if df.empty:
        return empty_figure(title)
    colors = colors_for(df, colors)
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
    return finish(fig, title, source_files(df), height=400)


def attainment_mix(df: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: how many indicators of each project fall in each attainment class.

    Expects `indicators/attainment` columns (project_name, region, year, attainment_zh, indicators).
    """
    title = "指标完成情况（个）"
    if df.empty:
        return empty_figure(title)
    df = df.assign(label=[project_label(r) for r in df.to_dict("records")])
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
    return finish(fig, title, source_files(df), height=bar_height(len(projects), per_bar=38, base=200))
