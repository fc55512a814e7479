"""审核: audit findings.

Pure ``DataFrame -> go.Figure`` builders (see `budgetperf.charts`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from budgetperf.charts.common import (
    SEVERITY_COLORS,
    SEVERITY_ORDER,
    axis_title,
    empty_figure,
    finish,
    fmt_number,
    region_label,
    source_files,
    year_label,
)


def findings_by_severity(df: pd.DataFrame) -> go.Figure:
    """Stacked bars of audit findings per region and year, coloured by severity.

    Expects `audit/counts` columns (region, year, severity_zh, findings, files).
    """
    title = "审核发现数（按地区、年度、严重程度）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有审核发现")
    df = df.assign(x=[f"{region_label(r)} {year_label(y)}" for r, y in zip(df["region"], df["year"])])
    order = df.sort_values(["region", "year"])["x"].drop_duplicates().tolist()
    fig = go.Figure()
    for severity in SEVERITY_ORDER:
        part = df[df["severity_zh"] == severity].set_index("x").reindex(order)
        if part["findings"].notna().any():
            fig.add_bar(x=order, y=part["findings"], name=severity, marker_color=SEVERITY_COLORS[severity],
                        text=[fmt_number(v) if not pd.isna(v) else "" for v in part["findings"]],
                        textposition="inside", hovertemplate="%{x}<br>" + severity + "：%{y} 条<extra></extra>")
    top = float(df.groupby("x")["findings"].sum().max())
    fig.update_layout(barmode="stack", bargap=0.45)
    fig.update_yaxes(title_text=axis_title("findings"), range=[0, top * 1.15 + 0.5], dtick=1 if top < 10 else None)
    fig.update_xaxes(title_text=axis_title("region_year"), type="category")
    return finish(fig, title, source_files(df), height=380)
