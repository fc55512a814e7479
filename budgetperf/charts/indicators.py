"""指标完成: indicator score rates (heatmap by project or by region), 量化率,
attainment classes (by project or by level-2 indicator).

Pure ``DataFrame -> go.Figure`` builders (see `budgetperf.charts`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from budgetperf.charts.common import (
    ATTAINMENT_COLORS,
    HIGHLIGHT,
    LEGEND_ROW,
    NEUTRAL,
    axis_label,
    axis_title,
    bar_height,
    colors_for,
    empty_figure,
    export_table,
    finish,
    first_value,
    fmt_pct,
    fold_note,
    heat_scale,
    plain_project_label,
    project_label,
    region_label,
    unique_labels,
    upright_label,
    wrap_label,
    year_label,
)
from budgetperf.charts.safe import svg

# A level-2 indicator's score rate is coloured as a score is: by grade band,
# graded within each band, with the colour bar above the plot.
HEATMAP_KIND = "grade"


# Up to this many level-2 columns a cell holds its value; with more, the colour and
# its scale say it (the hover the number). Beyond a few columns the names stand
# upright, one character a line, so they never overlap on a phone.
TEXT_COLUMNS = 8
FLAT_COLUMNS = 4
UPRIGHT_ROOM = 70


def _level2_columns(df: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Level-2 names in level-1 order, and their column labels (the axis title
    already says 二级指标, so the common suffix goes)."""
    order = (df[["level1", "level2"]].drop_duplicates().sort_values(["level1", "level2"])["level2"]
             .drop_duplicates().tolist())
    names = [n[:-2] if n.endswith("指标") and len(n) > 2 else n for n in order]
    labels = [wrap_label(n, 5) for n in names] if len(order) <= FLAT_COLUMNS else [upright_label(n) for n in names]
    return order, labels


def _cell_text(grid: pd.DataFrame) -> list[list[str]]:
    if grid.shape[1] > TEXT_COLUMNS:
        return [["" for _ in row] for row in grid.to_numpy()]
    return [["" if pd.isna(v) else f"{v:.0f}" for v in row] for row in grid.to_numpy()]


def _upright_room(order: list[str]) -> int:
    return UPRIGHT_ROOM if len(order) > FLAT_COLUMNS else 0


def indicator_heatmap(df: pd.DataFrame) -> go.Figure:
    """Heatmap of score rate (%) by second-level indicator (x) and project (y), for
    the projects with the lowest rates.

    Expects `indicators/heatmap_by_project` columns (``projects_total`` counts all).
    Cells without a scored indicator stay blank.
    """
    total = int(first_value(df, "projects_total", 0) or 0)
    title = "二级指标得分率（%，按项目）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有已评分的指标（绩效目标表尚未评分）")
    keys = df.drop_duplicates("project_id").sort_values(["region", "year", "project_name"])
    labels = dict(zip(keys["project_id"], unique_labels([axis_label(r, 10) for r in keys.to_dict("records")])))
    df = df.assign(label=df["project_id"].map(labels))
    order, columns = _level2_columns(df)
    rows = [labels[p] for p in keys["project_id"]]
    grid = df.pivot_table(index="label", columns="level2", values="score_rate_pct", aggfunc="mean")
    grid = grid.reindex(index=rows, columns=order)
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=columns, y=rows, text=_cell_text(grid), texttemplate="%{text}", textfont=dict(size=12),
        xgap=2, ygap=2, hovertemplate="%{y}<br>%{x}：%{z:.2f}%<extra></extra>", **heat_scale(HEATMAP_KIND),
    ))
    fig.update_xaxes(title_text=axis_title("level2"), tickangle=0, side="bottom")
    fig.update_yaxes(autorange="reversed", type="category")
    folded = fold_note(len(rows), total, "个项目", "得分率最低的")
    plain_rows = [plain_project_label(r) for r in keys.to_dict("records")]
    table = export_table(plain_rows, {name: grid[name].tolist() for name in order}, unit="%", category="项目",
                         kind="grid")
    many = len(order) > TEXT_COLUMNS
    return finish(fig, title, df, height=bar_height(len(rows), per_bar=44, base=250 + _upright_room(order)),
                  extra_top=LEGEND_ROW + 12, extra_bottom=_upright_room(order), table=table,
                  note=("颜色为得分率（%），按等级区间着色" if many else "格中为得分率（%），按等级区间着色")
                  + (f"；{folded}" if folded else ""))


