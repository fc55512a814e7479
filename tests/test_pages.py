"""The app with streamlit.testing.v1.AppTest: every page runs, every page file is
registered, and each page shows the store's figures at default and filtered states.

AppTest notes (Streamlit 1.67): start from app.py and `switch_page` (never a page
file directly); seed filters through `session_state` or `query_params` before
`run()`. AppTest starts every run in Streamlit's pages/-directory mode, which runs
a non-default page file without app.py; `frame.page_header` leaves that mode and
reruns (the same repair a fresh server needs for a deep link), so these tests
also exercise it.
"""

from __future__ import annotations

import io
import json
import re
import os
import shutil
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from budgetperf.app import filter_specs, registry, tables
from budgetperf.storing import store

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
PAGE_FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
TIMEOUT = 30


def registered_pages() -> list[str]:
    """The page paths of the registry, which app.py turns into st.Page entries."""
    assert "registry.sections()" in APP.read_text(encoding="utf-8"), "app.py builds its navigation from the registry"
    return [p.path for p in registry.PAGES]


def open_app(page: str | None = None, *, state: dict | None = None, query: dict | None = None) -> AppTest:
    """Run app.py on `page` (a pages/*.py path; None = the default page)."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    if page:
        at.switch_page(page)
    return at.run(timeout=TIMEOUT)


def shown(markdown: str) -> str:
    """Markdown as a reader sees it: the backslash escapes that keep a report's words
    text (`charts.safe.md`) removed."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", str(markdown)).replace("\u2060", "")


def texts(at: AppTest) -> str:
    """Everything a user reads on the page, as one string (metrics, tables, messages)."""
    parts = [m.label + " " + m.value for m in at.metric]
    parts += [shown(e.value) for kind in ("title", "subheader", "caption", "info", "warning", "error", "markdown")
              for e in getattr(at, kind)]
    parts += [df.value.to_string() for df in at.dataframe]
    return "\n".join(str(p) for p in parts)


