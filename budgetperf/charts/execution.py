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
    PALETTE,
    STATUS_COLORS,
    UNDISCLOSED,
    WARNING_RATE_PCT,
    axis_label,
    axis_title,
    bar_height,
    click_data,
    colors_for,
    cut_text,
    empty_figure,
    execution_status,
    export_table,
    finish,
    first_value,
    fmt_number,
    fmt_pct,
    fold_note,
    plain_project_label,
    project_label,
    region_label,
    short_label,
    status_key,
    tint,
    unique_labels,
    year_label,
)

from budgetperf.charts.safe import svg


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
    table = export_table([plain_project_label(r) for r in df.to_dict("records")],
                         {"预算": df["budget_wan"], "执行": df["executed_wan"]}, unit="万元", category="项目",
                         kind="barh")
    return finish(fig, title, df, height=bar_height(len(df), per_bar=48, base=200), show_legend=False, table=table,
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
    table = export_table([plain_project_label(r) for r in df.to_dict("records")], {"执行率": df["execution_rate_pct"]},
                         unit="%", category="项目", kind="barh")
    return finish(fig, title, df, height=bar_height(len(df), per_bar=42, base=200), show_legend=False,
                  note=f"虚线为 {warning_pct:g}% 警戒线" + (f"；{folded}" if folded else ""),
                  key=status_key(warning_pct, status), table=table)


def rate_histogram(df: pd.DataFrame, warning_pct: float = WARNING_RATE_PCT, undisclosed: int = 0) -> go.Figure:
    """Bars of how many projects fall in each 5-point band of execution rate,
    coloured by status: the distribution when there are too many projects to name.

    Expects `execution/rate_histogram` columns (band_start, projects, docs_total).
    `undisclosed` projects have no rate: the subtitle counts them.
    """
    title = "执行率分布（项目数）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有披露执行率的项目")
    labels, colors, statuses = [], [], []
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
        statuses.append(execution_status(rate, warning_pct))
        colors.append(STATUS_COLORS[statuses[-1]])
    fig = go.Figure(go.Bar(x=labels, y=df["projects"], marker_color=colors, text=[f"{int(v):,}" for v in df["projects"]],
                           textposition="outside", cliponaxis=False,
                           hovertemplate="执行率 %{x}：%{y:,} 个项目<extra></extra>"))
    fig.update_xaxes(type="category", title_text=axis_title("execution_rate_pct"))
    fig.update_yaxes(title_text=axis_title("projects"), range=[0, float(df["projects"].max()) * 1.2 + 1])
    note = f"另有 {undisclosed:,} 个项目未披露执行数" if undisclosed else ""
    table = export_table(labels, {"项目数": df["projects"]}, unit="个", category="执行率", kind="bar")
    return finish(fig, title, df, height=380, show_legend=False, note=note, key=status_key(warning_pct, statuses),
                  table=table)


def _plan_date_label(by_date: str) -> str:
    try:
        month, day = (int(p) for p in str(by_date).split("-"))
    except ValueError:
        return str(by_date)
    return f"{month}月{day}日"


