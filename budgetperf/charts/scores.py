"""得分分布: total scores, grades, section score rates, lost points.

Pure ``DataFrame -> go.Figure`` builders (see `budgetperf.charts`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from budgetperf.charts.common import (
    GRADE_ORDER,
    axis_title,
    bar_height,
    click_data,
    colors_for,
    empty_figure,
    finish,
    fmt_number,
    project_label,
    source_files,
)


def score_strip(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Box plus every project's total score, one box per region.

    Expects `scores/projects` columns (region, project_name, year, total_score, grade, file).
    """
    title = "项目总得分分布（按地区）"
    df = df[df["total_score"].notna()] if not df.empty else df
    if df.empty:
        return empty_figure(title, "当前筛选下没有项目总得分")
    colors = colors_for(df, colors)
    fig = go.Figure()
    for region, part in df.groupby("region", sort=True):
        fig.add_box(x=[region] * len(part), y=part["total_score"], name=region, marker_color=colors[region],
                    boxpoints="all", jitter=0.35, pointpos=0, marker=dict(size=11, opacity=0.85),
                    line=dict(width=1.5), fillcolor="rgba(0,0,0,0)", customdata=click_data(part),
                    text=[project_label(r) for r in part.to_dict("records")],
                    hovertemplate="%{text}<br>总得分：%{y}<extra></extra>")
    low = min(55.0, float(df["total_score"].min()) - 5)
    for band, name in ((90, "优 ≥90"), (80, "良 ≥80"), (60, "中 ≥60")):
        if band > low:
            fig.add_hline(y=band, line_dash="dot", line_color="#9aa5b1", annotation_text=name,
                          annotation_position="right", annotation_font_color="#6b7785")
    fig.update_yaxes(title_text=axis_title("total_score"), range=[low, 104])
    fig.update_xaxes(title_text=axis_title("region"))
    return finish(fig, title, source_files(df), height=420)


def grade_counts(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Grouped bars: number of projects per grade (优/良/中/差), one bar per region.

    Expects `scores/grades` columns (region, grade, projects, files).
    """
    title = "评价等级分布（项目数）"
    if df.empty:
        return empty_figure(title)
    colors = colors_for(df, colors)
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
    return finish(fig, title, source_files(df), height=380)


def section_rates(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Horizontal bars of each evaluation section's score rate (score / max).

    Expects `scores/sections` columns (region, year, project_name, section, max_score,
    score, score_rate_pct).
    """
    title = "各评价部分得分率（得分/分值，%）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有分项得分（报告未写各部分得分）")
    colors = colors_for(df, colors)
    df = df.assign(label=[f"{r['project_name']} · {r['section']}" for r in df.to_dict("records")])
    fig = go.Figure()
    for region, part in df.groupby("region", sort=True):
        fig.add_bar(y=part["label"], x=part["score_rate_pct"], orientation="h", name=region,
                    marker_color=colors[region], customdata=click_data(part),
                    text=[f"{fmt_number(s)}/{fmt_number(m)} 分" for s, m in zip(part["score"], part["max_score"])],
                    textposition="outside", hovertemplate="%{y}<br>得分率：%{x:.2f}%<extra></extra>")
    fig.add_vline(x=100, line_color="#1f2933", line_width=1)
    fig.update_xaxes(title_text=axis_title("score_rate_pct"), range=[0, 125], ticksuffix="%")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(bargap=0.3)
    return finish(fig, title, source_files(df), height=bar_height(len(df), per_bar=28, base=180))


def lost_points(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Horizontal bars of points lost per indicator or section (max − score).

    Expects `scores/lost_points` columns (item_kind, region, year, project_name, item,
    max_score, score, lost_points).
    """
    title = "失分项（分值 − 得分）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有失分项：所有已评分指标和评价部分均得满分")
    colors = colors_for(df, colors)
    df = df.assign(label=[f"{r['project_name']} · {r['item']}（{r['item_kind']}）" for r in df.to_dict("records")])
    fig = go.Figure()
    for region, part in df.groupby("region", sort=True):
        fig.add_bar(y=part["label"], x=part["lost_points"], orientation="h", name=region,
                    marker_color=colors[region], customdata=click_data(part),
                    text=[f"失 {fmt_number(lost)} 分（{fmt_number(s)}/{fmt_number(m)}）"
                          for lost, s, m in zip(part["lost_points"], part["score"], part["max_score"])],
                    textposition="outside", hovertemplate="%{y}<br>失分：%{x}<extra></extra>")
    top = float(df["lost_points"].max())
    fig.update_xaxes(title_text=axis_title("lost_points"), range=[0, top * 1.6 + 0.5])
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(bargap=0.35)
    return finish(fig, title, source_files(df), height=bar_height(len(df), per_bar=34, base=180))