def indicator_heatmap_by_region(df: pd.DataFrame) -> go.Figure:
    """Heatmap of score rate (%) by second-level indicator (x) and region (y), for
    the regions with the lowest rates (and pinned ones), when there are too many
    projects to name. A click on a row filters the pages to that region.

    Expects `indicators/heatmap_by_region` columns."""
    total = int(first_value(df, "regions_total", 0) or 0)
    title = "二级指标得分率（%，按地区）"
    if df.empty:
        return empty_figure(title, "当前筛选下没有已评分的指标（绩效目标表尚未评分）")
    ranks = df.drop_duplicates("region").sort_values("rank")
    rows = [f"{'★ ' if p else ''}{svg(region_label(r))}" for r, p in zip(ranks["region"], ranks["is_pinned"])]
    names = dict(zip(ranks["region"], rows))
    df = df.assign(label=df["region"].map(names))
    order, columns = _level2_columns(df)
    grid = df.pivot_table(index="label", columns="level2", values="score_rate_pct", aggfunc="mean")
    grid = grid.reindex(index=rows, columns=order)
    custom = [[[r, None, None, None, None] for _ in order] for r in ranks["region"]]
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=columns, y=rows, text=_cell_text(grid), texttemplate="%{text}", textfont=dict(size=12),
        customdata=custom, xgap=2, ygap=2, hovertemplate="%{y}<br>%{x}：%{z:.2f}%<extra>点击筛选到该地区</extra>",
        **heat_scale(HEATMAP_KIND),
    ))
    fig.update_xaxes(title_text=axis_title("level2"), tickangle=0, side="bottom")
    fig.update_yaxes(autorange="reversed", type="category")
    folded = fold_note(len(rows), total, "个地区", "得分率最低的")
    table = export_table([region_label(r) for r in ranks["region"]], {name: grid[name].tolist() for name in order},
                         unit="%", category="地区", kind="grid")
    many = len(order) > TEXT_COLUMNS
    return finish(fig, title, df, height=bar_height(len(rows), per_bar=30, base=250 + _upright_room(order)),
                  extra_top=LEGEND_ROW + 12, extra_bottom=_upright_room(order), table=table,
                  note=("颜色为得分率（%），按等级区间着色" if many else "格中为得分率（%），按等级区间着色")
                  + (f"；{folded}" if folded else ""))


