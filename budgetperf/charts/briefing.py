"""The 总览 briefing in words: the headline sentence, the year a briefing is about,
year-on-year changes, the statuses of the key figures, and why a region or project
is at the bottom of its ranking.

Pure functions over the overview queries' frames (`overview/kpis_by_year`,
`overview/region_ranking`, `overview/low_scores`); no streamlit, no SQL, so every
sentence is unit-tested. Numbers are formatted here the way the cards show them
(`charts` formatting), so the headline and the cards always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from budgetperf.charts.common import (
    UNDISCLOSED,
    WARNING_RATE_PCT,
    execution_status,
    fmt_number,
    fmt_pct,
    fmt_wan,
    grade_band,
    is_missing,
    region_label,
    year_label,
)


def focus_year(by_year: pd.DataFrame, chosen: Sequence[int] | None) -> int | None:
    """The year a briefing is about: the latest chosen year that has evaluated
    projects, else (no year chosen) the latest year with an execution rate, else
    the latest year with evaluated projects; None when there is none."""
    rows = by_year[by_year["projects"] > 0] if not by_year.empty else by_year
    years = [int(y) for y in rows["year"].dropna()]
    if chosen:
        picked = [y for y in years if y in set(int(c) for c in chosen)]
        return max(picked) if picked else None
    rated = [int(y) for y in rows.loc[rows["execution_rate_pct"].notna(), "year"].dropna()]
    return max(rated or years) if (rated or years) else None


def previous_year(by_year: pd.DataFrame, year: int) -> int | None:
    """The latest year before `year` with evaluated projects (for 同比), or None."""
    years = [int(y) for y in by_year.loc[by_year["projects"] > 0, "year"].dropna() if int(y) < year]
    return max(years) if years else None


def headline(year: int, kpi: pd.Series, ranking: pd.DataFrame, warning_pct: float = WARNING_RATE_PCT) -> str:
    """One sentence for the current filters, e.g.
    「2021 年 3 个地区加权执行率 94.26%，最低 三门峡市 89.72%（低于 90% 警戒线）」.

    `kpi` is the year's `overview/kpis_by_year` row; `ranking` the year's regions
    from `overview/region_ranking`, lowest rate first."""
    rated = ranking[ranking["execution_rate_pct"].notna()] if not ranking.empty else ranking
    regions = int(ranking["regions_total"].iloc[0]) if not ranking.empty else int(kpi.get("regions", 0) or 0)
    who = f"{region_label(ranking.iloc[0].region)}" if regions == 1 and not ranking.empty else f"{regions:,} 个地区"
    if rated.empty or is_missing(kpi.get("execution_rate_pct")):
        return f"{year} 年 {who}的报告均未披露执行数，无法计算执行率"
    sentence = f"{year} 年 {who}加权执行率 {fmt_pct(kpi['execution_rate_pct'])}"
    if regions == 1:
        status = execution_status(kpi["execution_rate_pct"], warning_pct)
        return sentence + ("（低于 " if status == "低于警戒线" else "（达到 ") + f"{warning_pct:g}% 警戒线）"
    lowest = rated.iloc[0]
    below = int(rated["execution_rate_pct"].lt(warning_pct).sum())
    if below == 0:
        return sentence + f"，均达到 {warning_pct:g}% 警戒线，最低 {region_label(lowest.region)} " \
                          f"{fmt_pct(lowest.execution_rate_pct)}"
    where = "低于" if below == 1 else f"{below:,} 个地区低于"
    return sentence + f"，最低 {region_label(lowest.region)} {fmt_pct(lowest.execution_rate_pct)}" \
                      f"（{where} {warning_pct:g}% 警戒线）"


def region_reason(row: pd.Series) -> str:
    """Why a region ranks low: the project that spent least of its budget, and the
    largest single loss of points (a `overview/region_ranking` row)."""
    parts = []
    if isinstance(row.get("low_project"), str):
        spent = "" if is_missing(row.get("low_project_executed_wan")) else \
            f"执行 {fmt_number(row['low_project_executed_wan'])} / {fmt_wan(row['low_project_budget_wan'])}，"
        parts.append(f"「{row['low_project']}」{spent}执行率 {fmt_pct(row['low_project_rate_pct'])}")
    if isinstance(row.get("lost_item"), str):
        parts.append(f"失分最多：「{row['lost_item']}」失 {fmt_number(row['lost_item_points'])} 分")
    if not parts and row.get("projects_undisclosed"):
        parts.append(f"{int(row['projects_undisclosed'])} 个项目未披露执行数")
    return "；".join(parts) or "报告未写明原因"


def score_reason(row: pd.Series) -> str:
    """Why a project scored low: its largest loss of points (a `overview/low_scores` row)."""
    if isinstance(row.get("lost_item"), str):
        more = f"，共 {int(row['lost_items'])} 处失分" if row.get("lost_items", 0) > 1 else ""
        return f"失分最多：「{row['lost_item']}」失 {fmt_number(row['lost_item_points'])} 分{more}"
    return "报告没有写明失分项"


# A passage on a card is a reminder, not the report: its first words, the rest one
# click away (「打开原文」 opens its lines).
WHY_CHARS = 80


def why_excerpt(passage: pd.Series | dict | None, limit: int = WHY_CHARS) -> str | None:
    """The report's own explanation (a `sources/why_passages` row) in a line:
    「报告所述（存在的问题）：年初预算申请与项目执行时……」, cut at `limit` characters
    with an ellipsis; None without a passage or text."""
    if passage is None:
        return None
    text = " ".join(str(passage.get("text") or "").split())
    if not text:
        return None
    if len(text) > limit:
        text = text[:limit].rstrip("，。；、,.;: ") + "……"
    return f"报告所述（{passage.get('kind_zh') or '说明'}）：{text}"


def why_note(title: str, passage: pd.Series | dict | None) -> str | None:
    """One line of the headline slide's notes: whose explanation, in full, and where
    it stands in the report (「三门峡市：报告所述（存在的问题）：…（第 80–81 行）」)."""
    if passage is None or not str(passage.get("text") or "").strip():
        return None
    start, end = passage.get("line_start"), passage.get("line_end")
    where = "" if is_missing(start) else (f"（第 {int(start)} 行）" if is_missing(end) or int(end) == int(start)
                                          else f"（第 {int(start)}–{int(end)} 行）")
    text = " ".join(str(passage["text"]).split())
    return f"{title}：报告所述（{passage.get('kind_zh') or '说明'}）：{text}{where}"


@dataclass(frozen=True)
class Change:
    """A KPI's change against the previous year: the delta text and how to colour it."""

    text: str | None
    color: str = "off"  # st.metric delta_color: normal (up is good), inverse, off
    since: str | None = None  # "较 2020 年"


