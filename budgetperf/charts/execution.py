"""预算执行: budget vs executed, execution rate, spending plans, expense breakdown.

Pure ``DataFrame -> go.Figure`` builders (see `budgetperf.charts`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from budgetperf.charts.common import (
    UNDISCLOSED,
    WARNING_RATE_PCT,
    axis_title,
    bar_height,
    click_data,
    colors_for,
    empty_figure,
    finish,
    fmt_number,
    fmt_pct,
    project_label,
    region_label,
    source_files,
    tint,
    year_label,
)


def budget_vs_executed(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Grouped horizontal bars per project: budget (light) vs executed (solid), 万元.

    Expects `execution/projects` columns. A project without an executed amount gets
    no executed bar; its budget bar's label says 执行数未披露. Each bar
    carries [file, project_name] as customdata so a click can open its sources.
    """
    title = "各项目预算与执行（万元）"
    if df.empty:
        return empty_figure(title)
    colors = colors_for(df, colors)
    df = df.assign(label=[project_label(r) for r in df.to_dict("records")])
    fig = go.Figure()
    for region, part in df.groupby("region", sort=True):
        color, custom = colors[region], click_data(part)
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
    return finish(fig, title, source_files(df), height=bar_height(len(df), per_bar=46))


def execution_rate(df: pd.DataFrame, colors: Mapping[str, str] | None = None,
                   warning_pct: float = WARNING_RATE_PCT) -> go.Figure:
    """Horizontal bars of each project's execution rate with 100% and 警戒线 reference lines.

    Expects `execution/projects` columns. A project without a rate shows 未披露
    instead of a bar (never 0% or 100%).
    """
    title = f"各项目预算执行率（%，虚线为 {warning_pct:g}% 警戒线）"
    if df.empty:
        return empty_figure(title)
    colors = colors_for(df, colors)
    df = df.assign(label=[project_label(r) for r in df.to_dict("records")])
    fig = go.Figure()
    for region, part in df.groupby("region", sort=True):
        fig.add_bar(y=part["label"], x=part["execution_rate_pct"], orientation="h", name=region,
                    marker_color=colors[region], customdata=click_data(part),
                    # inside the bar's end: outside labels would sit on the 90%/100% lines
                    text=["" if pd.isna(v) else fmt_pct(v) for v in part["execution_rate_pct"]],
                    textposition="inside", insidetextanchor="end", textfont=dict(color="white"),
                    hovertemplate="%{y}<br>执行率：%{x:.2f}%<extra></extra>")
    undisclosed = df[df["execution_rate_pct"].isna()]
    if not undisclosed.empty:
        fig.add_scatter(y=undisclosed["label"], x=[0] * len(undisclosed), mode="text", name=UNDISCLOSED,
                        text=[f"  执行率{UNDISCLOSED}"] * len(undisclosed), textposition="middle right",
                        textfont=dict(color="#6b7785", size=13), customdata=click_data(undisclosed),
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
    return finish(fig, title, source_files(df), height=bar_height(len(df), per_bar=36, base=190))


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
    colors = colors_for(df, colors)
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
    return finish(fig, title, source_files(df), height=480)


def expense_treemap(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Treemap of expense items (万元): region → project → item.

    Expects `execution/expenses` columns (region, year, project_name, item, amount_wan).
    """
    title = "支出明细构成（万元）"
    df = df[df["amount_wan"].notna()] if not df.empty else df
    if df.empty:
        return empty_figure(title, "当前筛选下没有支出明细（报告未列出支出科目）")
    colors = colors_for(df, colors)
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
    return finish(fig, title, source_files(df), height=440, show_legend=False)
