"""得分分布: total scores (points per region when few, a histogram when many),
grades, section score rates, where points were lost.

Scores are coloured by their grade band (优/良/中/差), not by region.
Pure ``DataFrame -> go.Figure`` builders (see `budgetperf.charts`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from budgetperf.charts.common import (
    GRADE_COLORS,
    GRADE_ORDER,
    HIGHLIGHT,
    MANY_REGIONS,
    NEUTRAL,
    axis_title,
    bar_height,
    click_data,
    colors_for,
    empty_figure,
    export_table,
    finish,
    first_value,
    fmt_number,
    fold_note,
    grade_band,
    grade_key,
    plain_project_label,
    project_label,
    region_label,
    short_label,
    unique_labels,
)
from budgetperf.charts.safe import svg
from budgetperf.vocabulary import GRADE_FLOORS

# Points lost are not a status: one dark neutral, never the red of 低于警戒线.
LOST_COLOR = HIGHLIGHT

# A strip of every project's score stays readable up to this many points.
MAX_POINTS = 60


def _score_pct(df: pd.DataFrame) -> pd.Series:
    weight = df["total_weight"].fillna(100).where(df["total_weight"].fillna(100) > 0, 100)
    return df["total_score"] / weight * 100


def score_strip(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Every project's total score, one column per region, each point coloured by
    its grade band, with the 优/良/中 lines. For up to MAX_POINTS projects; the
    page draws `score_histogram` above that.

    Expects `scores/projects` columns. A click on a point opens the score's line.
    """
    title = "项目总得分分布（按地区）"
    df = df[df["total_score"].notna()] if not df.empty else df
    if df.empty:
        return empty_figure(title, "当前筛选下没有项目总得分")
    df = df.head(MAX_POINTS).assign(band=lambda d: [grade_band(v) for v in _score_pct(d)],
                                    region_shown=lambda d: [svg(region_label(r)) for r in d["region"]])
    fig = go.Figure()
    regions = sorted(df["region_shown"].unique())
    for grade in GRADE_ORDER:
        part = df[df["band"] == grade]
        if part.empty:
            continue
        fig.add_box(x=part["region_shown"], y=part["total_score"], name=grade, marker_color=GRADE_COLORS[grade],
                    boxpoints="all", jitter=0.35, pointpos=0, marker=dict(size=11, opacity=0.9),
                    line=dict(width=0), fillcolor="rgba(0,0,0,0)", customdata=click_data(part, "total_score"),
                    text=[project_label(r) for r in part.to_dict("records")],
                    hovertemplate="%{text}<br>总得分：%{y}<extra>点击查看原文</extra>")
    low = min(55.0, float(df["total_score"].min()) - 5)
    for band, name in ((floor, f"{grade} ≥{floor:g}") for floor, grade in GRADE_FLOORS):
        if band > low:
            fig.add_hline(y=band, line_dash="dot", line_color="#9aa5b1", annotation_text=name,
                          annotation_position="right", annotation_font_color="#6b7785")
    fig.update_yaxes(title_text=axis_title("total_score"), range=[low, 104])
    fig.update_xaxes(title_text="", type="category", categoryorder="array", categoryarray=regions)
    fig.update_layout(boxmode="overlay")
    total = int(first_value(df, "projects_total", len(df)))
    table = export_table([plain_project_label(r) for r in df.to_dict("records")], {"总得分": df["total_score"]},
                         unit="分", category="项目", kind="barh")
    finish(fig, title, df, height=420, note=fold_note(len(df), total, "个项目", "得分最低的"),
           key=grade_key([g for g in GRADE_ORDER if g in set(df["band"])]), table=table)
    return fig.update_layout(margin_r=64)  # room for the 优/良/中 labels right of the plot


def score_histogram(df: pd.DataFrame) -> go.Figure:
    """How many projects scored each point (as a share of full marks), coloured by
    grade band: the distribution when there are too many projects to name.

    Expects `scores/histogram` columns (band_start, projects, docs_total)."""
    title = "项目总得分分布（项目数）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有项目总得分")
    # every point between the lowest and the highest, empty ones too: an axis that
    # skipped them would space 74, 77, 78 and 80 evenly
    counts = df.groupby("band_start")["projects"].sum()
    bands = list(range(int(counts.index.min()), int(counts.index.max()) + 1))
    counts = counts.reindex(bands, fill_value=0)
    labels = ["<60" if b < 60 else f"{int(b)}" for b in bands]
    grades = [grade_band(max(b, 0)) for b in bands]
    # a number axis, one bar a point: every few points labelled (never crowded on a
    # phone), the empty points keep their place
    step = next(s for s in (1, 2, 5, 10, 20) if len(bands) / s <= 8)
    ticks = [b for b in bands if b % step == 0 or b == bands[0]]
    fig = go.Figure(go.Bar(
        x=bands, y=counts.tolist(), width=0.85, marker_color=[GRADE_COLORS[g] for g in grades],
        text=[f"{int(v):,}" if v else "" for v in counts] if len(bands) <= 12 else None,
        textposition="outside", cliponaxis=False, customdata=labels,
        hovertemplate="%{customdata} 分：%{y:,} 个项目<extra></extra>"))
    fig.update_xaxes(type="linear", title_text="总得分（百分制，分）", tickmode="array", tickvals=ticks,
                     ticktext=["<60" if b < 60 else str(int(b)) for b in ticks], range=[bands[0] - 0.6, bands[-1] + 0.6])
    fig.update_yaxes(title_text=axis_title("projects"), range=[0, float(counts.max()) * 1.2 + 1])
    table = export_table(labels, {"项目数": counts.tolist()}, unit="个", category="总得分（分）", kind="bar")
    return finish(fig, title, df, height=380, show_legend=False, key=grade_key(sorted(set(grades), key=GRADE_ORDER.index)),
                  table=table)


