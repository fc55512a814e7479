"""总览: budget and execution per region (few regions), or the ranking and the
region × year heatmap (`rankings`) when there are many.

Pure ``DataFrame -> go.Figure`` builders (see `budgetperf.charts`)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from budgetperf.charts.common import (
    UNDISCLOSED,
    axis_title,
    colors_for,
    empty_figure,
    export_table,
    finish,
    fmt_number,
    fmt_pct,
    region_label,
    tint,
    year_label,
)
from budgetperf.charts.safe import svg

# Small multiples stay readable up to 2×3 panels; beyond that the page shows the
# ranking and the heatmap instead.
MAX_PANELS = 6


def overview_small_multiples(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Small multiples, one panel per region: budget (light) and executed (solid) per year.

    Expects `overview/region_year` columns: region, year, budget_wan, executed_wan,
    execution_rate_pct. A missing executed amount is labelled 未披露. At most
    MAX_PANELS regions are drawn (the page switches to a ranking above that).
    """
    title = "各地区预算与执行（万元）"
    if df.empty:
        return empty_figure(title)
    colors = colors_for(df, colors)
    regions = sorted(df["region"].map(region_label).unique())[:MAX_PANELS]
    df = df.assign(region=df["region"].map(region_label))
    cols = min(3, len(regions))
    rows = math.ceil(len(regions) / cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[svg(r) for r in regions], shared_yaxes=True,
                        horizontal_spacing=0.06, vertical_spacing=0.16 if rows > 1 else 0.1)
    top = float(pd.concat([df["budget_wan"], df["executed_wan"]]).max(skipna=True) or 1)
    for i, region in enumerate(regions):
        r, c = divmod(i, cols)
        part = df[df["region"] == region].sort_values("year")
        years = [year_label(y) for y in part["year"]]
        color = colors.get(region) or "#4E79A7"
        custom = [[region, None if pd.isna(y) else int(y), None, None, None] for y in part["year"]]
        # a missing executed amount has no bar to carry its label: the budget bar says it
        fig.add_bar(x=years, y=part["budget_wan"], name="预算", marker_color=tint(color),
                    text=[fmt_number(b) + (f"<br>执行{UNDISCLOSED}" if pd.isna(e) else "")
                          for b, e in zip(part["budget_wan"], part["executed_wan"])],
                    textposition="outside", customdata=custom,
                    hovertemplate="%{x} 预算：%{y:,.2f} 万元<extra>" + svg(region) + "</extra>",
                    showlegend=False, row=r + 1, col=c + 1)
        fig.add_bar(x=years, y=part["executed_wan"], name="执行", marker_color=color,
                    text=["" if pd.isna(e) else f"{fmt_number(e)}<br>{fmt_pct(rate)}"
                          for e, rate in zip(part["executed_wan"], part["execution_rate_pct"])],
                    textposition="outside", customdata=custom,
                    hovertemplate="%{x} 执行：%{y:,.2f} 万元<extra>" + svg(region) + "</extra>",
                    showlegend=False, row=r + 1, col=c + 1)
    fig.update_layout(barmode="group", bargap=0.3)
    fig.update_yaxes(title_text=axis_title("amount_wan"), col=1, range=[0, top * 1.3])
    fig.update_xaxes(type="category", title_text="")
    rows_shown = df[df["region"].isin(regions)].sort_values(["region", "year"])
    table = export_table([f"{r} {year_label(y)}" for r, y in zip(rows_shown["region"], rows_shown["year"])],
                         {"预算": rows_shown["budget_wan"], "执行": rows_shown["executed_wan"]}, unit="万元",
                         category="地区 年度", kind="bar")
    return finish(fig, title, df, height=280 * rows + 60, note="浅色为预算，深色为执行",
                  extra_top=24, table=table)  # subplot titles
