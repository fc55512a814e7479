"""预算执行: budget vs executed, execution rate (status colours), the rate
distribution, spending plans and the expense breakdown.

Every chart names at most TOP_N projects: the query returns the lowest rates or
the largest unspent amounts, and the chart's subtitle says how many it folds.
Pure ``DataFrame -> go.Figure`` builders (see `budgetperf.charts`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from budgetperf.charts.common import (
    NEUTRAL,
    STATUS_COLORS,
    UNDISCLOSED,
    WARNING_RATE_PCT,
    axis_label,
    axis_title,
    bar_height,
    click_data,
    colors_for,
    empty_figure,
    execution_status,
    finish,
    first_value,
    fmt_number,
    fmt_pct,
    fold_note,
    project_label,
    region_label,
    short_label,
    tint,
    unique_labels,
    year_label,
)


def budget_vs_executed(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Grouped horizontal bars per project: budget (light) vs executed (solid), 万元.

    Expects `execution/largest_gaps` columns (projects ranked by unspent budget,
    ``projects_total`` counting all). A project without an executed amount gets no
    executed bar; its budget bar's label says 执行数未披露. A click on a bar opens
    the line of that amount on 数据来源.
    """
    total = int(first_value(df, "projects_total", len(df)))
    title = "各项目预算与执行（万元）" if total <= len(df) else f"未执行最多的 {len(df)} 个项目（万元）"
    if df.empty:
        return empty_figure(title)
    colors = colors_for(df, colors)
    df = df.reset_index(drop=True)
    labels = unique_labels([axis_label(r) for r in df.to_dict("records")])
    full = [project_label(r) for r in df.to_dict("records")]
    region_color = [colors.get(r, NEUTRAL) for r in df["region"]]
    fig = go.Figure()
    # one trace each for budget and executed, bars coloured by region (few regions) or neutral
    fig.add_bar(y=labels, x=df["budget_wan"], orientation="h", name="预算", marker_color=[tint(c) for c in region_color],
                text=[fmt_number(b) + (f"　执行数{UNDISCLOSED}" if pd.isna(e) else "")
                      for b, e in zip(df["budget_wan"], df["executed_wan"])],
                textposition="outside", cliponaxis=False, customdata=click_data(df, "budget"), hovertext=full,
                hovertemplate="%{hovertext}<br>预算：%{x:,.2f} 万元<extra>点击查看原文</extra>")
    fig.add_bar(y=labels, x=df["executed_wan"], orientation="h", name="执行", marker_color=region_color,
                text=["" if pd.isna(v) else fmt_number(v) for v in df["executed_wan"]],
                textposition="outside", cliponaxis=False, customdata=click_data(df, "executed"), hovertext=full,
                hovertemplate="%{hovertext}<br>执行：%{x:,.2f} 万元<extra>点击查看原文</extra>")
    top = float(df["budget_wan"].max(skipna=True) or 1)
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    fig.update_xaxes(title_text=axis_title("amount_wan"), range=[0, top * 1.35], tickformat=",")
    fig.update_yaxes(autorange="reversed", title_text="", type="category")
    folded = fold_note(len(df), total, "个项目")
    return finish(fig, title, df, height=bar_height(len(df), per_bar=40), show_legend=False,
                  note="浅色为预算，深色为执行" + (f"；{folded}" if folded else ""))


