"""地区对比: regions side by side, indicator mix, trends, earlier results vs later targets.

Pure ``DataFrame -> go.Figure`` builders (see `budgetperf.charts`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from budgetperf.charts.common import (
    LEVEL1_COLORS,
    MANY_REGIONS,
    NEUTRAL,
    UNDISCLOSED,
    WARNING_RATE_PCT,
    axis_title,
    bar_height,
    colors_for,
    empty_figure,
    finish,
    first_value,
    fmt_number,
    fold_note,
    region_label,
    short_label,
    tint,
    year_label,
)
from budgetperf.charts.rankings import MEASURES, fmt_value, value_color

# An indicator-mix chart shows at most this many region×year columns.
MAX_COLUMNS = 16


def region_measures(df: pd.DataFrame, colors: Mapping[str, str] | None = None,
                    warning_pct: float = WARNING_RATE_PCT) -> go.Figure:
    """A few regions side by side: one panel per measure (加权执行率, 平均得分,
    量化率), one bar per region and year. Rates are coloured by status against the
    警戒线, scores by grade band, 量化率 by region; a missing value is labelled 未披露.
    For many regions the page shows `rankings.region_ranking` instead.

    Expects `regions/measures` columns (region, year, execution_rate_pct,
    avg_score, quantified_pct). A click on a bar filters to the region and year.
    """
    title = "各地区三项指标对比"
    if df.empty:
        return empty_figure(title)
    colors = colors_for(df, colors)
    df = df.sort_values(["region", "year"])
    fig = make_subplots(rows=1, cols=len(MEASURES), subplot_titles=[m[0] for m in MEASURES.values()],
                        horizontal_spacing=0.07)
    x = [f"{region_label(r)}<br>{year_label(y)}" for r, y in zip(df["region"], df["year"])]
    custom = [[r, None if pd.isna(y) else int(y), None, None, None] for r, y in zip(df["region"], df["year"])]
    for col, (measure, (word, unit, kind)) in enumerate(MEASURES.items(), start=1):
        values = df[measure]
        bar_colors = ([colors.get(r, NEUTRAL) for r in df["region"]] if kind == "plain"
                      else [value_color(measure, v, warning_pct) for v in values])
        fig.add_bar(x=x, y=values.fillna(0), name=word, showlegend=False, marker_color=bar_colors,
                    marker_opacity=[0 if pd.isna(v) else 1 for v in values], customdata=custom,
                    text=[fmt_value(measure, v) for v in values], textposition="outside", cliponaxis=False,
                    hovertemplate="%{x}<br>" + word + "：%{text}<extra>点击筛选到该地区与年度</extra>",
                    row=1, col=col)
        fig.update_yaxes(range=[0, 118], ticksuffix="%" if unit == "%" else "", row=1, col=col)
        if measure == "execution_rate_pct":
            fig.add_hline(y=warning_pct, line_dash="dash", line_color="#C62828", line_width=1, row=1, col=col)
    fig.update_xaxes(type="category", tickangle=0)
    fig.update_layout(bargap=0.35)
    return finish(fig, title, df, height=430, show_legend=False, extra_top=24,  # subplot titles
                  note=f"执行率红色为低于 {warning_pct:g}% 警戒线；得分按等级着色")


def indicator_mix(df: pd.DataFrame) -> go.Figure:
    """100% stacked bars per region and year: share of indicators by level-1 class.

    Expects `regions/indicator_mix` columns (region, year, level1, indicators).
    """
    title = "指标结构：一级指标占比（%）"
    if df.empty:
        return empty_figure(title)
    totals = df.groupby(["region", "year", "level1"], as_index=False)["indicators"].sum()
    totals["share_pct"] = totals["indicators"] / totals.groupby(["region", "year"])["indicators"].transform("sum") * 100
    totals["x"] = [year_label(y) if r == "全部地区" else f"{region_label(r)} {year_label(y)}"
                   for r, y in zip(totals["region"], totals["year"])]
    order = totals.sort_values(["region", "year"])["x"].drop_duplicates().tolist()
    shown = order[-MAX_COLUMNS:]  # the latest columns when there are more than fit
    totals = totals[totals["x"].isin(shown)]
    fig = go.Figure()
    level1s = sorted(totals["level1"].unique(), key=lambda v: (list(LEVEL1_COLORS).index(v)
                                                                if v in LEVEL1_COLORS else 99, v))
    for level1 in level1s:
        part = totals[totals["level1"] == level1].set_index("x").reindex(shown)
        fig.add_bar(x=shown, y=part["share_pct"], name=level1, marker_color=LEVEL1_COLORS.get(level1, "#BAB0AC"),
                    text=[f"{v:.0f}%" if not pd.isna(v) else "" for v in part["share_pct"]],
                    customdata=part["indicators"].fillna(0), textposition="inside", textangle=0,
                    hovertemplate="%{x}<br>" + level1 + "：%{y:.1f}%（%{customdata} 个）<extra></extra>")
    fig.update_layout(barmode="stack", bargap=0.3)
    fig.update_yaxes(title_text=axis_title("share_pct"), range=[0, 100], ticksuffix="%")
    fig.update_xaxes(title_text=axis_title("region_year"), type="category")
    return finish(fig, title, df, height=400, note=fold_note(len(shown), len(order), "列", "最近的"),
                  key=[(level1, LEVEL1_COLORS.get(level1, "#BAB0AC")) for level1 in level1s])


def region_trend(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Budget (万元) per region across years: evaluated projects solid, targets dashed.

    Expects `regions/trend` columns (region, year, doc_type_zh, budget_wan, files). The
    dashed target line starts from the region's latest evaluated year so the step
    from results to next targets reads as one trend.
    """
    title = "各地区历年预算（万元）"
    if df.empty:
        return empty_figure(title)
    if df["region"].nunique() > MANY_REGIONS:  # too many lines to tell apart: their total
        df = (df.groupby(["year", "doc_type_zh"], as_index=False)[["budget_wan", "executed_wan", "docs"]].sum(min_count=1)
              .assign(region="全部地区"))
    colors = colors_for(df, colors)
    fig = go.Figure()
    for region, part in df.groupby("region", sort=True):
        evaluated = part[part["doc_type_zh"] == "评价"].sort_values("year")
        targets = part[part["doc_type_zh"] == "目标"].sort_values("year")
        color = colors.get(region, NEUTRAL)
        if not evaluated.empty:
            fig.add_scatter(x=evaluated["year"], y=evaluated["budget_wan"], mode="lines+markers+text",
                            customdata=[[None if region == "全部地区" else region, None if pd.isna(y) else int(y),
                                         None, None, None] for y in evaluated["year"]],
                            name=f"{region} 评价", legendgroup=region, line=dict(color=color, width=2.5),
                            marker=dict(size=10), text=[fmt_number(v) for v in evaluated["budget_wan"]],
                            textposition="top center",
                            hovertemplate=region + " %{x} 评价预算：%{y:,.2f} 万元<extra>点击筛选到该年度</extra>")
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
    return finish(fig, title, df, height=400, note="实线为评价结果，虚线为绩效目标",
                  key=[(r, colors.get(r, NEUTRAL)) for r in sorted(df["region"].unique())])


def program_comparison(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Per linked programme: the earlier year's budget and executed vs the later target budget.

    Expects `regions/program_links` columns. Bars take the region's colour: earlier
    budget light, earlier executed solid, later target hatched.
    """
    title = "同一项目跨年对照（万元）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有可跨年对照的项目（需要同一地区较早年度的评价和当年的目标表）")
    colors = colors_for(df, colors)
    labels = [f"{short_label(r['project_name'], 14)}（{r['region']}）<br><sub>对照 {int(r['earlier_year'])} 年"
              f"「{short_label(r['earlier_project_name'], 12)}」</sub>" for r in df.to_dict("records")]
    region_color = [colors.get(r, NEUTRAL) for r in df["region"]]
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
    total = int(first_value(df, "links_total", len(df)))
    folded = fold_note(len(df), total, "组")
    return finish(fig, title, df, height=bar_height(len(df), per_bar=70, base=190),
                  note="浅色为较早年度预算，深色为其执行；斜线为当年目标预算" + (f"；{folded}" if folded else ""))