def quantified_rate(df: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Bars of 量化率 (share of indicators with a numeric target) per region and
    year, the lowest first (and pinned regions).

    Expects `indicators/quantified` columns (region, year, indicators, quantified,
    quantified_pct, rank, rows_total, is_pinned). A click filters to the region and year.
    """
    total = int(first_value(df, "rows_total", len(df)))
    title = "量化率（%）"
    if df.empty:
        return empty_figure(title)
    colors = colors_for(df, colors)
    df = df.sort_values("rank").reset_index(drop=True)
    plain_labels = [f"{region_label(r)} {year_label(y)}" for r, y in zip(df["region"], df["year"])]
    labels = unique_labels([f"{'★ ' if p else ''}{svg(label)}" for label, p in zip(plain_labels, df["is_pinned"])])
    fig = go.Figure(go.Bar(
        y=labels, x=df["quantified_pct"], orientation="h",
        marker=dict(color=[colors.get(r, NEUTRAL) for r in df["region"]],
                    line=dict(color=[HIGHLIGHT if p else "rgba(0,0,0,0)" for p in df["is_pinned"]], width=2)),
        text=[f"{fmt_pct(p)}（{q}/{n}）" for p, q, n in zip(df["quantified_pct"], df["quantified"], df["indicators"])],
        textposition="auto", insidetextanchor="end", cliponaxis=False,
        customdata=[[r, None if pd.isna(y) else int(y), None, None, None] for r, y in zip(df["region"], df["year"])],
        hovertemplate="%{y}<br>量化率：%{x:.2f}%<extra>点击筛选到该地区与年度</extra>"))
    fig.update_xaxes(title_text=axis_title("quantified_pct"), range=[0, 135], ticksuffix="%")
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(bargap=0.35)
    table = export_table(plain_labels, {"量化率": df["quantified_pct"]}, unit="%", category="地区 年度", kind="barh")
    return finish(fig, title, df, height=bar_height(len(df), per_bar=30, base=160), show_legend=False, table=table,
                  note="有数值目标的指标占比" + (f"；{fold_note(len(df), total, '个地区×年度')}" if total > len(df) else ""))


def _class_key(df: pd.DataFrame) -> list[tuple[str, str]]:
    return [(c, color) for c, color in ATTAINMENT_COLORS.items() if c in set(df["attainment_zh"])]


def attainment_mix(df: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: how many indicators of each project fall in each
    attainment class, for the projects with the most 未完成.

    Expects `indicators/attainment_by_project` columns (project_id, project_name,
    region, year, attainment_zh, indicators, projects_total). Projects are keyed by
    id, so two projects of the same name stay two bars.
    """
    total = int(first_value(df, "projects_total", 0) or 0)
    title = "指标完成情况（个，按项目）"
    if df.empty:
        return empty_figure(title)
    keys = df.drop_duplicates("project_id").sort_values(["region", "year", "project_name"])
    labels = dict(zip(keys["project_id"], unique_labels([axis_label(r, 10) for r in keys.to_dict("records")])))
    hover = dict(zip(keys["project_id"], [project_label(r) for r in keys.to_dict("records")]))
    order = [labels[p] for p in keys["project_id"]]
    fig = go.Figure()
    for cls, color in ATTAINMENT_COLORS.items():
        part = df[df["attainment_zh"] == cls].set_index("project_id").reindex(keys["project_id"])
        if part["indicators"].notna().any():
            fig.add_bar(y=order, x=part["indicators"], orientation="h", name=cls, marker_color=color,
                        hovertext=[hover[p] for p in keys["project_id"]],
                        text=[f"{int(v)}" if not pd.isna(v) else "" for v in part["indicators"]],
                        textposition="inside", hovertemplate="%{hovertext}<br>" + cls + "：%{x} 个<extra></extra>")
    fig.update_layout(barmode="stack", bargap=0.35)
    fig.update_xaxes(title_text=axis_title("indicators"))
    fig.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=order)
    counts = {cls: df[df["attainment_zh"] == cls].set_index("project_id")["indicators"].reindex(keys["project_id"])
              .tolist() for cls in ATTAINMENT_COLORS if cls in set(df["attainment_zh"])}
    table = export_table([plain_project_label(r) for r in keys.to_dict("records")], counts, unit="个",
                         category="项目", kind="barh")
    return finish(fig, title, df, height=bar_height(len(order), per_bar=46, base=220), key=_class_key(df),
                  note=fold_note(len(order), total, "个项目", "未完成指标最多的"), table=table)


def attainment_by_level2(df: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: indicators of each attainment class per level-2
    indicator, summed over every project (the view when there are too many
    projects to name).

    Expects `indicators/attainment_by_level2` columns (level1, level2, attainment_zh, indicators)."""
    title = "指标完成情况（个，按二级指标）"
    if df.empty:
        return empty_figure(title)
    order = (df[["level1", "level2"]].drop_duplicates().sort_values(["level1", "level2"])["level2"]
             .drop_duplicates().tolist())
    shown = [svg(name) for name in order]
    fig = go.Figure()
    counts = {}
    for cls, color in ATTAINMENT_COLORS.items():
        part = df[df["attainment_zh"] == cls].groupby("level2")["indicators"].sum().reindex(order)
        if part.notna().any():
            counts[cls] = part.tolist()
            fig.add_bar(y=shown, x=part, orientation="h", name=cls, marker_color=color,
                        text=[f"{int(v):,}" if not pd.isna(v) else "" for v in part], textposition="inside",
                        hovertemplate="%{y}<br>" + cls + "：%{x:,} 个<extra></extra>")
    fig.update_layout(barmode="stack", bargap=0.35)
    fig.update_xaxes(title_text=axis_title("indicators"))
    fig.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=shown)
    table = export_table(order, counts, unit="个", category="二级指标", kind="barh")
    return finish(fig, title, df, height=bar_height(len(order), per_bar=32, base=200), key=_class_key(df),
                  table=table)