def execution_rate(df: pd.DataFrame, colors: Mapping[str, str] | None = None,
                   warning_pct: float = WARNING_RATE_PCT) -> go.Figure:
    """Horizontal bars of each project's execution rate, coloured by status
    (below the 警戒线 red, met green, over budget amber), with 100% and 警戒线 lines.

    Expects `execution/lowest_rates` columns (``projects_total`` counting all
    projects with a rate). Projects without a rate are not here: the page counts
    them under 未披露 (never drawn as 0% or 100%). A click opens the rate's line.
    """
    total = int(first_value(df, "projects_total", len(df)))
    title = ("各项目预算执行率（%）" if total <= len(df) else f"执行率最低的 {len(df)} 个项目（%）")
    if df.empty:
        return empty_figure(title, "当前筛选下没有披露执行率的项目")
    df = df.reset_index(drop=True)
    labels = unique_labels([axis_label(r) for r in df.to_dict("records")])
    status = [execution_status(v, warning_pct) for v in df["execution_rate_pct"]]
    fig = go.Figure()
    for name in ("低于警戒线", "达标", "超过预算"):
        part = [i for i, s in enumerate(status) if s == name]
        if not part:
            continue
        sub = df.iloc[part]
        fig.add_bar(y=[labels[i] for i in part], x=sub["execution_rate_pct"], orientation="h", name=name,
                    marker_color=STATUS_COLORS[name], customdata=click_data(sub, "execution_rate"),
                    hovertext=[project_label(r) for r in sub.to_dict("records")],
                    # inside the bar's end: outside labels would sit on the 90%/100% lines
                    text=[fmt_pct(v) for v in sub["execution_rate_pct"]], textposition="inside",
                    insidetextanchor="end", textfont=dict(color="white"),
                    hovertemplate="%{hovertext}<br>执行率：%{x:.2f}%<extra>点击查看原文</extra>")
    top = max(115.0, float(df["execution_rate_pct"].max(skipna=True) or 0) + 15)
    fig.add_vline(x=100, line_color="#1f2933", line_width=1.2)
    fig.add_vline(x=warning_pct, line_color=STATUS_COLORS["低于警戒线"], line_dash="dash", line_width=1.2)
    fig.update_xaxes(title_text=axis_title("execution_rate_pct"), range=[0, top], ticksuffix="%")
    fig.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=labels)
    fig.update_layout(bargap=0.35)
    folded = fold_note(len(df), total, "个项目")
    return finish(fig, title, df, height=bar_height(len(df), per_bar=36, base=170), show_legend=False,
                  note=f"红色低于 {warning_pct:g}% 警戒线（虚线）" + (f"；{folded}" if folded else ""))


def rate_histogram(df: pd.DataFrame, warning_pct: float = WARNING_RATE_PCT, undisclosed: int = 0) -> go.Figure:
    """Bars of how many projects fall in each 5-point band of execution rate,
    coloured by status: the distribution when there are too many projects to name.

    Expects `execution/rate_histogram` columns (band_start, projects, docs_total).
    `undisclosed` projects have no rate: the subtitle counts them.
    """
    title = "执行率分布（项目数）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有披露执行率的项目")
    labels, colors = [], []
    for start in df["band_start"]:
        start = float(start)
        if start <= 45:
            label, rate = "<50%", 0.0
        elif start == 100:
            label, rate = "100%", 100.0
        elif start == 101:
            label, rate = "100–105%", 102.0
        elif start >= 105:
            label, rate = "≥105%", 105.0
        else:
            label, rate = f"{start:g}–{start + 5:g}%", start
        labels.append(label)
        colors.append(STATUS_COLORS[execution_status(rate, warning_pct)])
    fig = go.Figure(go.Bar(x=labels, y=df["projects"], marker_color=colors, text=[f"{int(v):,}" for v in df["projects"]],
                           textposition="outside", cliponaxis=False,
                           hovertemplate="执行率 %{x}：%{y:,} 个项目<extra></extra>"))
    fig.update_xaxes(type="category", title_text=axis_title("execution_rate_pct"))
    fig.update_yaxes(title_text=axis_title("projects"), range=[0, float(df["projects"].max()) * 1.2 + 1])
    note = f"红色低于 {warning_pct:g}% 警戒线，绿色达标，橙色超过预算" + (
        f"；另有 {undisclosed:,} 个项目未披露执行数" if undisclosed else "")
    return finish(fig, title, df, height=380, show_legend=False, note=note)


def _plan_date_label(by_date: str) -> str:
    try:
        month, day = (int(p) for p in str(by_date).split("-"))
    except ValueError:
        return str(by_date)
    return f"{month}月{day}日"