def change(now: object, before: object, kind: str, previous: int | None) -> Change:
    """同比 text for a KPI: `kind` is "wan" (万元, neutral), "pct" (percentage
    points, up is good), "score" (points, up is good), "count" (neutral) or
    "findings" (up is bad). No previous year or value: no delta."""
    if previous is None or is_missing(now) or is_missing(before):
        return Change(None)
    diff = float(now) - float(before)
    since = f"较 {previous} 年"
    if kind == "wan":
        ratio = f"（{diff / float(before):+.1%}）" if float(before) else ""
        return Change(f"{diff:+,.2f} 万元{ratio}", "off", since)
    if kind == "pct":
        return Change(f"{diff:+.2f} 个百分点", "normal", since)
    if kind == "score":
        return Change(f"{diff:+.2f} 分", "normal", since)
    if kind == "findings":
        return Change(f"{diff:+,.0f} 条", "inverse", since)
    return Change(f"{diff:+,.0f} 个", "off", since)


def rate_status(rate: object, warning_pct: float = WARNING_RATE_PCT) -> tuple[str, str] | None:
    """The execution rate's badge: (text, colour) against the 警戒线."""
    status = execution_status(rate, warning_pct)
    if status == UNDISCLOSED:
        return None
    text = {"低于警戒线": f"低于 {warning_pct:g}% 警戒线", "达标": f"达到 {warning_pct:g}% 警戒线",
            "超过预算": "超过预算"}[status]
    return text, {"低于警戒线": "red", "达标": "green", "超过预算": "orange"}[status]


def rate_basis(shown: object, stated: object, is_computed: object) -> str:
    """What a project's rate is, said after it: 「（按金额计算）」 when the report
    states none, 「（按金额计算；报告写 89.72%）」 when the stated rate disagrees with
    executed ÷ budget (the rate every total is summed from), else nothing."""
    if is_computed is True or (not is_missing(is_computed) and bool(is_computed)):
        return "（按金额计算）"
    if is_missing(shown) or is_missing(stated) or fmt_pct(shown) == fmt_pct(stated):
        return ""
    return f"（按金额计算；报告写 {fmt_pct(stated)}）"


def score_status(score: object) -> tuple[str, str] | None:
    """The average score's badge: its grade band."""
    band = grade_band(score)
    if band is None:
        return None
    return f"等级区间：{band}", {"优": "green", "良": "green", "中": "orange", "差": "red"}[band]


def project_title(row: pd.Series) -> str:
    """「项目（地区 年度）」."""
    return f"{row['project_name']}（{region_label(row['region'])} {year_label(row['year'])}）"


@dataclass(frozen=True)
class Card:
    """One KPI card: label with its year, value, help, 同比 change, status badge, and
    the page (by key: execution, scores, audit) that explains it."""

    label: str
    value: str
    help: str | None = None
    change: Change | None = None
    status: tuple[str, str] | None = None
    link: tuple[str, str] | None = None  # (page key, link text)


def _matched(like: pd.Series | None) -> int:
    if like is None or is_missing(like.get("matched_projects")):
        return 0
    return int(like["matched_projects"])