def table_with(at: AppTest, column: str):
    """The first table shown with a column headed `column`."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def charts_shown(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


# ---------------------------------------------------------------------------
# registration and smoke

def test_every_page_file_is_registered_and_every_registered_page_exists():
    registered = registered_pages()
    assert sorted(registered) == PAGE_FILES
    assert all((ROOT / path).is_file() for path in registered)
    assert len(set(registered)) == len(registered)


@pytest.mark.parametrize("page", [None, *PAGE_FILES])
def test_page_runs_without_exception(dash_env, page):
    at = open_app(page)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title and all("\u4e00" <= ch <= "\u9fff" for ch in at.title[0].value)


@pytest.mark.parametrize("page", [None, *PAGE_FILES])
def test_page_runs_on_an_empty_store(make_store, monkeypatch, page):
    monkeypatch.setenv("BUDGETPERF_DB", str(make_store([], name="empty")))
    at = open_app(page)
    assert not at.exception, [e.value for e in at.exception]
    assert "还没有" in texts(at) or "没有" in texts(at)


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


@pytest.mark.parametrize("page", [None, *PAGE_FILES])
def test_page_at_a_province_runs_with_bounded_charts(province_env, page):
    # ~400 reports over ~250 regions (issue 9): no exception, no chart taller than
    # MAX_HEIGHT, none naming more than a ranking's worth of items, no notice
    # listing hundreds of projects on the first screen
    from budgetperf import charts

    at = open_app(page)
    assert not at.exception, [e.value for e in at.exception]
    for spec in chart_specs(at):
        layout = spec["layout"]
        assert layout["height"] <= charts.MAX_HEIGHT and layout["margin"]["b"] <= 170, layout["title"]
        for trace in spec["data"]:
            names = trace.get("y") if trace.get("orientation") == "h" else None
            assert names is None or len(set(map(str, names))) <= charts.TOP_N + 10, layout["title"]
        assert len(spec["data"]) <= 12, layout["title"]
        sources = [a["text"] for a in layout.get("annotations", []) if a.get("name") == "source"]
        assert sources and "<br>" not in sources[0], layout["title"]
    assert all(len(w.value) < 200 for w in at.warning)
    assert all(len(c.value) < 300 for c in at.caption)


def test_missing_store_says_whom_to_ask(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETPERF_DB", str(tmp_path / "nope.duckdb"))
    at = open_app()
    assert not at.exception
    message = at.error[0].value
    assert "数据管理员" in message and "python -m" not in message and "make" not in message


def test_a_store_of_an_older_version_asks_for_a_rebuild(dash_store, tmp_path, monkeypatch):
    old = tmp_path / "old.duckdb"
    shutil.copy(dash_store, old)
    con = duckdb.connect(str(old))
    con.execute("delete from store_meta where key = 'schema_version'")  # stamped by no version of ours
    con.execute("drop table mart_projects")  # and lacking what this version's queries read
    con.close()
    monkeypatch.setenv("BUDGETPERF_DB", str(old))
    at = open_app()
    assert not at.exception
    assert "数据库由旧版本生成" in at.error[0].value


def test_a_fault_of_the_program_is_not_blamed_on_the_store(dash_store, monkeypatch):
    # a query that fails on a current store (a developer's typo) is not 「旧版本」
    monkeypatch.setenv("BUDGETPERF_DB", str(dash_store))
    real = store.run_query

    def typo(name, con=None, **params):
        if name == "overview/kpis_by_year":
            return real("overview/kpis_by_yeer", con=con, **params)
        return real(name, con=con, **params)
    monkeypatch.setattr(store, "run_query", typo)
    st.cache_data.clear()  # results of earlier tests on the same store would be served
    at = open_app()
    assert not at.exception
    message = at.error[0].value
    assert "查询出错" in message and "旧版本" not in message


def test_a_rebuilt_store_is_picked_up(make_store, dash_store, tmp_path, monkeypatch):
    # a rebuild os.replace()s the file: the cached connection must reopen (and the
    # old one close first, or DuckDB hands back the old database from its cache)
    live = tmp_path / "live.duckdb"
    shutil.copy(make_store([ROOT / "data" / "reports" / "001_4f47e40a9e3722bd.txt"], name="one"), live)
    monkeypatch.setenv("BUDGETPERF_DB", str(live))
    at = open_app()
    assert metrics(at)["预算（2021 年）"] == "110.00 万元"
    shutil.copy(dash_store, tmp_path / "next.duckdb")
    os.replace(tmp_path / "next.duckdb", live)
    at.run()
    assert metrics(at)["预算（2021 年）"] == "197.00 万元"


def cited_lines(at: AppTest) -> list[str]:
    """The source-line excerpts shown (HTML tables with the cited lines marked ▶)."""
    return [h.proto.body for h in at.get("html") if "▶" in h.proto.body]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# ---------------------------------------------------------------------------
# filters

def test_filters_come_from_the_store_and_default_to_all(dash_env):
    at = open_app()
    boxes = {m.label: m for m in at.sidebar.multiselect}
    assert list(boxes)[:6] == [f.label for f in filter_specs.FILTERS] and "关注地区" in boxes
    assert {"乐亭县", "三门峡市", "丰南区"} == set(boxes["地区"].options)
    assert boxes["年度"].options == ["2025", "2024", "2021"]
    assert all(m.value == [] for m in boxes.values())  # 全部
    assert "全部数据" in texts(at)


def test_filter_from_the_url_applies(dash_env):
    at = open_app(query={"regions": "三门峡市", "years": "2021"})
    assert at.session_state["regions"] == ["三门峡市"] and at.session_state["years"] == [2021]
    assert metrics(at)["加权执行率（2021 年）"] == "89.72%"


def test_changing_a_filter_updates_figures(dash_env):
    at = open_app()
    at.sidebar.multiselect(key="regions").set_value(["乐亭县"]).run()
    assert at.session_state["regions"] == ["乐亭县"]
    assert metrics(at)["预算（2021 年）"] == "87.00 万元"


def test_clear_resets_every_filter(dash_env):
    at = open_app(state={"regions": ["乐亭县"], "years": [2021]})
    assert metrics(at)["预算（2021 年）"] == "87.00 万元"
    at.sidebar.button(key="filters.clear").click().run()
    assert at.session_state["regions"] == [] and at.session_state["years"] == []
    assert metrics(at)["预算（2021 年）"] == "197.00 万元"


def test_active_filters_show_as_chips_that_remove_themselves(dash_env):
    at = open_app(state={"regions": ["乐亭县"], "years": [2021]})
    chip = at.button(key="chip.regions.乐亭县")
    assert chip.label == "地区：乐亭县"
    chip.click().run()
    assert at.session_state["regions"] == [] and at.session_state["years"] == [2021]
    assert metrics(at)["预算（2021 年）"] == "197.00 万元"


def test_filters_survive_a_page_switch(dash_env):
    at = open_app(state={"regions": ["三门峡市"]})
    at.switch_page("pages/execution.py").run()
    assert at.session_state["regions"] == ["三门峡市"]
    assert "网信乐亭" not in texts(at) and "网络宣传管理和文化建设经费" in texts(at)


def test_cascading_filters_list_a_provinces_projects_only_under_a_region(province_env):
    at = open_app()
    projects = at.sidebar.multiselect(key="projects")
    assert len(projects.options) <= 2000
    at.sidebar.multiselect(key="regions").set_value(["乐亭县"]).run()
    assert set(at.sidebar.multiselect(key="projects").options) == {
        "部门整体支出", "网信乐亭", "网络强军工程建设与宣传", "购买舆情监测服务", "网络强军建设及网络宣传经费",
        "网络舆情搜集发现及网络安全保障服务"}


@pytest.mark.parametrize("state, expected", [
    ({}, {"years": None, "regions": None, "levels": None, "units": None, "projects": None, "doc_types": None}),
    ({"years": ["2021"], "regions": []}, {"years": [2021], "regions": None}),
    ({"doc_types": ["目标"]}, {"doc_types": ["目标"]}),
])
def test_filter_params_map_all_to_none(state, expected):
    params = filter_specs.to_params(state)
    assert {k: params[k] for k in expected} == expected


def test_empty_hint_names_the_filter_to_change():
    hint = filter_specs.empty_hint("预算执行数据", filter_specs.to_params({"doc_types": ["目标"]}), blockers=["doc_types"])
    assert hint == "当前筛选下没有预算执行数据：请取消「文档类型=目标」或选择其他年度（点页面上方的筛选标签，或在左侧栏修改）。"


@pytest.mark.parametrize("params, years, context", [
    ({}, [2021, 2024, 2025], "2021、2024、2025 年；全部地区"),
    ({"years": [2021]}, [], "2021 年；全部地区"),
    ({"regions": ["三门峡市"]}, [2019, 2020, 2021], "2019–2021 年；地区：三门峡市"),
    ({"regions": ["a", "b", "c", "d"], "projects": ["p"]}, [2021], "2021 年；地区：a、b、c 等 4 个；项目：p"),
])
def test_figure_context_states_years_and_filters(params, years, context):
    assert filter_specs.figure_context(filter_specs.to_params(params), years) == context


# ---------------------------------------------------------------------------
# one behaviour test per page: default filters, then a filtered state

def test_overview(dash_env):
    at = open_app()
    m = metrics(at)
    assert m["预算（2021 年）"] == "197.00 万元" and m["加权执行率（2021 年）"] == "94.26%"
    assert m["项目数（2021 年）"] == "4 个" and m["审核发现（2021 年）"] == "7 条"
    table = table_with(at, "execution_rate_pct")
    assert table["execution_rate_pct"].tolist()[:2] == [89.72, 100.0]  # numbers, lowest first
    assert charts_shown(at) == 1 and "来源：4 份报告" in texts(at)
    at = open_app(state={"doc_types": ["目标"]})
    assert "请取消「文档类型=目标」" in at.info[0].value and charts_shown(at) == 0


def headline(at: AppTest) -> str:
    return shown(next(m.value for m in at.markdown if m.value.startswith("### ")).removeprefix("### "))


@pytest.mark.parametrize("state, sentence", [
    ({}, "2021 年 2 个地区加权执行率 94.26%，最低 三门峡市 89.72%（低于 90% 警戒线）"),
    ({"years": [2021], "regions": ["乐亭县"]}, "2021 年 乐亭县加权执行率 100.00%（达到 90% 警戒线）"),
    ({"years": [2024]}, "2024 年 丰南区的报告均未披露执行数，无法计算执行率"),
    ({"regions": ["三门峡市", "乐亭县"], "projects": ["网信乐亭", "网络宣传管理和文化建设经费"]},
     "2021 年 2 个地区加权执行率 89.90%，最低 三门峡市 89.72%（低于 90% 警戒线）"),  # 100.69 / 112
])
def test_the_headline_answers_for_the_filters(dash_env, state, sentence):
    at = open_app(state=state)
    assert headline(at) == sentence


def test_the_headline_says_why_and_links_to_the_line(dash_env):
    at = open_app(state={"years": [2021]})
    why = next(shown(c.value) for c in at.caption if c.value.startswith("三门峡市："))
    assert "「网络宣传管理和文化建设经费」执行 98.69 / 110.00 万元，执行率 89.72%" in why
    assert "失分最多：「预算执行率」失 1 分" in why
    at.button(key="headline.source").click().run()
    assert at.title[0].value == "数据来源"
    assert "你在图中点击的数值" in texts(at) and "89.72%" in cited_lines(at)[0]


def test_kpis_carry_year_change_and_status(dash_env):
    at = open_app()
    rate = next(m for m in at.metric if m.label == "加权执行率（2021 年）")
    assert rate.value == "94.26%" and not rate.delta  # no earlier year in the seeds
    assert "没有上一年的数据" in rate.help
    badges = [b.proto.body for b in at.markdown if "badge[" in b.proto.body]
    assert any(":green-badge[达到 90% 警戒线]" in b for b in badges)
    at = open_app(state={"regions": ["三门峡市"], "years": [2021]})
    badges = [b.proto.body for b in at.markdown if "badge[" in b.proto.body]
    assert any(":red-badge[低于 90% 警戒线]" in b for b in badges)


def test_kpis_follow_the_project_filter(dash_env):
    # one project picked: the cards show that project, not the whole county (issue 11)
    at = open_app(state={"projects": ["网信乐亭"]})
    m = metrics(at)
    assert m["预算（2021 年）"] == "2.00 万元" and m["项目数（2021 年）"] == "1 个"
    assert m["审核发现（2021 年）"] == "1 条" and m["加权执行率（2021 年）"] == "100.00%"


def test_kpis_compare_with_the_previous_year_like_for_like(province_env):
    # the province's copies put other counties in other years: whatever the two
    # years share is what the cards compare, and the caption says how many
    at = open_app()
    rate = next(m for m in at.metric if m.label == "加权执行率（2021 年）")
    budget = next(m for m in at.metric if m.label == "预算（2021 年）")
    projects = next(m for m in at.metric if m.label == "项目数（2021 年）")
    assert "个" in projects.delta and "与 2020 年的全部项目相比" in projects.help  # the coverage change
    covered = re.search(r"同比只比较两年都有的 ([\d,]+) 个项目（2021 年共 [\d,]+ 个，2020 年共 [\d,]+ 个）", texts(at))
    if covered:
        assert "个百分点" in rate.delta and "万元" in budget.delta and "两年都有的" in budget.help
    else:
        assert "2021 年与 2020 年没有相同的评价项目" in texts(at) and not rate.delta and not budget.delta


def test_attention_lists_rank_regions_and_projects(province_env):
    at = open_app(state={"years": [2021]})
    items = [shown(m.value) for m in at.markdown if shown(m.value).startswith("**1. ")]
    assert len(items) == 2 and "89.72%" in items[0] and "99 分" in items[1]


def test_a_chart_click_filters_the_pages_to_the_region_and_year(dash_env):
    # what a click on a heatmap cell or ranking bar sends (its customdata); the
    # pages filter to it and the URL says so
    at = open_app()
    at.session_state["ui.click"] = ["三门峡市", 2021, None, None, None]
    at.run()
    assert at.session_state["regions"] == ["三门峡市"] and at.session_state["years"] == [2021]
    assert at.query_params["regions"] == "三门峡市" and at.query_params["years"] == "2021"
    assert metrics(at)["加权执行率（2021 年）"] == "89.72%"
    assert at.button(key="chip.regions.三门峡市").label == "地区：三门峡市"


def test_a_click_on_a_projects_number_opens_its_line(dash_env):
    at = open_app("pages/execution.py")
    at.session_state["ui.click"] = ["三门峡市", 2021, "001_4f47e40a9e3722bd.txt", "网络宣传管理和文化建设经费",
                                    "executed"]
    at.run()
    assert at.title[0].value == "数据来源" and at.query_params["field"] == "executed"
    assert "98.69" in cited_lines(at)[0]


def test_tables_sort_numbers_as_numbers(dash_env):
    at = open_app("pages/execution.py")
    table = table_with(at, "budget_wan")
    assert table["budget_wan"].dtype.kind == "f" and table["execution_rate_pct"].dtype.kind == "f"
    at.selectbox(key="projects.sort").set_value("budget_wan").run()
    assert table_with(at, "budget_wan")["budget_wan"].tolist() == [2, 21.18, 35, 50, 110]
    at.segmented_control(key="projects.order").set_value("desc").run()
    assert table_with(at, "budget_wan")["budget_wan"].tolist() == [110, 50, 35, 21.18, 2]
    rates = table_with(at, "execution_rate_pct")
    at.selectbox(key="projects.sort").set_value("execution_rate_pct").run()
    at.segmented_control(key="projects.order").set_value("asc").run()
    rates = table_with(at, "execution_rate_pct")["execution_rate_pct"].tolist()
    assert rates[:2] == [89.72, 100.0]  # not "100.00%" before "89.72%"


def test_rate_charts_are_coloured_by_status(dash_env):
    from budgetperf import charts

    at = open_app("pages/execution.py")
    fig = next(e.fig for e in at.session_state["ui.exports"] if e.export_name == "各项目执行率")
    colour_of = {float(x): t.marker.color for t in fig.data for x in t.x}
    assert colour_of[89.72] == charts.STATUS_COLORS["低于警戒线"] and colour_of[100] == charts.STATUS_COLORS["达标"]
    status = table_with(at, "status").set_index("project_name")["status"]
    assert status["网络宣传管理和文化建设经费"] == "▼ 低于警戒线" and status["网信乐亭"] == "● 达标"


def test_every_chart_states_its_filters_and_years(dash_env):
    at = open_app("pages/execution.py", state={"regions": ["三门峡市"]})
    for spec in chart_specs(at):
        assert spec["layout"]["title"]["subtitle"]["text"].startswith("2021 年；地区：三门峡市")


def test_execution(dash_env):
    at = open_app("pages/execution.py")
    shown = texts(at)
    assert "未披露" in shown and "1 个项目的报告未披露执行数" in at.warning[0].value
    assert charts_shown(at) == 4  # budget vs executed, rate, spending plan, expenses
    assert "实际支出进度尚未报告" in shown
    table = table_with(at, "status")
    assert table["execution_rate_pct"].iloc[0] == pytest.approx(89.72) and "低于警戒线" in table["status"].iloc[0]
    at = open_app("pages/execution.py", state={"doc_types": ["目标"]})
    assert at.info[0].value == "当前筛选下没有预算执行数据：请取消「文档类型=目标」或选择其他年度（点页面上方的筛选标签，或在左侧栏修改）。"
    assert charts_shown(at) == 1  # the targets' spending plan remains


def test_indicators(dash_env):
    at = open_app("pages/indicators.py")
    table = table_with(at, "attainment_zh")
    assert len(table) == 40 and set(table["attainment_zh"]) == {"超额完成", "完成", "定性", "未评价"}
    assert metrics(at)["量化率"] == "52.50%"
    assert charts_shown(at) == 3
    at = open_app("pages/indicators.py", state={"regions": ["三门峡市"]})
    assert "当前筛选下没有绩效指标" in at.info[0].value and "地区=三门峡市" in at.info[0].value


def test_scores(dash_env):
    at = open_app("pages/scores.py")
    assert charts_shown(at) == 4
    lost = table_with(at, "lost_points")
    assert lost.iloc[0]["item"] == "预算执行率" and lost.iloc[0]["lost_points"] == 1
    at = open_app("pages/scores.py", state={"regions": ["乐亭县"]})
    spec = chart_specs(at)[-1]
    assert any("没有失分项" in a["text"] for a in spec["layout"]["annotations"])


def test_regions(dash_env):
    at = open_app("pages/regions.py")
    assert charts_shown(at) == 6  # ranking, across years, A versus B, indicator mix, budgets, same project
    shown = texts(at)
    assert "购买舆情监测服务" in shown and "网络舆情搜集发现及网络安全保障服务" in shown
    links = table_with(at, "earlier_project_name")
    assert links["budget_wan"].tolist() == [20, 61]
    at = open_app("pages/regions.py", state={"regions": ["三门峡市"]})
    assert "当前筛选下没有可跨年对照的项目" in at.info[0].value


def test_regions_at_a_province_rank_and_pin(province_env):
    at = open_app("pages/regions.py", state={"pins": ["乐亭县"]})
    ranking = chart_specs(at)[0]
    labels = ranking["data"][0]["y"]
    assert len(labels) <= charts_top() + 6 and any(label.startswith("★ ") and "乐亭县" in label for label in labels)


def charts_top() -> int:
    from budgetperf import charts

    return charts.TOP_N


def test_sources_detail_from_the_url(dash_env):
    at = open_app("pages/sources.py")
    assert len(table_with(at, "doc_name")) == 4 and "选择一个文档" in at.info[0].value
    assert "乐亭县委网信办 2021 部门整体评价" in texts(at)
    at = open_app("pages/sources.py", query={"doc": "001_4f47e40a9e3722bd.txt", "project": "网络宣传管理和文化建设经费"})
    m = metrics(at)
    assert m["执行率"] == "89.72%" and m["预算"] == "110.00 万元"
    html = cited_lines(at)[-1]  # the project's own lines, cited line highlighted
    assert "background:#fff3c4" in html and "▶ 1<" in html and "项目支出绩效自评报告" in html


def test_a_click_on_a_number_opens_its_source_line(dash_env):
    at = open_app("pages/sources.py", query={"doc": "001_4f47e40a9e3722bd.txt",
                                             "project": "网络宣传管理和文化建设经费", "field": "execution_rate"})
    cited = cited_lines(at)[0]
    assert "你在图中点击的数值" in texts(at) and "执行率为89.72%" in cited.replace(" ", "")


def test_sources_links_on_to_the_project_on_other_pages(dash_env):
    at = open_app("pages/sources.py", state={"doc": "000_c45d5bc83af97699.txt", "project": "网信乐亭"})
    at.button(key="sources.to_indicators").click().run()
    assert at.title[0].value == "指标完成"
    assert (at.session_state["projects"], at.session_state["regions"], at.session_state["years"]) == \
        (["网信乐亭"], ["乐亭县"], [2021])
    assert set(table_with(at, "attainment_zh")["project_name"]) == {"网信乐亭"}


def test_audit(dash_env):
    at = open_app("pages/audit.py")
    assert metrics(at) == {"未处理的错误": "2 条", "未处理的警告": "7 条", "未处理的提示": "5 条", "需复核文档": "2 份"}
    assert charts_shown(at) == 2
    rules = table_with(at, "rule")
    assert rules["findings"].sum() == 14 and rules.iloc[0]["severity_zh"] == "错误"
    assert all(isinstance(h, str) and h for h in rules["help"])
    findings = table_with(at, "message_zh")
    assert {"doc_name", "file", "line_start"} <= set(findings.columns)
    assert "丰南区委网信办 2024 专项资金评价" in set(table_with(at, "reason")["doc_name"])
    at = open_app("pages/audit.py", query={"severities": "错误"})
    assert metrics(at)["未处理的错误"] == "2 条" and metrics(at)["未处理的警告"] == "0 条"
    assert set(table_with(at, "message_zh")["severity_zh"]) == {"错误"}


def test_findings_xlsx_is_formatted(dash_env):
    import pandas as pd


    df = pd.DataFrame({"severity_zh": ["错误"], "region": ["三门峡市"], "year": [2021], "message_zh": ["总分不一致"],
                       "line_start": [36]})
    data = tables.table_xlsx(df, list(df.columns), sheet="审核发现", title="预算绩效评价审核发现", note="地区=三门峡市")
    ws = load_workbook(io.BytesIO(data))["审核发现"]
    assert ws["A1"].value == "预算绩效评价审核发现" and "地区=三门峡市" in ws["A2"].value
    assert [c.value for c in ws[5]] == ["严重程度", "地区", "年度", "审核意见", "起始行"]
    assert ws.freeze_panes == "A6" and ws["C6"].value == 2021
    assert ws.column_dimensions["D"].width >= 10


def test_filter_options_narrow_regions_by_level_and_keep_the_selection():
    import pandas as pd

    rows = pd.DataFrame({"key": ["regions", "regions", "regions", "years", "years", "doc_types"],
                         "value": ["乐亭县", "三门峡市", "丰南区", "2021", "2024", "评价"],
                         "level": ["县", "市", "区", None, None, None]})
    params = filter_specs.to_params({"levels": ["县"]})
    assert filter_specs.options(rows, "regions", params) == ["乐亭县"]  # narrowed by 层级
    assert filter_specs.options(rows, "regions", params, selected=["丰南区"]) == ["丰南区", "乐亭县"]  # a selection stays
    assert filter_specs.options(rows, "years", params) == [2024, 2021]  # latest first
    assert filter_specs.options(rows, "levels", {}) == ["县", "区", "市"]


# ---------------------------------------------------------------------------
# 导出 panel

def download_labels(at: AppTest) -> list[str]:
    """The 导出 panel's downloads, once asked for (准备导出 opens the panel)."""
    prepare = [b for b in at.sidebar.button if b.key == "export.prepare"]
    if prepare:
        prepare[0].click().run()
    return [button.proto.label for button in at.get("download_button")]