def spending_plan(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Planned cumulative spending (% of budget) by date, one line per project.

    Expects `execution/spending_plan` columns (the largest projects' plans,
    ``projects_total`` counting all). Actual progress is drawn only where known
    (``actual_share_pct``, year-end of evaluated projects); otherwise the plan
    stands alone and the title says the actual is not yet reported.
    """
    has_actual = not df.empty and df["actual_share_pct"].notna().any()
    title = "支出进度（累计占预算 %）"
    plan_note = "计划累计支出与实际" if has_actual else "实际进度尚未报告，仅显示计划"
    if df.empty:
        return empty_figure("支出进度计划", "当前筛选下没有支出进度计划（只有绩效目标表填写）")
    colors = colors_for(df, colors)
    fig = go.Figure()
    dashes = ("solid", "dot", "dash", "longdash", "dashdot")
    groups = list(df.groupby(["region", "year", "project_id"], sort=True, dropna=False))
    for n, ((region, year, _pid), part) in enumerate(groups):
        part = part.sort_values("by_date")
        label = f"{short_label(part['project_name'].iloc[0], 14)}（{region_label(region)} {year_label(year)}）"
        fig.add_scatter(x=[_plan_date_label(d) for d in part["by_date"]], y=part["planned_share_pct"],
                        mode="lines+markers+text", name=f"{label} 计划", line=dict(color=colors.get(region, NEUTRAL),
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
                            mode="markers", name=f"{label} 实际", marker=dict(color=colors.get(region, NEUTRAL),
                            size=13, symbol="diamond"), hovertemplate=label + "<br>%{x} 实际：%{y:.2f}%<extra></extra>")
    fig.update_yaxes(title_text=axis_title("planned_share_pct"), range=[0, 112], ticksuffix="%")
    dates = df["by_date"].drop_duplicates().sort_values().tolist()
    # half a category of room on each side for the end labels
    fig.update_xaxes(title_text=axis_title("by_date"), type="category", categoryorder="array",
                     categoryarray=[_plan_date_label(d) for d in dates], range=[-0.6, len(dates) - 0.4])
    total = int(first_value(df, "projects_total", len(groups)))
    folded = fold_note(len(groups), total, "个项目")
    return finish(fig, title, df, height=480, note=plan_note + (f"；{folded}" if folded else ""), show_legend=True)


def spending_plan_summary(df: pd.DataFrame) -> go.Figure:
    """Planned cumulative spending across many projects: the budget-weighted mean
    per date with the middle half (25%–75%) and the full range as bands.

    Expects `execution/spending_plan_summary` columns."""
    title = "支出进度计划（累计占预算 %）"
    if df.empty:
        return empty_figure("支出进度计划", "当前筛选下没有支出进度计划（只有绩效目标表填写）")
    df = df.sort_values("by_date")
    x = [_plan_date_label(d) for d in df["by_date"]]
    fig = go.Figure()
    fig.add_scatter(x=x + x[::-1], y=list(df["max_share_pct"]) + list(df["min_share_pct"])[::-1], fill="toself",
                    fillcolor="rgba(91,122,153,0.12)", line=dict(width=0), name="最低–最高", hoverinfo="skip")
    fig.add_scatter(x=x + x[::-1], y=list(df["p75_share_pct"]) + list(df["p25_share_pct"])[::-1], fill="toself",
                    fillcolor="rgba(91,122,153,0.3)", line=dict(width=0), name="中间一半项目", hoverinfo="skip")
    fig.add_scatter(x=x, y=df["weighted_share_pct"], mode="lines+markers+text", name="按预算加权平均",
                    line=dict(color="#1F3A5F", width=3), text=[f"{v:.0f}%" for v in df["weighted_share_pct"]],
                    textposition="top left", customdata=df["projects"],
                    hovertemplate="%{x} 加权平均计划：%{y:.1f}%（%{customdata:,} 个项目）<extra></extra>")
    fig.update_yaxes(title_text=axis_title("planned_share_pct"), range=[0, 112], ticksuffix="%")
    fig.update_xaxes(title_text=axis_title("by_date"), type="category")
    return finish(fig, title, df, height=440, note=f"{int(df['projects'].max()):,} 个项目的计划：加权平均与分布",
                  key=[("按预算加权平均", "#1F3A5F"), ("中间一半项目", "rgba(91,122,153,0.55)"),
                       ("最低–最高", "rgba(91,122,153,0.25)")])


def expense_treemap(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Treemap of expense items (万元): region → project → item, for a few projects.

    Expects `execution/expenses` columns (region, year, project_id, project_name, item, amount_wan).
    """
    title = "支出明细构成（万元）"
    df = df[df["amount_wan"].notna()] if not df.empty else df
    if df.empty:
        return empty_figure(title, "当前筛选下没有支出明细（报告未列出支出科目）")
    colors = colors_for(df, colors)
    ids, labels, parents, values, node_colors = [], [], [], [], []
    for region, rpart in df.groupby("region", sort=True):
        color = colors.get(region, NEUTRAL)
        ids.append(region), labels.append(region), parents.append(""), values.append(rpart["amount_wan"].sum())
        node_colors.append(color)
        for (pid, project, year), ppart in rpart.groupby(["project_id", "project_name", "year"], sort=True):
            node = f"{region}/{pid}"
            ids.append(node), labels.append(f"{short_label(project, 16)}（{year_label(year)}）"), parents.append(region)
            values.append(ppart["amount_wan"].sum()), node_colors.append(color)
            for k, (item, amount) in enumerate(zip(ppart["item"], ppart["amount_wan"])):
                ids.append(f"{node}/{k}"), labels.append(item), parents.append(node), values.append(amount)
                node_colors.append(color)
    fig = go.Figure(go.Treemap(
        ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
        marker=dict(colors=node_colors, line=dict(color="white", width=2)),
        texttemplate="%{label}<br>%{value:,.2f} 万元<br>%{percentParent:.1%}",
        hovertemplate="%{label}<br>%{value:,.2f} 万元（占上级 %{percentParent:.1%}）<extra></extra>",
        tiling=dict(pad=3), pathbar=dict(visible=True),
    ))
    total = int(first_value(df, "projects_total", df["project_id"].nunique()))
    return finish(fig, title, df, height=440, show_legend=False,
                  note=fold_note(df["project_id"].nunique(), total, "个项目", "列出支出最多的"))


def expense_items(df: pd.DataFrame) -> go.Figure:
    """Horizontal bars of the largest expense items summed over all projects
    (万元), the rest folded into one 其他 bar.

    Expects `execution/expense_items` columns (item, amount_wan, projects, rank)."""
    title = "支出科目合计（万元）"
    df = df[df["amount_wan"].notna()] if not df.empty else df
    if df.empty:
        return empty_figure(title, "当前筛选下没有支出明细（报告未列出支出科目）")
    df = df.sort_values("rank")
    total = float(df["amount_wan"].sum())
    fig = go.Figure(go.Bar(
        y=[short_label(i, 18) for i in df["item"]], x=df["amount_wan"], orientation="h", marker_color=NEUTRAL,
        text=[f"{fmt_number(v)}（{v / total:.0%}）" for v in df["amount_wan"]], textposition="outside",
        cliponaxis=False, hovertext=df["item"],
        customdata=[("—" if pd.isna(p) else f"{int(p):,}") for p in df["projects"]],
        hovertemplate="%{hovertext}<br>%{x:,.2f} 万元（%{customdata} 个项目）<extra></extra>"))
    fig.update_xaxes(title_text=axis_title("amount_wan"), range=[0, float(df["amount_wan"].max()) * 1.4],
                     tickformat=",")
    fig.update_yaxes(autorange="reversed", type="category")
    return finish(fig, title, df, height=bar_height(len(df), per_bar=30), show_legend=False)
