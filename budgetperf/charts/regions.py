"""地区对比: regions side by side, indicator mix, trends, earlier results vs later targets.

Pure ``DataFrame -> go.Figure`` builders (see `budgetperf.charts`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from budgetperf.charts.common import (
    LEVEL1_COLORS,
    LEVEL1_OTHER,
    MANY_REGIONS,
    NEUTRAL,
    PALETTE,
    UNDISCLOSED,
    WARNING_RATE_PCT,
    axis_title,
    bar_height,
    colors_for,
    empty_figure,
    export_table,
    finish,
    first_value,
    fmt_number,
    fold_note,
    region_label,
    short_label,
    tint,
    year_label,
)
from budgetperf.charts.rankings import MEASURES, fmt_value
from budgetperf.charts.safe import svg
from budgetperf.vocabulary import GRADE_FLOORS

# An indicator-mix chart shows at most this many region×year columns.
MAX_COLUMNS = 16


def region_measures(df: pd.DataFrame, colors: Mapping[str, str] | None = None,
                    measure: str = "execution_rate_pct", warning_pct: float = WARNING_RATE_PCT) -> go.Figure:
    """A few regions side by side on the chosen `measure` (对比指标: 加权执行率,
    平均得分 or 量化率) across years: one line per region in its colour (colour
    names the region, nothing else; the key is in the subtitle), the value at each
    point, the 警戒线 or the grade floors as labelled reference lines. One year
    only: one bar per region. A missing value is left out (the hover says 未披露).
    For many regions the page shows `rankings.region_ranking` and the heatmap.

    Expects `regions/measures` columns (region, year and the measure). A click on
    a point filters to the region and year.
    """
    word, unit, kind = MEASURES.get(measure, (measure, "", "plain"))
    title = f"各地区{word}对比（{unit}）"
    if df.empty or measure not in df or df[measure].isna().all():
        return empty_figure(title, f"当前筛选下没有{word}")
    colors = colors_for(df, colors)
    df = df[df["region"].notna()].sort_values(["region", "year"])
    total = df["region"].nunique()
    # a line per region stays readable for the few regions colour can name: the
    # lowest on average when there are more (the page ranks them instead)
    lowest = df.groupby("region")[measure].mean().sort_values(na_position="last").index[:MANY_REGIONS]
    df = df[df["region"].isin(lowest)]
    regions = sorted(df["region"].unique())
    years = sorted(int(y) for y in df["year"].dropna().unique())
    fig = go.Figure()
    series = {}
    if len(years) <= 1:
        one = df.sort_values(measure, na_position="last")
        fig.add_bar(y=[svg(region_label(r)) for r in one["region"]], x=one[measure], orientation="h",
                    marker_color=[colors.get(r, NEUTRAL) for r in one["region"]],
                    text=[fmt_value(measure, v) for v in one[measure]], textposition="outside", cliponaxis=False,
                    customdata=[[r, None if pd.isna(y) else int(y), None, None, None]
                                for r, y in zip(one["region"], one["year"])],
                    hovertemplate="%{y}<br>" + word + "：%{text}<extra>点击筛选到该地区与年度</extra>")
        fig.update_yaxes(autorange="reversed", type="category")
        fig.update_xaxes(title_text=f"{word}（{unit}）", range=_measure_range(measure, one[measure]))
        series[word] = one[measure].tolist()
        categories = [region_label(r) for r in one["region"]]
        table_kind = "barh"
        height = bar_height(len(one), per_bar=34, base=200)
    else:
        grid = df.pivot_table(index="year", columns="region", values=measure, aggfunc="mean").reindex(years)
        for region in regions:
            part = df[df["region"] == region].set_index("year")[measure].reindex(years)
            series[region_label(region)] = part.tolist()
            # values on the points for two regions (the lower one's under its point,
            # so two close values never print over each other); more: the hover
            above = [pd.isna(v) or v >= grid.loc[y].max() for y, v in zip(years, part)]
            fig.add_scatter(x=[str(y) for y in years], y=part, mode="lines+markers+text", name=svg(region_label(region)),
                            line=dict(color=colors.get(region, NEUTRAL), width=2.5), marker=dict(size=9),
                            text=[("" if pd.isna(v) else fmt_value(measure, v).replace(" 分", ""))
                                  if len(regions) <= 2 else "" for v in part],
                            textposition=["top center" if a else "bottom center" for a in above],
                            cliponaxis=False, connectgaps=False,
                            customdata=[[region, y, None, None, None] for y in years],
                            hovertemplate=svg(region_label(region)) + " %{x}<br>" + word
                                          + "：%{y}<extra>点击筛选到该地区与年度</extra>")
        # half a year of room at each end: the first point and its label clear the axis
        fig.update_xaxes(type="category", title_text="", range=[-0.5, len(years) - 0.5])
        fig.update_yaxes(title_text=f"{word}（{unit}）", range=_measure_range(measure, df[measure]))
        categories = [str(y) for y in years]
        table_kind = "line"
        height = 420
    _reference_lines(fig, measure, warning_pct, horizontal=len(years) > 1)
    key = [(region_label(r), colors.get(r, NEUTRAL)) for r in regions] if len(years) > 1 else []
    table = export_table(categories, series, unit=unit, category="地区" if table_kind == "barh" else "年度",
                         kind=table_kind)
    folded = fold_note(len(regions), total, "个地区", f"{word}最低的")
    return finish(fig, title, df, height=height, key=key, table=table,
                  note=_reference_note(measure, warning_pct) + (f"；{folded}" if folded else ""))


def _measure_range(measure: str, values: pd.Series) -> list[float]:
    top = float(values.max(skipna=True)) if values.notna().any() else 100.0
    if measure == "avg_score":
        low = float(values.min(skipna=True)) if values.notna().any() else 60.0
        return [max(0.0, min(low - 10, 50.0)), 108]
    return [0, max(118.0, top + 15)]


def _reference_lines(fig: go.Figure, measure: str, warning_pct: float, *, horizontal: bool) -> None:
    """The 警戒线 of an execution rate, the grade floors of a score: dashed lines
    named on the line itself, in grey (a reference, not a status)."""
    lines = {"execution_rate_pct": [(warning_pct, f"{warning_pct:g}% 警戒线")],
             "avg_score": [(floor, f"{grade} ≥{floor:g}") for floor, grade in GRADE_FLOORS]}.get(measure, [])
    for value, label in lines:
        if horizontal:
            fig.add_hline(y=value, line_dash="dash", line_color="#6b7785", line_width=1, annotation_text=label,
                          annotation_position="bottom right", annotation_font=dict(size=11, color="#52606d"))
        else:
            fig.add_vline(x=value, line_dash="dash", line_color="#6b7785", line_width=1, annotation_text=label,
                          annotation_position="top", annotation_font=dict(size=11, color="#52606d"))


def _reference_note(measure: str, warning_pct: float) -> str:
    if measure == "execution_rate_pct":
        return f"虚线为 {warning_pct:g}% 警戒线；颜色区分地区"
    if measure == "avg_score":
        floors = "，".join(f"{grade} ≥{floor:g}" for floor, grade in GRADE_FLOORS)
        return f"虚线为等级下限（{floors}）；颜色区分地区"
    return "颜色区分地区"


# The two sides of the A-versus-B view: the first two colours of the palette.
PAIR_COLORS = (PALETTE[0], PALETTE[1])


def region_pair(df: pd.DataFrame, a: str, b: str, measure: str = "execution_rate_pct",
                warning_pct: float = WARNING_RATE_PCT) -> go.Figure:
    """Region A against region B on `measure`, year by year: horizontal bars, one
    row per year and one bar per region (A and B in their two colours, named in
    the key), the value at the bar's end. Rows, not columns, so it reads on a
    phone (390 px) as on a laptop; at most one row per year, whatever the data.

    Expects `regions/pair` columns (region, year, the measure, projects)."""
    word, unit, _kind = MEASURES.get(measure, (measure, "", "plain"))
    title = f"{svg(a)} 与 {svg(b)}：{word}（{unit}）"
    if df.empty or measure not in df or df[measure].isna().all():
        return empty_figure(title, f"这两个地区在当前筛选下没有{word}")
    years = sorted({int(y) for y in df["year"].dropna()}, reverse=True)
    fig = go.Figure()
    series = {}
    for region, color in zip((a, b), PAIR_COLORS):
        part = df[df["region"] == region].set_index("year").reindex(years)
        series[region] = part[measure].tolist()
        counts = part["projects"].fillna(0).astype(int).tolist() if "projects" in part else [0] * len(years)
        # no value (no evaluation that year, or 未披露): no bar, and the words say which
        fig.add_bar(y=[str(y) for y in years], x=part[measure].fillna(0), orientation="h", name=svg(region),
                    marker_color=color, cliponaxis=False, textposition="outside",
                    text=[("没有评价" if pd.isna(n) else fmt_value(measure, v)) if pd.isna(v) else fmt_value(measure, v)
                          for v, n in zip(part[measure], part["projects"] if "projects" in part else part[measure])],
                    customdata=[[region, y, None, None, None, n] for y, n in zip(years, counts)],
                    hovertemplate=svg(region) + " %{y} 年<br>" + word
                                  + "：%{text}（%{customdata[5]} 个项目）<extra>点击筛选到该地区与年度</extra>")
    fig.update_layout(barmode="group", bargap=0.28, bargroupgap=0.08)
    fig.update_yaxes(type="category", autorange="reversed", title_text="")
    fig.update_xaxes(title_text=f"{word}（{unit}）", range=_measure_range(measure, df[measure]))
    _reference_lines(fig, measure, warning_pct, horizontal=False)
    table = export_table([str(y) for y in years], series, unit=unit, category="年度", kind="barh")
    return finish(fig, title, df, height=bar_height(len(years) * 2, per_bar=26, base=200),
                  key=[(a, PAIR_COLORS[0]), (b, PAIR_COLORS[1])], table=table,
                  note=_reference_note(measure, warning_pct).replace("；颜色区分地区", ""))


def indicator_mix(df: pd.DataFrame) -> go.Figure:
    """100% stacked bars per region and year: share of indicators by level-1 class.

    Expects `regions/indicator_mix` columns (region, year, level1, indicators).
    """
    title = "指标结构：一级指标占比（%）"
    if df.empty:
        return empty_figure(title)
    totals = df.groupby(["region", "year", "level1"], as_index=False)["indicators"].sum()
    totals["share_pct"] = totals["indicators"] / totals.groupby(["region", "year"])["indicators"].transform("sum") * 100
    totals["x"] = [year_label(y) if r == "全部地区" else f"{svg(region_label(r))} {year_label(y)}"
                   for r, y in zip(totals["region"], totals["year"])]
    order = totals.sort_values(["region", "year"])["x"].drop_duplicates().tolist()
    shown = order[-MAX_COLUMNS:]  # the latest columns when there are more than fit
    totals = totals[totals["x"].isin(shown)]
    fig = go.Figure()
    level1s = sorted(totals["level1"].unique(), key=lambda v: (list(LEVEL1_COLORS).index(v)
                                                                if v in LEVEL1_COLORS else 99, v))
    series = {}
    for level1 in level1s:
        part = totals[totals["level1"] == level1].set_index("x").reindex(shown)
        series[level1] = part["share_pct"].tolist()
        fig.add_bar(x=shown, y=part["share_pct"], name=svg(level1), marker_color=LEVEL1_COLORS.get(level1, LEVEL1_OTHER),
                    text=[f"{v:.0f}%" if not pd.isna(v) else "" for v in part["share_pct"]],
                    customdata=part["indicators"].fillna(0), textposition="inside", textangle=0,
                    hovertemplate="%{x}<br>" + svg(level1) + "：%{y:.1f}%（%{customdata} 个）<extra></extra>")
    fig.update_layout(barmode="stack", bargap=0.3)
    fig.update_yaxes(title_text=axis_title("share_pct"), range=[0, 100], ticksuffix="%")
    fig.update_xaxes(title_text=axis_title("region_year"), type="category")
    table = export_table(shown, series, unit="%", category="地区 年度", kind="bar")
    return finish(fig, title, df, height=400, note=fold_note(len(shown), len(order), "列", "最近的"),
                  key=[(level1, LEVEL1_COLORS.get(level1, LEVEL1_OTHER)) for level1 in level1s], table=table)


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
                            name=f"{svg(region)} 评价", legendgroup=svg(region), line=dict(color=color, width=2.5),
                            # the latest value only: labels on every year run into each other
                            marker=dict(size=10), text=_last_only([fmt_number(v) for v in evaluated["budget_wan"]],
                                                                  df["region"].nunique() * 2),
                            textposition="top center",
                            hovertemplate=svg(region) + " %{x} 评价预算：%{y:,.2f} 万元<extra>点击筛选到该年度</extra>")
        if not targets.empty:
            start = evaluated[evaluated["year"] < targets["year"].min()].tail(1)
            line = pd.concat([start, targets])
            fig.add_scatter(x=line["year"], y=line["budget_wan"], mode="lines+markers+text",
                            name=f"{svg(region)} 目标", legendgroup=svg(region), line=dict(color=color, width=2, dash="dash"),
                            marker=dict(size=10, symbol="circle-open"),
                            text=[""] * len(start) + _last_only([fmt_number(v) for v in targets["budget_wan"]],
                                                                df["region"].nunique() * 2),
                            textposition="bottom center",  # under the line: the results' labels are above
                            hovertemplate=svg(region) + " %{x} 目标预算：%{y:,.2f} 万元<extra></extra>")
    top = float(df["budget_wan"].max(skipna=True) or 1)
    fig.update_xaxes(title_text=axis_title("year"), tickformat="d", dtick=1)
    fig.update_yaxes(title_text=axis_title("budget_wan"), range=[0, top * 1.25], tickformat=",")
    years = sorted({int(y) for y in df["year"].dropna()})
    series = {f"{r} {t}": df[(df["region"] == r) & (df["doc_type_zh"] == t)].groupby("year")["budget_wan"].sum()
              .reindex(years).tolist() for r in sorted(df["region"].unique()) for t in ("评价", "目标")
              if ((df["region"] == r) & (df["doc_type_zh"] == t)).any()}
    table = export_table([str(y) for y in years], series, unit="万元", category="年度", kind="line")
    return finish(fig, title, df, height=400, note="实线为评价结果，虚线为绩效目标", table=table,
                  key=[(r, colors.get(r, NEUTRAL)) for r in sorted(df["region"].unique())])


def _last_only(labels: list[str], lines: int = 1) -> list[str]:
    # the latest value of each line; none when more than two lines would print over each other
    if lines > 2:
        return ["" for _ in labels]
    return ["" for _ in labels[:-1]] + labels[-1:]


# Three bars a programme: beyond this many the chart folds the rest (the table lists them).
MAX_PROGRAMS = 8


def program_comparison(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Per linked programme: the earlier year's budget and executed vs the later target budget.

    Expects `regions/program_links` columns. Bars take the region's colour: earlier
    budget light, earlier executed solid, later target hatched.
    """
    title = "同一项目跨年对照（万元）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有可跨年对照的项目（需要同一地区较早年度的评价和当年的目标表）")
    colors = colors_for(df, colors)
    total = int(first_value(df, "links_total", len(df)))
    df = df.head(MAX_PROGRAMS)
    # short on both lines: on a phone the labels must leave the bars room (the hover has them whole)
    labels = [f"{short_label(r['project_name'], 9)}<br><span style='font-size:11px;color:#6b7785'>"
              f"{short_label(r['region'], 6)} 对照 {int(r['earlier_year'])} 年</span>" for r in df.to_dict("records")]
    hover = [f"{svg(r['project_name'])}（{svg(r['region'])}）对照 {int(r['earlier_year'])} 年"
             f"「{svg(r['earlier_project_name'])}」" for r in df.to_dict("records")]
    region_color = [colors.get(r, NEUTRAL) for r in df["region"]]
    earlier_year = "、".join(sorted({year_label(y) for y in df["earlier_year"]}))
    later_year = "、".join(sorted({year_label(y) for y in df["year"]}))
    fig = go.Figure()
    fig.add_bar(y=labels, x=df["earlier_budget_wan"], orientation="h", name=f"{earlier_year} 年预算",
                marker=dict(color=[tint(c) for c in region_color]),
                text=[fmt_number(v) for v in df["earlier_budget_wan"]], textposition="outside",
                hovertext=hover, hovertemplate="%{hovertext}<br>较早年度预算：%{x:,.2f} 万元<extra></extra>")
    fig.add_bar(y=labels, x=df["earlier_executed_wan"], orientation="h", name=f"{earlier_year} 年执行",
                marker=dict(color=region_color),
                text=[UNDISCLOSED if pd.isna(v) else fmt_number(v) for v in df["earlier_executed_wan"]],
                textposition="outside", hovertext=hover,
                hovertemplate="%{hovertext}<br>较早年度执行：%{x:,.2f} 万元<extra></extra>")
    fig.add_bar(y=labels, x=df["budget_wan"], orientation="h", name=f"{later_year} 年目标预算",
                marker=dict(color="white", line=dict(color=region_color, width=2),
                            pattern=dict(shape="/", fgcolor=region_color, size=7)),
                text=[fmt_number(v) for v in df["budget_wan"]], textposition="outside",
                hovertext=hover, hovertemplate="%{hovertext}<br>目标预算：%{x:,.2f} 万元<extra></extra>")
    top = float(pd.concat([df["earlier_budget_wan"], df["budget_wan"]]).max(skipna=True) or 1)
    fig.update_layout(barmode="group", bargap=0.3)
    fig.update_xaxes(title_text=axis_title("amount_wan"), range=[0, top * 1.3])
    fig.update_yaxes(autorange="reversed")
    folded = fold_note(len(df), total, "组")
    table = export_table([f"{r['project_name']}（{r['region']}，对照 {int(r['earlier_year'])} 年「{r['earlier_project_name']}」）"
                          for r in df.to_dict("records")],
                         {f"{earlier_year} 年预算": df["earlier_budget_wan"], f"{earlier_year} 年执行": df["earlier_executed_wan"],
                          f"{later_year} 年目标预算": df["budget_wan"]}, unit="万元", category="项目", kind="barh")
    return finish(fig, title, df, height=bar_height(len(df), per_bar=84, base=200), table=table,
                  note="浅色为较早年度预算，深色为其执行；斜线为当年目标预算" + (f"；{folded}" if folded else ""))