def grade_counts(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Bars of the number of projects per grade (优/良/中/差): grouped by region
    when the query gives regions (few), else one bar per grade in its colour.

    Expects `scores/grades` columns (region, grade, projects, projects_derived).
    """
    title = "评价等级分布（项目数）"
    if df.empty:
        return empty_figure(title)
    fig = go.Figure()
    colors = colors_for(df, colors)
    if df["region"].nunique() > MANY_REGIONS:  # too many to tell apart: one bar per grade
        df = (df.groupby("grade", as_index=False)[["projects", "projects_derived"]].sum()
              .assign(region="全部地区", docs_total=first_value(df, "docs_total", 0)))
    regions = sorted(df["region"].unique())
    if regions == ["全部地区"]:
        counts = df.set_index("grade")["projects"].reindex(GRADE_ORDER).fillna(0)
        fig.add_bar(x=list(GRADE_ORDER), y=counts, marker_color=[GRADE_COLORS[g] for g in GRADE_ORDER],
                    text=[f"{int(v):,}" if v else "" for v in counts], textposition="outside",
                    hovertemplate="%{x}：%{y:,} 个<extra></extra>", showlegend=False)
        series = {"项目数": counts.tolist()}
    else:
        series = {}
        for region, part in df.groupby("region", sort=True):
            counts = part.set_index("grade")["projects"].reindex(GRADE_ORDER).fillna(0)
            series[region] = counts.tolist()
            # values on the bars while they are wide enough for them (three regions)
            fig.add_bar(x=list(GRADE_ORDER), y=counts, name=svg(region), marker_color=colors.get(region, NEUTRAL),
                        text=[fmt_number(v) if v else "" for v in counts] if df["region"].nunique() <= 3 else None,
                        textposition="outside",
                        customdata=[[region, None, None, None, None]] * len(GRADE_ORDER),
                        hovertemplate=svg(region) + " %{x}：%{y} 个<extra></extra>")
    top = float(df.groupby("grade")["projects"].sum().max() if regions == ["全部地区"] else df["projects"].max())
    fig.update_yaxes(title_text=axis_title("projects"), range=[0, top * 1.3 + 0.5], dtick=1 if top < 8 else None)
    fig.update_xaxes(title_text=axis_title("grade"), type="category", categoryorder="array",
                     categoryarray=list(GRADE_ORDER))
    fig.update_layout(barmode="group", bargap=0.3)
    derived = int(df["projects_derived"].sum()) if "projects_derived" in df else 0
    note = f"其中 {derived:,} 个项目的等级由得分推算（报告未写等级）" if derived else ""
    key = grade_key() if regions == ["全部地区"] else [(r, colors.get(r, NEUTRAL)) for r in regions]
    table = export_table(list(GRADE_ORDER), series, unit="个", category="等级", kind="bar")
    return finish(fig, title, df, height=380, note=note, key=key, table=table)


def section_rates(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Horizontal bars of each evaluation section's score rate (score / max),
    coloured by grade band: per project and section for a few projects, per
    section over all projects otherwise.

    Expects `scores/sections` columns (project_id, region, year, project_name,
    section, max_score, score, score_rate_pct, projects, projects_total).
    """
    title = "各评价部分得分率（%）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有分项得分（报告未写各部分得分）")
    per_project = df["project_id"].notna().any()
    if per_project:
        labels = unique_labels([f"{short_label(r['project_name'], 9)} · {svg(r['section'])}<br>"
                                f"<span style='font-size:11px;color:#6b7785'>{svg(region_label(r['region']))}</span>"
                                for r in df.to_dict("records")])
        hover = [f"{project_label(r)} · {svg(r['section'])}" for r in df.to_dict("records")]
        plain_labels = [f"{plain_project_label(r)} · {r['section']}" for r in df.to_dict("records")]
    else:
        labels = [f"{svg(s)}（{int(n):,} 个项目）" for s, n in zip(df["section"], df["projects"])]
        hover = [svg(s) for s in df["section"]]
        plain_labels = list(df["section"])
    fig = go.Figure(go.Bar(
        y=labels, x=df["score_rate_pct"], orientation="h",
        marker_color=[GRADE_COLORS[grade_band(v) or "差"] for v in df["score_rate_pct"]],
        customdata=click_data(df, None) if per_project else None, hovertext=hover,
        text=[f"{fmt_number(s)}/{fmt_number(m)} 分" for s, m in zip(df["score"], df["max_score"])],
        textposition="auto", insidetextanchor="end", cliponaxis=False, hovertemplate="%{hovertext}<br>得分率：%{x:.2f}%<extra></extra>"))
    fig.add_vline(x=100, line_color="#1f2933", line_width=1)
    fig.update_xaxes(title_text=axis_title("score_rate_pct"), range=[0, 130], ticksuffix="%")
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(bargap=0.3)
    total = int(first_value(df, "projects_total", 0) or 0)
    shown = df["project_id"].nunique() if per_project else total
    table = export_table(plain_labels, {"得分率": df["score_rate_pct"]}, unit="%", category="评价部分", kind="barh")
    return finish(fig, title, df, height=bar_height(len(df), per_bar=44 if per_project else 32, base=200),
                  show_legend=False,
                  note=fold_note(shown, total, "个项目", "得分率最低的") if per_project else
                  f"{total:,} 个项目的各部分合计", table=table,
                  key=grade_key(sorted({grade_band(v) or "差" for v in df["score_rate_pct"]}, key=GRADE_ORDER.index)))