def test_export_panel_offers_png_xlsx_pptx_for_the_page(dash_env):
    at = open_app("pages/execution.py")
    assert not at.exception
    labels = download_labels(at)
    assert {"XLSX（数据＋图表）", "PNG 图片（ZIP）", "PPTX（会议材料）"} <= set(labels)
    assert any("张图表" in c.value for c in at.caption)


def test_export_panel_without_chromium_explains_and_keeps_xlsx(dash_env, monkeypatch):
    monkeypatch.setenv("BUDGETPERF_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("PATH", "/nonexistent")
    at = open_app("pages/execution.py")
    assert not at.exception
    labels = download_labels(at)
    assert "XLSX（数据＋图表）" in labels and "PNG 图片（ZIP）" not in labels
    assert any("数据管理员" in i.value for i in at.info)


def test_export_panel_with_nothing_to_export_says_what_to_change(dash_env):
    at = open_app("pages/execution.py", query={"years": "2019"})
    assert not at.exception
    assert "XLSX（数据＋图表）" not in download_labels(at)
    assert any("没有图表可导出" in c.value for c in at.caption)


# ---------------------------------------------------------------------------
# reports with gaps: no year found, region not in the reference table

def test_pages_show_reports_without_year_or_known_region(make_store, monkeypatch, tmp_path):
    from tests.conftest import FIXTURES_DIR, REPORTS_DIR

    unknown_region = tmp_path / "unknown_region.txt"
    unknown_region.write_text(
        (FIXTURES_DIR / "special_fund_expenses_mismatch.txt").read_text(encoding="utf-8").replace("迁西县", "某某县"),
        encoding="utf-8")
    db = make_store([REPORTS_DIR / "001_4f47e40a9e3722bd.txt", FIXTURES_DIR / "special_fund_expenses_mismatch.txt",
                     unknown_region], name="gaps")
    monkeypatch.setenv("BUDGETPERF_DB", str(db))
    for page in PAGE_FILES:
        at = open_app(page)
        assert not at.exception, (page, at.exception)
    at = open_app("pages/execution.py")
    figures = [e.fig for e in at.session_state["ui.exports"] if e.fig is not None]
    assert any("年度未知" in json.dumps(f.to_plotly_json(), ensure_ascii=False, default=str) for f in figures)
    at = open_app("pages/audit.py")
    assert "地区未知" in texts(at)


# ---------------------------------------------------------------------------
# year-on-year like for like (issue 21): the change over the projects present in
# both years, with the coverage change beside it

@pytest.fixture(scope="module")
def two_year_store(make_store, tmp_path_factory) -> Path:
    """One county's project in 2020 and 2021 (110 万元 both years, executed 80.00
    then 98.69) and a second, large project only in 2021 (500 万元)."""
    folder = tmp_path_factory.mktemp("two_years")
    seed = (ROOT / "data" / "reports" / "001_4f47e40a9e3722bd.txt").read_text(encoding="utf-8")
    (folder / "a2021.txt").write_text(seed, encoding="utf-8")
    (folder / "a2020.txt").write_text(seed.replace("2021", "2020").replace("98.69", "80.00")
                                      .replace("89.72%", "72.73%"), encoding="utf-8")
    (folder / "b2021.txt").write_text(seed.replace("网络宣传管理和文化建设经费", "网络安全应急演练经费")
                                      .replace("110万元", "500万元").replace("98.69", "500")
                                      .replace("89.72%", "100%"), encoding="utf-8")
    return make_store(sorted(folder.iterdir()), name="two_years")


def test_year_on_year_compares_the_same_projects(two_year_store, monkeypatch):
    monkeypatch.setenv("BUDGETPERF_DB", str(two_year_store))
    at = open_app()
    budget = next(m for m in at.metric if m.label == "预算（2021 年）")
    rate = next(m for m in at.metric if m.label == "加权执行率（2021 年）")
    projects = next(m for m in at.metric if m.label == "项目数（2021 年）")
    assert budget.value == "610.00 万元" and budget.delta == "+0.00 万元（+0.0%）"  # not +500 (+454.5%)
    assert rate.delta == "+16.99 个百分点"  # 89.72 against 72.73 on the same project
    assert projects.delta == "+1 个"  # the coverage change, said as such
    assert "同比只比较两年都有的 1 个项目（2021 年共 2 个，2020 年共 1 个）" in texts(at)


# ---------------------------------------------------------------------------
# 地区对比 (issue 21): 对比指标 changes every chart, also with few regions; a region
# A-versus-B view that reads on a phone; the measure and the pair in the URL

def figure_titles(at: AppTest) -> list[str]:
    return [spec["layout"]["title"]["text"] for spec in chart_specs(at)]


def test_the_measure_changes_the_charts_with_few_regions(dash_env):
    rate = open_app("pages/regions.py")
    score = open_app("pages/regions.py", query={"measure": "平均得分"})  # a bound picker's URL holds its label
    assert rate.session_state["measure"] == "execution_rate_pct" and score.session_state["measure"] == "avg_score"
    changed = [a != b for a, b in zip(chart_specs(rate)[:3], chart_specs(score)[:3])]
    assert all(changed), figure_titles(score)  # ranking, across years and A versus B all follow it
    assert any("平均得分" in t for t in figure_titles(score)[:3])


def test_two_regions_side_by_side_year_by_year(dash_env):
    at = open_app("pages/regions.py", query={"a": "三门峡市", "b": "乐亭县"})
    assert (at.session_state["a"], at.session_state["b"]) == ("三门峡市", "乐亭县")
    pair = next(spec for spec in chart_specs(at) if "与" in spec["layout"]["title"]["text"])
    assert pair["layout"]["title"]["text"].startswith("三门峡市 与 乐亭县")
    bars = [t for t in pair["data"] if t["type"] == "bar"]
    assert [t["name"] for t in bars] == ["三门峡市", "乐亭县"] and all(t["orientation"] == "h" for t in bars)
    assert all(len(t["y"]) == 1 for t in bars)  # one row per year: 2021, whatever the number of projects
    table = table_with(at, "same_projects")
    assert set(table["region"]) == {"三门峡市", "乐亭县"} and "没有更早的评价年度" in table["same_projects"].iloc[0]


def test_the_pair_compares_the_same_projects_across_years(two_year_store):
    from budgetperf.charts import briefing

    con = store.connect(two_year_store)
    try:
        rows = store.run_query("regions/pair", con=con, a="三门峡市", b="乐亭县").set_index("year")
    finally:
        con.close()
    later = rows.loc[2021].to_dict()
    assert later["projects"] == 2 and later["matched_projects"] == 1
    assert briefing.matched_change(later, "execution_rate_pct") == "+16.99 个百分点（1 个项目，较 2020 年）"
    assert briefing.matched_change(rows.loc[2020].to_dict(), "avg_score") == "—（没有更早的评价年度）"


# ---------------------------------------------------------------------------
# a link cannot crash a page (issue 19, item 6); a program fault shows no details

@pytest.mark.parametrize("years", [["²"], ["9" * 40], ["20２1"], ["-1"]])
def test_a_link_with_a_year_that_is_no_year_says_so(dash_env, years):
    at = open_app(query={"years": years})
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error  # not 「数据库由旧版本生成」, not a traceback
    assert "链接中的筛选值无效，已忽略：年度「" in texts(at)
    assert metrics(at)["预算（2021 年）"] == "197.00 万元"  # the rest of the page as without the value


@pytest.mark.parametrize("value, year", [("2021", 2021), (" 2021 ", 2021), ("²", None), ("9" * 40, None),
                                         ("１９９９", None), ("1200", None), ("2021.0", None), (True, None)])
def test_a_year_is_four_ascii_digits_in_range(value, year):
    assert filter_specs.valid_year(value) == year
    assert filter_specs.to_params({"years": [value]})["years"] == ([year] if year else None)


def test_a_fault_of_the_program_shows_no_paths(dash_env, monkeypatch):
    from budgetperf.charts import briefing

    def broken(*args, **kwargs):
        raise RuntimeError("/srv/secret/budgetperf/app.py line 12")

    monkeypatch.setattr(briefing, "headline", broken)
    at = open_app()
    assert not at.exception
    assert "本页出错" in at.error[0].value and "/srv" not in texts(at)


def test_users_are_shown_no_error_details():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


# ---------------------------------------------------------------------------
# synthetic data says so on every page (issue 21)

@pytest.fixture(scope="module")
def synthetic_store(make_store, tmp_path_factory, ref) -> Path:
    from budgetperf.synth.corpus import write_corpus

    out = tmp_path_factory.mktemp("synthetic_corpus")
    write_corpus(out, regions=1, years=(2024, 2024), seed=3, units=1, formats=("txt",), ref=ref)
    return make_store(sorted((out / "reports").iterdir()), name="synthetic")


@pytest.mark.parametrize("page", [None, "pages/execution.py", "pages/sources.py"])
def test_synthetic_data_is_said_on_every_page(synthetic_store, monkeypatch, page):
    monkeypatch.setenv("BUDGETPERF_DB", str(synthetic_store))
    at = open_app(page)
    assert not at.exception
    assert any("合成数据" in w.value and "不是真实报告" in w.value for w in at.warning)


def test_real_data_has_no_synthetic_banner(dash_env):
    assert not any("合成数据" in w.value for w in open_app().warning)


# ---------------------------------------------------------------------------
# every table exports all its filtered rows (issue 21)

def test_a_paged_table_exports_every_row(province_env):
    from budgetperf.app import store_cache

    at = open_app("pages/execution.py")
    table = table_with(at, "budget_wan")
    labels = [p.proto.popover.label for p in at.get("popover")]
    exported = next(label for label in labels if label.startswith("导出全部"))
    total = int(re.search(r"导出全部 ([\d,]+) 行", exported).group(1).replace(",", ""))
    assert total > len(table) == tables.PAGE_SIZE  # the page is 50 rows; the export is all of them
    rows = store_cache.query_all("execution/projects", **{k: None for k in filter_specs.FILTER_KEYS},
                                 sort="execution_rate_pct", descending=False)()
    data = tables.table_csv(rows, ["region", "year", "project_name", "budget_wan", "status"])
    assert len(data.decode("utf-8-sig").splitlines()) == total + 1


# ---------------------------------------------------------------------------
# a report's words are text, never Markdown (issue 19, item 5)

HOSTILE_NAME = "![图](http://evil.test/x.png)[点我](http://evil.test/)<img src=http://evil.test/y.png>宣传经费"


@pytest.fixture(scope="module")
def hostile_store(dash_store, tmp_path_factory) -> Path:
    """The seed store with one project named with Markdown and HTML that would fetch
    or link (whatever reads it: a report, an upload, a correction)."""
    from budgetperf.storing import schema

    db = tmp_path_factory.mktemp("hostile") / "budgetperf.duckdb"
    shutil.copy(dash_store, db)
    con = duckdb.connect(str(db))
    try:
        con.execute("update projects set name = ? where name = '网络宣传管理和文化建设经费'", [HOSTILE_NAME])
        schema.refresh_marts(con)
    finally:
        con.close()
    return db


UNESCAPED_LINK = re.compile(r"(?<!\\)\]\((?:http|www)|(?<!\\)<img|(?<!\\)<a ")


def markdown_bodies(at: AppTest) -> list[str]:
    bodies = [e.value for kind in ("title", "subheader", "caption", "info", "warning", "error", "markdown", "success")
              for e in getattr(at, kind)]
    bodies += [b.label for b in at.button] + [e.label for e in at.expander] + [m.label for m in at.metric]
    return bodies


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/execution.py", "pages/sources.py", "pages/scores.py"])
def test_a_project_named_with_markdown_stays_text(hostile_store, monkeypatch, page):
    monkeypatch.setenv("BUDGETPERF_DB", str(hostile_store))
    query = {"doc": "001_4f47e40a9e3722bd.txt", "project": HOSTILE_NAME} if page.endswith("sources.py") else {}
    at = open_app(page, query=query)
    assert not at.exception, [e.value for e in at.exception]
    bodies = markdown_bodies(at)
    if page.endswith(("overview.py", "sources.py")):
        assert any("evil" in b for b in bodies), page  # the name is shown, as text
    assert not [b for b in bodies if UNESCAPED_LINK.search(b)], page


def test_a_pinned_region_without_an_evaluation_is_named(dash_env):
    # 丰南区 has no evaluation in 2021: pinned, it is said so, not dropped in silence
    at = open_app(state={"years": [2021], "pins": ["丰南区"]})
    assert "关注地区「丰南区」2021 年没有评价结果，排名中没有列出。" in texts(at)
    assert "关注地区" not in texts(open_app(state={"years": [2021], "pins": ["三门峡市"]})).replace("关注地区：", "")


# ---------------------------------------------------------------------------
# the reports' own words on why (issue 17): on 总览's cards, on 数据来源, in the deck

WHY = "年初预算申请与项目执行时，会由于采购方式的不同以及市场环境的变化，导致年初预算金额与实际支出金额有差异。"


def test_the_attention_cards_say_why_in_the_reports_words_and_open_its_line(dash_env):
    at = open_app(state={"years": [2021]})
    captions = [shown(c.value) for c in at.caption]
    assert f"报告所述（存在的问题）：{WHY}" in captions  # the lowest region's lowest project explains itself
    assert at.button(key="attention.regions.0.why").label == "打开原文"
    assert at.button(key="attention.scores.0.why").label == "打开原文"
    with pytest.raises(KeyError):  # 乐亭县's projects state only what comes next (改进措施): no why
        at.button(key="attention.regions.1.why")
    at.button(key="attention.regions.0.why").click().run()
    assert at.title[0].value == "数据来源"
    assert "▶ 80<" in cited_lines(at)[0] and "采购方式的不同" in cited_lines(at)[0]


def test_the_headline_slide_notes_carry_the_explanations_once(dash_env):
    at = open_app(state={"years": [2021]})
    notes = at.session_state[registry.SUMMARY_KEY]["notes"]
    # one passage explains both the region and its project: said once, for both
    assert notes == [f"三门峡市、网络宣传管理和文化建设经费（三门峡市 2021）：报告所述（存在的问题）：{WHY}（第 80–81 行）"]


def test_sources_shows_the_projects_passages_beside_its_figures(dash_env):
    at = open_app("pages/sources.py", query={"doc": "001_4f47e40a9e3722bd.txt", "project": "网络宣传管理和文化建设经费"})
    assert "**报告中的说明**" in [m.value for m in at.markdown]
    assert WHY in [shown(c.value) for c in at.caption]
    at.button(key="sources.passage.0").click().run()
    assert "▶ 80<" in cited_lines(at)[0]
    at = open_app("pages/sources.py", query={"doc": "000_c45d5bc83af97699.txt", "project": "网信乐亭"})
    assert any("改进措施" in m.value for m in at.markdown)  # next steps are shown here, not on 总览's cards


def _finding_of_the_lowest_project():
    import pandas as pd

    from budgetperf.app import audit

    audit.finding_detail(pd.Series({
        "severity_zh": "警告", "message_zh": "执行率低于 90%", "file": "001_4f47e40a9e3722bd.txt",
        "doc_name": "三门峡市委网信办 2021 项目评价", "line_start": 8, "line_end": 8,
        "project_name": "网络宣传管理和文化建设经费"}), "执行率偏低", "")


def test_a_finding_on_audit_shows_its_projects_passages(dash_env):
    at = AppTest.from_function(_finding_of_the_lowest_project, default_timeout=TIMEOUT).run(timeout=TIMEOUT)
    assert not at.exception
    assert "**报告中的说明**" in [m.value for m in at.markdown]
    assert WHY in [shown(c.value) for c in at.caption]
    assert at.button(key="audit.passage.0").label == "打开原文"  # opens 数据来源 at the passage's lines


def test_a_passage_with_markdown_stays_text(make_store, tmp_path, monkeypatch):
    report = (ROOT / "data" / "reports" / "001_4f47e40a9e3722bd.txt").read_text(encoding="utf-8")
    hostile = report.replace(WHY, "![图](http://example.invalid/x.png) [点我](http://example.invalid) <b>粗</b>")
    assert hostile != report
    path = tmp_path / "001_hostile.txt"
    path.write_text(hostile, encoding="utf-8")
    monkeypatch.setenv("BUDGETPERF_DB", str(make_store([path], name="hostile_passage")))
    at = open_app(state={"years": [2021]})
    why = next(c.value for c in at.caption if "报告所述" in c.value)
    assert "![" not in why and "](" not in why and "<b>" not in why  # no image, link or tag can start
    assert "![图](http://example.invalid/x.png) [点我](http://example.invalid) <b>粗</b>" in shown(why)  # reads the same


# ---------------------------------------------------------------------------
# one rate everywhere (issue 21): a report whose stated rate disagrees with its amounts

@pytest.fixture(scope="module")
def stated_rate_store(make_store, tmp_path_factory) -> Path:
    """The seeds of 2021 with one report's executed amount changed and its stated
    rate left as it was (what a stale rate or a corrected amount leaves): executed
    ÷ budget says 90.00%, the report 89.72%."""
    folder = tmp_path_factory.mktemp("stated_rate")
    report = (ROOT / "data" / "reports" / "001_4f47e40a9e3722bd.txt").read_text(encoding="utf-8")
    assert report.count("98.69") == 2 and "89.72%" in report
    (folder / "001_stated_rate.txt").write_text(report.replace("98.69", "99"), encoding="utf-8")
    return make_store([folder / "001_stated_rate.txt", ROOT / "data" / "reports" / "000_c45d5bc83af97699.txt"],
                      name="stated_rate")


def test_one_rate_everywhere_when_the_stated_rate_disagrees(stated_rate_store, monkeypatch):
    monkeypatch.setenv("BUDGETPERF_DB", str(stated_rate_store))
    at = open_app(state={"years": [2021]})
    assert headline(at).endswith("，均达到 90% 警戒线，最低 三门峡市 90.00%")
    card = next(shown(m.value) for m in at.markdown if shown(m.value).startswith("**1. "))
    why = next(shown(c.value) for c in at.caption if c.value.startswith("「网络宣传管理和文化建设经费」"))
    assert "90.00%" in card and "执行 99 / 110.00 万元，执行率 90.00%" in why and "89.72" not in texts(at)
    at = open_app("pages/execution.py", state={"years": [2021]})
    assert 89.72 not in table_with(at, "execution_rate_pct")["execution_rate_pct"].tolist()
    at = open_app("pages/sources.py", query={"doc": "001_stated_rate.txt", "project": "网络宣传管理和文化建设经费"})
    assert metrics(at)["执行率"] == "90.00%（按金额计算；报告写 89.72%）"


# ---------------------------------------------------------------------------
# editors' names (issue 19, item 9) and the trail's cache (修改记录)

def test_a_viewer_not_logged_in_reads_editor_for_a_name():
    from budgetperf.app import login

    names = ["张三", None, "", "李四"]
    assert login.editor_names(names, is_editor=False).tolist() == ["编辑", None, "", "编辑"]
    assert login.editor_names(names, is_editor=True).tolist() == names


@pytest.mark.parametrize("is_editor, expected", [(False, "编辑"), (True, "张三")])
def test_the_export_panels_corrections_sheet_names_editors_to_editors_only(is_editor, expected):
    import pandas as pd

    from budgetperf.app import export_panel

    rows = pd.DataFrame({"made_at": ["2026-12-01T10:00"], "editor": ["张三"], "doc_name": ["某报告"], "file": ["a.txt"],
                         "project_name": ["某项目"], "indicator_name": [None], "label_zh": ["年初预算（万元）"],
                         "extracted_value": ["110"], "new_value": ["120"], "reason": ["核对原文"]})
    book = load_workbook(io.BytesIO(export_panel._xlsx([], "全部数据", lambda: rows, is_editor)))
    cells = [c.value for row in book["更正记录"].iter_rows() for c in row]
    assert expected in cells and ("张三" in cells) == is_editor


@pytest.mark.parametrize("log", ["BUDGETPERF_DUPLICATE_DECISIONS", "BUDGETPERF_FINDING_STATUSES",
                                 "BUDGETPERF_CORRECTIONS", "BUDGETPERF_REFERENCE_EDITS"])
def test_the_trail_is_read_again_when_any_of_its_logs_changes(log, tmp_path, monkeypatch):
    import pandas as pd

    from budgetperf.app import trail
    from budgetperf.storing import committing

    for key in ("BUDGETPERF_DUPLICATE_DECISIONS", "BUDGETPERF_FINDING_STATUSES", "BUDGETPERF_CORRECTIONS",
                "BUDGETPERF_REFERENCE_EDITS"):
        monkeypatch.setenv(key, str(tmp_path / f"{key}.jsonl"))
    reads = []
    monkeypatch.setattr(committing, "trail_frame", lambda: reads.append(1) or pd.DataFrame({"n": [len(reads)]}))
    st.cache_data.clear()
    trail.load_trail()
    trail.load_trail()
    assert len(reads) == 1  # unchanged files: the cached trail
    (tmp_path / f"{log}.jsonl").write_text('{"id": "x"}\n', encoding="utf-8")
    assert trail.load_trail()["n"].iloc[0] == 2 and len(reads) == 2


# ---------------------------------------------------------------------------
# 审核's 「导出全部发现（XLSX）」 (issue 19, item 8: it once failed with KeyError 'rule')

def built_downloads(monkeypatch) -> dict:
    """The files the page's XLSX buttons would give, by key (built as a click would)."""
    built = {}

    def capture(label, build, file_stem, key):
        built[key] = build
    monkeypatch.setattr(tables, "download_xlsx", capture)
    return built


def test_every_finding_exports_to_xlsx(dash_env, monkeypatch):
    built = built_downloads(monkeypatch)
    at = open_app("pages/audit.py", query={"statuses": ["未处理", "已核实", "忽略"]})
    assert not at.exception
    sheet = load_workbook(io.BytesIO(built["audit.xlsx"]()))["审核发现"]
    header = [c.value for c in sheet[5]]
    assert header[:3] == ["严重程度", "处理状态", "审核规则"] and "审核意见" in header
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=6) if any(c.value for c in row)]
    assert len(rows) == 14 and all(r[2] for r in rows)  # every finding, each with its rule's title


