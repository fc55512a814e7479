"""审核: audit findings grouped by rule, and the regions with the most findings.

Both are bounded: the rules are a fixed list (about 16), and the regions are
the top N with the rest folded. Pure ``DataFrame -> go.Figure`` builders (see
`budgetperf.charts`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from budgetperf.charts.common import (
    SEVERITY_COLORS,
    SEVERITY_ORDER,
    axis_title,
    bar_height,
    empty_figure,
    export_table,
    finish,
    first_value,
    fold_note,
    region_label,
    short_label,
)
from budgetperf.charts.safe import svg


def _severity_key(df: pd.DataFrame) -> list[tuple[str, str]]:
    return [(s, SEVERITY_COLORS[s]) for s in SEVERITY_ORDER if s in set(df["severity_zh"])]


def findings_by_rule(df: pd.DataFrame, titles: Mapping[str, str] | None = None) -> go.Figure:
    """Horizontal bars: findings per audit rule, coloured by severity, errors first.

    Expects `audit/by_rule` columns (kind, severity_zh, findings, regions);
    `titles` maps a rule's kind to its Chinese title."""
    title = "审核发现（按规则）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有审核发现")
    titles = dict(titles or {})
    df = df.sort_values(["severity_order", "findings"], ascending=[True, False]).reset_index(drop=True)
    labels = [short_label(titles.get(k, k), 13) for k in df["kind"]]
    fig = go.Figure()
    for severity in SEVERITY_ORDER:
        part = df[df["severity_zh"] == severity]
        if part.empty:
            continue
        fig.add_bar(y=[labels[i] for i in part.index], x=part["findings"], orientation="h", name=severity,
                    marker_color=SEVERITY_COLORS[severity],
                    text=[f"{int(n):,} 条" for n in part["findings"]],
                    textposition="auto", insidetextanchor="end", cliponaxis=False,
                    hovertext=[f"{svg(titles.get(k, k))}（{int(r):,} 个地区）" for k, r in zip(part["kind"], part["regions"])],
                    hovertemplate="%{hovertext}<br>%{x:,} 条<extra>" + severity + "</extra>")
    fig.update_xaxes(title_text=axis_title("findings"), range=[0, float(df["findings"].max()) * 1.5 + 0.5])
    fig.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=labels)
    fig.update_layout(barmode="stack", bargap=0.3)
    table = export_table([titles.get(k, k) for k in df["kind"]], {"发现数": df["findings"]}, unit="条",
                         category="审核规则", kind="barh")
    return finish(fig, title, df, height=bar_height(len(df), per_bar=30, base=170), key=_severity_key(df),
                  table=table)


def findings_by_region(df: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars of findings per region (errors, warnings, notes),
    the regions with the most findings first; the rest folded.

    Expects `audit/by_region` columns (region, severity_zh, findings, rank,
    regions_total, is_pinned). A click on a bar filters the pages to the region."""
    title = "审核发现最多的地区"
    if df.empty:
        return empty_figure(title, "当前筛选下没有审核发现")
    ranks = df.drop_duplicates("region").sort_values("rank")
    labels = {r: f"{'★ ' if p else ''}{svg(region_label(r))}" for r, p in zip(ranks["region"], ranks["is_pinned"])}
    order = [labels[r] for r in ranks["region"]]
    fig = go.Figure()
    series = {}
    for severity in SEVERITY_ORDER:
        part = df[df["severity_zh"] == severity].set_index("region").reindex(ranks["region"])
        if part["findings"].notna().any():
            series[severity] = part["findings"].tolist()
            fig.add_bar(y=order, x=part["findings"], orientation="h", name=severity,
                        marker_color=SEVERITY_COLORS[severity],
                        customdata=[[r, None, None, None, None] for r in ranks["region"]],
                        text=[f"{int(v):,}" if not pd.isna(v) else "" for v in part["findings"]],
                        textposition="inside",
                        hovertemplate="%{y}<br>" + severity + "：%{x:,} 条<extra>点击筛选到该地区</extra>")
    top = float(ranks["region_findings"].max())
    fig.update_xaxes(title_text=axis_title("findings"), range=[0, top * 1.1 + 0.5])
    fig.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=order)
    fig.update_layout(barmode="stack", bargap=0.3)
    total = int(first_value(df, "regions_total", len(ranks)))
    table = export_table([region_label(r) for r in ranks["region"]], series, unit="条", category="地区", kind="barh")
    return finish(fig, title, df, height=bar_height(len(ranks), per_bar=28, base=170), key=_severity_key(df),
                  note=fold_note(len(ranks), total, "个地区", "发现最多的"), table=table)