def spending_plan(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Planned cumulative spending (% of budget) by date, one line per project.

    Expects `execution/spending_plan` columns (the largest projects' plans,
    ``projects_total`` counting all). Each line is a project: its own colour, dash
    and marker, named in the legend (two projects of one region are two colours,
    not one). Plans that are identical would draw on top of each other: the note
    says which coincide. Actual progress is drawn only where known
    (``actual_share_pct``, year-end of evaluated projects); otherwise the plan
    stands alone and the title says the actual is not yet reported.
    """
    has_actual = not df.empty and df["actual_share_pct"].notna().any()
    title = "支出进度（累计占预算 %）"
    plan_note = "计划累计支出与实际" if has_actual else "实际进度尚未报告，仅显示计划"
    if df.empty:
        return empty_figure("支出进度计划", "当前筛选下没有支出进度计划（只有绩效目标表填写）")
    fig = go.Figure()
    dashes = ("solid", "dash", "dot", "dashdot", "longdash")
    symbols = ("circle", "square", "diamond", "triangle-up", "cross")
    groups = list(df.groupby(["region", "year", "project_id"], sort=True, dropna=False))
    dates = df["by_date"].drop_duplicates().sort_values().tolist()
    seen: dict[tuple, str] = {}
    same: list[str] = []
    series = {}
    for n, ((region, year, _pid), part) in enumerate(groups):
        part = part.sort_values("by_date")
        name = f"{cut_text(part['project_name'].iloc[0], 14)}（{region_label(region)} {year_label(year)}）"
        color = PALETTE[n % len(PALETTE)]
        plan = tuple(zip(part["by_date"], part["planned_share_pct"]))
        if plan in seen:
            same.append(name)
        seen.setdefault(plan, name)
        series[name] = part.set_index("by_date")["planned_share_pct"].reindex(dates).tolist()
        fig.add_scatter(x=[_plan_date_label(d) for d in part["by_date"]], y=part["planned_share_pct"],
                        mode="lines+markers", name=svg(name) + " 计划",
                        line=dict(color=color, dash=dashes[n % len(dashes)], width=2.5),
                        marker=dict(size=9, symbol=symbols[n % len(symbols)]),
                        customdata=list(zip(part["planned_cum_wan"], part["file"], part["project_name"])),
                        hovertemplate=svg(name) + "<br>%{x} 计划累计：%{y:.0f}%（%{customdata[0]:,.2f} 万元）"
                                      "<extra></extra>")
        actual = part[part["actual_share_pct"].notna()]
        if not actual.empty:
            fig.add_scatter(x=[_plan_date_label(d) for d in actual["by_date"]], y=actual["actual_share_pct"],
                            mode="markers", name=svg(name) + " 实际", marker=dict(color=color, size=13, symbol="star"),
                            hovertemplate=svg(name) + "<br>%{x} 实际：%{y:.2f}%<extra></extra>")
    fig.update_yaxes(title_text=axis_title("planned_share_pct"), range=[0, 112], ticksuffix="%")
    # half a category of room on each side of the end points
    fig.update_xaxes(title_text=axis_title("by_date"), type="category", categoryorder="array",
                     categoryarray=[_plan_date_label(d) for d in dates], range=[-0.4, len(dates) - 0.6])
    total = int(first_value(df, "projects_total", len(groups)))
    folded = fold_note(len(groups), total, "个项目")
    coincide = f"{len(same) + 1} 个项目的计划相同，线条重合" if same else ""
    note = "；".join(p for p in (plan_note, folded, coincide) if p)
    table = export_table([_plan_date_label(d) for d in dates], series, unit="%", category="计划时点", kind="line")
    return finish(fig, title, df, height=480, note=note, table=table,
                  key=[(name, PALETTE[n % len(PALETTE)]) for n, name in enumerate(series)])


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
    table = export_table(x, {"按预算加权平均": df["weighted_share_pct"], "中位数": df["median_share_pct"],
                             "25% 分位": df["p25_share_pct"], "75% 分位": df["p75_share_pct"]},
                         unit="%", category="计划时点", kind="line")
    return finish(fig, title, df, height=440, note=f"{int(df['projects'].max()):,} 个项目的计划：加权平均与分布",
                  key=[("按预算加权平均", "#1F3A5F"), ("中间一半项目", "rgba(91,122,153,0.55)"),
                       ("最低–最高", "rgba(91,122,153,0.25)")], table=table)


def expense_treemap(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Treemap of expense items (万元): region → project → item, for a few projects.

    Expects `execution/expenses` columns (region, year, project_id, project_name, item, amount_wan).
    Regions take their (neutral) colours; the items are the region's, lighter.
    """
    title = "支出明细构成（万元）"
    df = df[df["amount_wan"].notna()] if not df.empty else df
    if df.empty:
        return empty_figure(title, "当前筛选下没有支出明细（报告未列出支出科目）")
    colors = colors_for(df, colors)
    ids, labels, parents, values, node_colors = [], [], [], [], []
    rows = []
    for region, rpart in df.groupby("region", sort=True):
        color = colors.get(region, NEUTRAL)
        root = svg(region)  # node ids are Plotly text too
        ids.append(root), labels.append(svg(region)), parents.append(""), values.append(rpart["amount_wan"].sum())
        node_colors.append(color)
        for (pid, project, year), ppart in rpart.groupby(["project_id", "project_name", "year"], sort=True):
            node = f"{root}/{pid}"
            ids.append(node), labels.append(f"{short_label(project, 16)}（{year_label(year)}）"), parents.append(root)
            values.append(ppart["amount_wan"].sum()), node_colors.append(tint(color, 0.7))
            for k, (item, amount) in enumerate(zip(ppart["item"], ppart["amount_wan"])):
                ids.append(f"{node}/{k}"), labels.append(svg(item)), parents.append(node), values.append(amount)
                node_colors.append(tint(color, 0.45))
                rows.append((f"{item}（{project} {region_label(region)} {year_label(year)}）", amount))
    fig = go.Figure(go.Treemap(
        ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
        marker=dict(colors=node_colors, line=dict(color="white", width=2)),
        texttemplate="%{label}<br>%{value:,.2f} 万元<br>%{percentParent:.1%}",
        hovertemplate="%{label}<br>%{value:,.2f} 万元（占上级 %{percentParent:.1%}）<extra></extra>",
        tiling=dict(pad=3), pathbar=dict(visible=True),
    ))
    total = int(first_value(df, "projects_total", df["project_id"].nunique()))
    table = export_table([r[0] for r in rows], {"金额": [r[1] for r in rows]}, unit="万元", category="支出科目",
                         kind="barh")
    return finish(fig, title, df, height=440, show_legend=False, table=table,
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
        text=[f"{fmt_number(v)}（{v / total:.0%}）" for v in df["amount_wan"]], textposition="auto", insidetextanchor="end",
        cliponaxis=False, hovertext=[svg(i) for i in df["item"]],
        customdata=[("—" if pd.isna(p) else f"{int(p):,}") for p in df["projects"]],
        hovertemplate="%{hovertext}<br>%{x:,.2f} 万元（%{customdata} 个项目）<extra></extra>"))
    fig.update_xaxes(title_text=axis_title("amount_wan"), range=[0, float(df["amount_wan"].max()) * 1.4],
                     tickformat=",")
    fig.update_yaxes(autorange="reversed", type="category")
    table = export_table(df["item"].tolist(), {"金额": df["amount_wan"]}, unit="万元", category="支出科目", kind="barh")
    return finish(fig, title, df, height=bar_height(len(df), per_bar=30), show_legend=False, table=table)