def lost_points(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Horizontal bars of points lost per item (indicator or section) and project
    (max − score), for a few rows.

    Expects `scores/lost_points` columns (item_kind, region, year, project_name,
    item, max_score, score, lost_points). A click opens the item's line.
    """
    title = "失分项（分值 − 得分）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有失分项：所有已评分指标和评价部分均得满分")
    df = df.reset_index(drop=True)
    labels = unique_labels([f"{short_label(r['item'], 12)}<br><span style='font-size:11px;color:#6b7785'>"
                            f"{short_label(r['project_name'], 10)} {svg(region_label(r['region']))}</span>"
                            for r in df.to_dict("records")])
    fig = go.Figure(go.Bar(
        y=labels, x=df["lost_points"], orientation="h", marker_color=LOST_COLOR,
        customdata=[[r["region"], None, r["file"], r["project_name"], f"line:{r['line_start']}"]
                    for r in df.to_dict("records")],
        hovertext=[f"{project_label(r)} · {svg(r['item'])}（{r['item_kind']}）" for r in df.to_dict("records")],
        text=[f"失 {fmt_number(lost)} 分（{fmt_number(s)}/{fmt_number(m)}）"
              for lost, s, m in zip(df["lost_points"], df["score"], df["max_score"])],
        textposition="auto", insidetextanchor="end", cliponaxis=False, hovertemplate="%{hovertext}<br>失分：%{x}<extra>点击查看原文</extra>"))
    top = float(df["lost_points"].max())
    fig.update_xaxes(title_text=axis_title("lost_points"), range=[0, top * 1.7 + 0.5])
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(bargap=0.35)
    total = int(first_value(df, "total_rows", len(df)))
    table = export_table([f"{r['item']}（{plain_project_label(r)}）" for r in df.to_dict("records")],
                         {"失分": df["lost_points"]}, unit="分", category="条目", kind="barh")
    return finish(fig, title, df, height=bar_height(len(df), per_bar=44, base=200), show_legend=False,
                  note=fold_note(len(df), total, "条", "失分最多的"), table=table)


def lost_items(df: pd.DataFrame) -> go.Figure:
    """Horizontal bars of the items that lost the most points over all projects
    (summed), with how many projects lost points on each.

    Expects `scores/lost_items` columns (item_kind, item, lost_points, projects,
    items_total). A click opens the project that lost most on the item."""
    title = "失分最多的条目（失分合计）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有失分项：所有已评分指标和评价部分均得满分")
    df = df.sort_values("rank").reset_index(drop=True)
    fig = go.Figure(go.Bar(
        y=unique_labels([short_label(i, 16) for i in df["item"]]), x=df["lost_points"], orientation="h",
        marker_color=LOST_COLOR,
        customdata=[[r["example_region"], None, r["example_file"], r["example_project"],
                     f"line:{r['example_line_start']}"] for r in df.to_dict("records")],
        hovertext=[f"{svg(i)}（{k}）" for i, k in zip(df["item"], df["item_kind"])],
        # the points on the bar (a phone has room for no more); the projects in the hover
        text=[f"{fmt_number(v)} 分" for v in df["lost_points"]],
        textposition="auto", insidetextanchor="end", cliponaxis=False,
        hovertemplate="%{hovertext}<br>失分合计：%{x}<extra>点击查看失分最多的项目原文</extra>"))
    fig.update_traces(hovertext=[f"{svg(i)}（{k}，{int(n):,} 个项目）"
                                 for i, k, n in zip(df["item"], df["item_kind"], df["projects"])])
    fig.update_xaxes(title_text=axis_title("lost_points"), range=[0, float(df["lost_points"].max()) * 1.6 + 0.5])
    fig.update_yaxes(autorange="reversed", type="category")
    total = int(first_value(df, "items_total", len(df)))
    table = export_table(df["item"].tolist(), {"失分合计": df["lost_points"]}, unit="分", category="条目", kind="barh")
    return finish(fig, title, df, height=bar_height(len(df), per_bar=30, base=170), show_legend=False,
                  note=fold_note(len(df), total, "个条目"), table=table)
