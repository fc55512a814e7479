"""地区对比's own widgets: the 对比指标 picker (in the URL, ``?measure=…``) and the
region A-versus-B view (``?a=…&b=…``): the two regions year by year on the chosen
measure, and a table of each year's figures with the change of the same projects
against the year before (like for like, `mart_project_matches`).
"""

from __future__ import annotations

import streamlit as st

from budgetperf import charts
from budgetperf.app import display, store_cache, tables
from budgetperf.charts import briefing

MEASURE_KEY = "measure"
PAIR_KEYS = ("a", "b")


def measure_picker() -> str:
    """The 对比指标 (加权执行率, 平均得分, 量化率); every chart of the page follows it."""
    chosen = st.segmented_control("对比指标", list(charts.MEASURES), format_func=lambda m: charts.MEASURES[m][0],
                                  default="execution_rate_pct", key=MEASURE_KEY, bind="query-params")
    return chosen if chosen in charts.MEASURES else "execution_rate_pct"


def _defaults(regions: list[str], chosen: list[str] | None) -> tuple[int | None, int | None]:
    # the first two regions of the 地区 filter, else of the store
    picks = [r for r in (chosen or []) if r in regions] + [r for r in regions if r not in (chosen or [])]
    return (regions.index(picks[0]) if picks else None, regions.index(picks[1]) if len(picks) > 1 else None)


def pair_view(f: dict, measure: str, regions: list[str], ranked: list[str] = ()) -> None:
    """Region A against region B on `measure`, side by side, year by year; by default
    the first two regions of the 地区 filter, else the two lowest of the ranking."""
    st.subheader("两个地区对照")
    if len(regions) < 2:
        st.caption("库中只有一个地区，没有可对照的地区。")
        return
    first, second = _defaults(regions, [*(f.get("regions") or []), *ranked])
    with st.container(horizontal=True, wrap=True, gap="small", key="pair_pickers"):
        a = st.selectbox("地区 A", regions, index=first, key=PAIR_KEYS[0], bind="query-params", filter_mode="contains",
                         width=220)
        b = st.selectbox("地区 B", regions, index=second, key=PAIR_KEYS[1], bind="query-params", filter_mode="contains",
                         width=220)
    if not a or not b or a == b:
        st.caption("选择两个不同的地区。")
        return
    others = {k: v for k, v in f.items() if k != "regions"}
    rows = store_cache.query("regions/pair", **others, a=a, b=b)
    display.chart(charts.region_pair, rows, a, b, measure, name="两个地区对照")
    if rows.empty:
        return
    word = charts.MEASURES[measure][0]
    table = rows.assign(same_projects=[briefing.matched_change(r, measure) for r in rows.to_dict("records")])
    table = table.sort_values(["year", "region"], ascending=[False, True])
    tables.show_table(table, ["year", "region", measure, "projects", "budget_wan", "same_projects"],
                      f"两个地区对照（{word}）")
    display.note("「较上年（同一批项目）」只比较上一个评价年度也有的项目，项目数变化不计入。")


def store_regions() -> list[str]:
    """Every region in the store, sorted (the A and B pickers' options)."""
    rows = store_cache.query("common/filter_options")
    return sorted(str(r) for r in rows.loc[rows["key"] == "regions", "value"]) if not rows.empty else []