def coverage_note(year: int, previous: int | None, like: pd.Series | None) -> str | None:
    """What the 同比 compares, said beside the cards: the projects present in both
    years, and how many each year has (the coverage change), e.g.
    「同比只比较两年都有的 290 个项目（2021 年共 404 个，2020 年共 310 个）」."""
    if previous is None or like is None:
        return None
    counts = f"{year} 年共 {int(like['projects']):,} 个，{previous} 年共 {int(like['before_projects']):,} 个"
    if not _matched(like):
        return f"{year} 年与 {previous} 年没有相同的评价项目，金额、执行率与得分不计同比（{counts}）。"
    return f"同比只比较两年都有的 {_matched(like):,} 个项目（{counts}）。"


def year_cards(year: int, now: pd.Series, before: pd.Series | None, previous: int | None,
               warning_pct: float = WARNING_RATE_PCT, like: pd.Series | None = None) -> list[Card]:
    """The 总览 cards for `year` (`overview/kpis_by_year` rows for it and for the
    previous year): every card names its year, compares with the previous year
    where there is one, and the rate and score carry their status.

    Money, rate and score compare like for like: `like` is the `overview/like_for_like`
    row (the projects present in both years), so a year with 94 more projects does
    not read as a budget up 37%; the project count compares all projects (the
    coverage change). Without `like`, those cards carry no 同比."""
    matched = _matched(like)
    since = (f"同比：与 {previous} 年两年都有的 {matched:,} 个项目相比（不受年度筛选限制）。" if previous and matched
             else f"{previous} 年没有相同的项目，不计同比。" if previous else "没有上一年的数据，不计同比。")

    def delta(column: str, kind: str) -> Change:
        if kind == "count" or kind == "findings":  # counts: all of them, the coverage change
            return change(now[column], None if before is None else before.get(column), kind, previous)
        if not matched:
            return Change(None)
        return change(like[column], like[f"before_{column}"], kind, previous)

    return [
        Card(f"加权执行率（{year} 年）", fmt_pct(now.execution_rate_pct), "执行合计 ÷ 披露执行数的预算合计。" + since,
             delta("execution_rate_pct", "pct"), rate_status(now.execution_rate_pct, warning_pct),
             ("execution", "各项目执行率")),
        Card(f"预算（{year} 年）", fmt_wan(now.budget_wan), "评价项目的预算合计（有项目时按项目，否则按部门整体）。" + since,
             delta("budget_wan", "wan"), link=("execution", "预算与执行")),
        Card(f"执行（{year} 年）", fmt_wan(now.executed_wan),
             f"不含未披露执行数的项目（{int(now.projects_undisclosed)} 个）。" + since, delta("executed_wan", "wan")),
        Card(f"平均得分（{year} 年）", fmt_number(now.avg_score), "评价项目总得分的平均。" + since,
             delta("avg_score", "score"), score_status(now.avg_score), ("scores", "得分分布与失分")),
        Card(f"项目数（{year} 年）", f"{int(now.projects):,} 个",
             f"全部评价项目，与 {previous} 年的全部项目相比。" if previous else "没有上一年的数据，不计同比。",
             delta("projects", "count")),
        Card(f"审核发现（{year} 年）", f"{int(now.checks):,} 条", f"其中错误 {int(now.errors)} 条。"
             + (f"与 {previous} 年的全部发现相比。" if previous else ""), delta("checks", "findings"),
             link=("audit", "审核")),
        Card(f"需复核文档（{year} 年）", f"{int(now.docs_review):,} 份", "抽取时不确定、需人工看一眼的文档（年度为推断等）",
             link=("audit", "需复核的文档")),
    ]


def matched_change(row: dict, measure: str) -> str:
    """A `regions/pair` row's change against its previous evaluated year, over the
    projects present in both (like for like): 「+3.20 个百分点（12 个项目，较 2020 年）」;
    the budget of those projects for a measure that is not per project (量化率)."""
    previous = row.get("previous_year")
    if is_missing(previous):
        return "—（没有更早的评价年度）"
    matched = 0 if is_missing(row.get("matched_projects")) else int(row["matched_projects"])
    if not matched:
        return f"—（{int(previous)} 年没有相同的项目）"
    where = f"（{matched:,} 个项目，较 {int(previous)} 年）"
    pairs = {"execution_rate_pct": ("matched_rate_pct", "matched_before_rate_pct", "pct"),
             "avg_score": ("matched_score", "matched_before_score", "score")}
    now, before, kind = pairs.get(measure, ("matched_budget_wan", "matched_before_budget_wan", "wan"))
    delta = change(row.get(now), row.get(before), kind, int(previous))
    if delta.text is None:
        return f"—（未披露）{where}"
    return ("预算 " if kind == "wan" else "") + delta.text + where


def missing_pins(pins: Sequence[str] | None, shown: Sequence[str], year: int | None = None) -> str | None:
    """The sentence under a ranking for pinned regions (关注地区) it cannot show: they
    have no evaluated project in the year (or under the filters), so they would
    otherwise vanish without a word."""
    missing = [p for p in (pins or []) if p not in set(shown)]
    if not missing:
        return None
    when = f"{year} 年" if year else "当前筛选下"
    return f"关注地区「{'、'.join(missing)}」{when}没有评价结果，排名中没有列出。"