def test_a_store_with_no_findings_offers_no_findings_file_and_says_so(make_store, monkeypatch):
    import pandas as pd

    monkeypatch.setenv("BUDGETPERF_DB", str(make_store([], name="no_findings")))
    built = built_downloads(monkeypatch)
    at = open_app("pages/audit.py")
    assert not at.exception and "audit.xlsx" not in built
    none = pd.DataFrame(columns=["kind", "severity_zh"])  # what the query returns when nothing matches
    empty = tables.table_xlsx(tables.with_derived(none, ["rule"]), ["severity_zh", "rule"], sheet="审核发现",
                              title="审核发现", note="全部数据")
    sheet = load_workbook(io.BytesIO(empty))["审核发现"]
    assert [c.value for c in sheet[5]] == ["严重程度", "审核规则"] and sheet.max_row == 5


# ---------------------------------------------------------------------------
# programme links: `similarity` is the strength of the evidence, not of names

def test_programme_links_say_their_evidence_not_a_name_similarity(dash_env):
    from budgetperf import charts

    assert "名称相似度" not in charts.LABELS.values() and charts.LABELS["similarity"] == "关联依据强度"
    at = open_app("pages/regions.py")
    links = table_with(at, "link_evidence").set_index("project_name")["link_evidence"]
    assert links.to_dict() == {"网络强军建设及网络宣传经费": "名称核心相同", "网络舆情搜集发现及网络安全保障服务": "项目说明引用原名称"}
    assert tables.link_evidence(None) is None and tables.link_evidence(0.42) is None  # a store from before: no words
    assert "关联依据" in tables.export_frame(table_with(at, "link_evidence").assign(similarity=0.9),
                                           ["link_evidence"]).columns


def test_every_findings_row_exported_from_the_table_hides_editor_names_from_a_viewer(dash_env, monkeypatch):
    """The findings table's own 「导出全部 N 行」 gives every row as the page shows them:
    who set a status is 「编辑」 to a viewer who is not logged in (issue 19, item 9)."""
    from budgetperf.app import store_cache

    real = store_cache.query_all

    def with_a_named_editor(name, **params):
        fetch = real(name, **params)
        return (lambda: fetch().assign(status_by="张三")) if name == "audit/findings" else fetch
    monkeypatch.setattr(store_cache, "query_all", with_a_named_editor)
    built = built_downloads(monkeypatch)
    at = open_app("pages/audit.py", query={"statuses": ["未处理", "已核实", "忽略"]})
    assert not at.exception
    key = next(k for k in built if k.startswith("xlsx.audit.findings"))
    sheet = load_workbook(io.BytesIO(built[key]()))["审核发现明细"]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "张三" not in values and "编辑" in values
