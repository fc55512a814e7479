"""Every named query runs against the seed store, unfiltered and filtered, and follows
the SQL conventions (header, declared params, lowercase, `select * from final`); the
dashboard's key figures equal the seed reports'."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from budgetperf.storing.store import connect, list_queries, load_query, run_query
from tests.test_extract_seeds import VERIFIED_EXTRA_CHECKS

SEED_FACTS = json.loads((Path(__file__).parent / "seed_facts.json").read_text(encoding="utf-8"))

# One value per param name, used when a query declares it: a filter that keeps some rows.
FILTERED = {
    "years": [2021],
    "regions": ["乐亭县", "三门峡市"],
    "levels": ["县", "市"],
    "units": ["乐亭县委网信办"],
    "projects": ["网信乐亭"],
    "doc_types": ["评价"],
    "severities": ["警告"],
    "severity": "warning",
    "doc": "000_c45d5bc83af97699.txt",
    "project": "网信乐亭",
    "line_from": 1,
    "line_to": 30,
    # paging, ranking and display params
    "limit": 10,
    "offset": 0,
    "top": 2,
    "pins": ["丰南区"],
    "sort": "budget_wan",
    "descending": True,
    "by_region": True,
    "by_project": True,
    "measure": "avg_score",
    "warning_pct": 90.0,
    "attainments": ["完成"],
    "kinds": ["weights_sum"],
    "search": "乐亭",
    # 数据校对 and finding status (issue 12)
    "statuses": ["未处理"],
    "order": ["error:total_vs_parts", "review:year_inferred"],
    "skip_rules": ["year_inferred"],
    "fallback_error": 0,
    "fallback_warning": 1,
    "issue_kinds": ["error"],
    "doc_id": "acd898e10a0d4b34",
    "project_id": "acd898e10a0d4b34:1",
    "project_ids": ["acd898e10a0d4b34:1"],
    # probable duplicates on 数据管理 (issue 18)
    "status": "probable",
    # like for like and the A-versus-B view (issue 21)
    "year": 2021,
    "previous": 2020,
    "a": "乐亭县",
    "b": "三门峡市",
}
# what "全部" means for the display params: every row, default order
UNFILTERED = {"limit": None, "offset": 0, "top": 0, "year": 2021, "previous": 2020, "a": "乐亭县", "b": "三门峡市"}
SHARED_FILTERS = ("years", "regions", "levels", "units", "projects", "doc_types")
QUERIES = list_queries()


@pytest.fixture(scope="module")
def con(dash_store):
    con = connect(dash_store)
    yield con
    con.close()


def q(con, name, **params):
    return run_query(name, con=con, **params)


@pytest.mark.parametrize("name", QUERIES)
def test_query_runs_unfiltered_and_filtered(con, name):
    query = load_query(name)
    # every filter bound NULL = 全部
    unfiltered = q(con, name, **{p: v for p, v in UNFILTERED.items() if p in query.params})
    assert list(unfiltered.columns)
    filtered = q(con, name, **{p: FILTERED[p] for p in query.params})
    assert list(filtered.columns) == list(unfiltered.columns)
    keyed = {"doc_id", "project_id", "project_ids"} & set(query.params)  # one item: nothing when unnamed
    if not name.startswith("sources/") and "pins" not in query.params and "by_region" not in query.params \
            and not keyed:
        assert len(filtered) <= len(unfiltered)


@pytest.mark.parametrize("name", QUERIES)
def test_query_follows_sql_conventions(name):
    query = load_query(name)
    sql = query.sql
    assert re.search(r"[\u4e00-\u9fff]", query.title), "title must be Chinese"
    assert re.search(r"^-- grain: \S", sql, re.M), "missing -- grain: header"
    assert re.search(r"^-- params: \S", sql, re.M), "missing -- params: header"
    used = set(re.findall(r"\$([a-z_]+)", sql))
    assert used == set(query.params), f"declared {query.params}, used {sorted(used)}"
    body = "\n".join(line.split("--")[0] for line in sql.splitlines())
    assert not re.search(r"\b(SELECT|FROM|WHERE|JOIN|GROUP BY|ORDER BY|WITH)\b", body), "SQL keywords lowercase"
    assert re.search(r"select \* from final\s*(order by [^;]*)?(limit [^;]*)?\s*$", body.strip()), \
        "ends with select * from final"
    assert not re.search(r"['\"]\s*\+|\{[a-z_]+\}|%s", body), "values are bound, never formatted in"


@pytest.mark.parametrize("name", [n for n in QUERIES if n.split("/")[0] in
                                  ("overview", "execution", "indicators", "scores", "regions", "audit")])
def test_page_queries_take_the_shared_filters(name):
    # a query about two named regions (regions/pair: $a, $b) takes them instead of
    # $regions, one about two named years ($year, $previous) instead of $years
    params = set(load_query(name).params)
    shared = set(SHARED_FILTERS) - ({"regions"} if {"a", "b"} <= params else set()) \
        - ({"years"} if {"year", "previous"} <= params else set())
    assert shared <= params


def test_empty_list_is_not_all(con):
    # 全部 must be bound as NULL: an empty list matches nothing (why ui maps [] → None)
    assert len(q(con, "execution/projects", regions=None)) == 5
    assert len(q(con, "execution/projects", regions=[])) == 0


def test_overview_figures_equal_the_reports(con):
    rows = q(con, "overview/region_year").set_index("region")
    assert rows.loc["乐亭县", "budget_wan"] == 87 and rows.loc["乐亭县", "execution_rate_pct"] == 100
    assert rows.loc["三门峡市", "execution_rate_pct"] == pytest.approx(89.72)
    assert rows.loc["三门峡市", "executed_wan"] == pytest.approx(98.69)
    assert math.isnan(rows.loc["丰南区", "executed_wan"])  # 未披露, not 0
    by_year = q(con, "overview/kpis_by_year").set_index("year")
    # 2021: weighted over projects that disclose execution: (87 + 98.69) / (87 + 110)
    assert by_year.loc[2021, "budget_wan"] == pytest.approx(87 + 110)
    assert by_year.loc[2021, "execution_rate_pct"] == pytest.approx(94.26)
    assert by_year.loc[2021, "projects"] == 4 and by_year.loc[2021, "regions"] == 2
    assert by_year.loc[2024, "budget_wan"] == pytest.approx(21.18) and math.isnan(by_year.loc[2024, "executed_wan"])
    assert by_year["checks"].sum() == 14 and by_year["docs_review"].sum() == 2


def test_kpis_follow_the_project_filter(con):
    # one project picked: its own money, not the whole county's (issue 11)
    one = q(con, "overview/kpis_by_year", projects=["网信乐亭"]).set_index("year")
    assert one.loc[2021, "budget_wan"] == 2 and one.loc[2021, "projects"] == 1
    assert one.loc[2021, "checks"] == len(q(con, "audit/findings", projects=["网信乐亭"]))


def test_rankings_sort_lowest_first_and_keep_pinned(con):
    ranking = q(con, "overview/region_ranking", years=[2021], limit=1, top=0, pins=["乐亭县"])
    assert ranking["region"].tolist() == ["三门峡市", "乐亭县"]
    first = ranking.iloc[0]
    assert (first["rank"], first.regions_total, first.execution_rate_pct) == (1, 2, pytest.approx(89.72))
    assert first.low_project == "网络宣传管理和文化建设经费" and first.lost_item == "预算执行率"
    assert ranking.iloc[1].is_pinned
    by_score = q(con, "regions/ranking", measure="avg_score", limit=3, top=0)
    assert by_score["value"].tolist() == sorted(by_score["value"].tolist())


def test_paging_and_numeric_sorting_happen_in_sql(con):
    page = q(con, "execution/projects", sort="budget_wan", descending=False, limit=2, offset=0)
    assert page["budget_wan"].tolist() == [2, 21.18] and page["total_rows"].iloc[0] == 5
    page = q(con, "execution/projects", sort="budget_wan", descending=True, limit=2, offset=2)
    assert page["budget_wan"].tolist() == [35, 21.18]
    rates = q(con, "execution/projects")["execution_rate_pct"].tolist()
    assert rates[0] == pytest.approx(89.72) and math.isnan(rates[-1])  # 100.00% after 89.72%, 未披露 last


def test_target_filter_leaves_no_execution_but_keeps_plans(con):
    assert q(con, "execution/projects", doc_types=["目标"]).empty
    plans = q(con, "execution/spending_plan", doc_types=["目标"], limit=4)
    assert sorted(plans.groupby("project_name")["budget_wan"].first()) == [20, 61]
    assert plans["actual_share_pct"].isna().all()  # in-year actuals are never reported
    assert q(con, "overview/region_year", doc_types=["目标"]).empty


def test_undisclosed_execution_stays_null(con):
    fengnan = q(con, "execution/projects", regions=["丰南区"]).iloc[0]
    assert fengnan.budget_wan == pytest.approx(21.18)
    assert not fengnan.is_execution_disclosed
    assert math.isnan(fengnan.executed_wan) and math.isnan(fengnan.execution_rate_pct)
    assert q(con, "execution/undisclosed", limit=10)["project_name"].tolist() == ["网信系统建设及维护资金"]
    expenses = q(con, "execution/expenses", regions=["丰南区"], limit=5)
    assert expenses["amount_wan"].sum() == pytest.approx(21.18)


def test_histograms_count_every_project(con):
    bands = q(con, "execution/rate_histogram").set_index("band_start")["projects"]
    assert bands.to_dict() == {85: 1, 100: 3}  # 89.72% and three at exactly 100%
    assert q(con, "scores/histogram")["projects"].sum() == 5


def test_indicator_counts_and_quantified_rate(con):
    assert q(con, "indicators/list", limit=5)["total_rows"].iloc[0] == 40
    assert q(con, "indicators/summary").iloc[0].indicators == 40
    quantified = q(con, "indicators/quantified").set_index(["region", "year"])
    assert quantified.loc[("乐亭县", 2021), "indicators"] == 25
    assert quantified.loc[("乐亭县", 2021), "quantified_pct"] == pytest.approx(48.0)


def test_lost_points_include_the_execution_section(con):
    lost = q(con, "scores/lost_points")
    row = lost[lost["item"] == "预算执行率"].iloc[0]
    assert (row.region, row.max_score, row.score, row.lost_points) == ("三门峡市", 10, 9, 1)
    assert q(con, "scores/lost_items", limit=5).iloc[0]["item"] == "预算执行率"


def test_program_links_pair_2025_targets_with_2021_results(con):
    links = q(con, "regions/program_links").set_index("project_name")
    assert set(links.index) == {"网络强军建设及网络宣传经费", "网络舆情搜集发现及网络安全保障服务"}
    pair = links.loc["网络舆情搜集发现及网络安全保障服务"]
    assert (pair.year, pair.budget_wan, pair.earlier_year, pair.earlier_budget_wan) == (2025, 61, 2021, 50)
    # either side matching the filter shows the pair
    assert len(q(con, "regions/program_links", years=[2021])) == 2
    assert len(q(con, "regions/program_indicators", years=[2025])) > 0


def test_documents_have_display_names(con):
    docs = q(con, "sources/documents").set_index("file")
    assert docs.loc["000_c45d5bc83af97699.txt", "doc_name"] == "乐亭县委网信办 2021 部门整体评价"
    assert docs.loc["003_5e5af2f25a3e5b2d.txt", "doc_name"] == "乐亭县委网信办 2025 绩效目标表"
    assert docs.loc["002_4541b7eb62b4645a.txt", "doc_name"] == "丰南区委网信办 2024 专项资金评价"
    assert docs["doc_name"].is_unique
    assert q(con, "sources/documents", search="丰南")["file"].tolist() == ["002_4541b7eb62b4645a.txt"]


def test_sources_queries_follow_a_document(con):
    projects = q(con, "sources/projects", doc="001_4f47e40a9e3722bd.txt")
    assert projects["project_name"].tolist() == ["网络宣传管理和文化建设经费"]
    provenance = q(con, "sources/provenance", doc="001_4f47e40a9e3722bd.txt", project="网络宣传管理和文化建设经费")
    rate = provenance[provenance["field"] == "execution_rate"].iloc[0]
    lines = q(con, "sources/lines", doc="001_4f47e40a9e3722bd.txt", line_from=int(rate.line_start),
              line_to=int(rate.line_end))
    assert "89.72%" in lines["text"].iloc[0]


def _seed_findings() -> set[tuple[str, str, str]]:
    return {(doc["file"], c["kind"], c["severity"]) for doc in SEED_FACTS["documents"] for c in doc.get("checks", [])}


def test_audit_findings_match_checks_and_filter_by_severity_and_rule(con):
    # Against the seeds the findings are exactly the inconsistencies the seed
    # reports really contain (tests/seed_facts.json, and the remarks verified by hand).
    everything = q(con, "audit/findings")
    assert {(r.file, r.kind, r.severity) for r in everything.itertuples()} == _seed_findings() | VERIFIED_EXTRA_CHECKS
    errors = q(con, "audit/findings", severities=["错误"])
    assert set(errors["kind"]) == {"total_vs_parts", "weights_sum"}
    assert q(con, "audit/findings", kinds=["weights_sum"])["kind"].tolist() == ["weights_sum"]
    by_rule = q(con, "audit/by_rule")
    assert by_rule["findings"].sum() == len(everything) and by_rule.iloc[0].severity == "error"
    summary = q(con, "audit/summary").iloc[0]
    assert (summary.findings, summary.errors, summary.docs_review) == (14, 2, 2)
    review = q(con, "audit/review")
    assert set(review["code"]) == {"year_inferred"} and review["docs_total"].iloc[0] == 2


@pytest.mark.parametrize("name, params", [
    ("overview/kpis_by_year", {}),
    ("overview/region_year", {"sort": "year"}),
    ("overview/region_ranking", {"limit": 20, "top": 5}),
    ("regions/ranking", {"limit": 20, "top": 5, "measure": "quantified_pct"}),
    ("regions/measures", {}),
    ("regions/heatmap", {"measure": "avg_score"}),
    ("indicators/quantified", {"limit": 20}),
    ("indicators/summary", {}),
    ("scores/sections", {"by_project": False}),
])
def test_pre_aggregated_tables_give_the_rows_answer(province_store, name, params):
    # With no unit or project chosen these queries read the agg_* tables; choosing
    # every unit forces the row-level path: both must give the same figures.
    con = connect(province_store)
    try:
        units = [r[0] for r in con.execute("select distinct unit from mart_projects where unit is not null").fetchall()]
        fast = run_query(name, con=con, years=[2020, 2021], **params)
        slow = run_query(name, con=con, years=[2020, 2021], units=units, **params)
    finally:
        con.close()
    assert len(fast) and list(fast.columns) == list(slow.columns)
    import pandas as pd

    pd.testing.assert_frame_equal(fast.reset_index(drop=True), slow.reset_index(drop=True), check_dtype=False)


def test_findings_by_rule_agree_whichever_path(province_store):
    con = connect(province_store)
    try:
        units = [r[0] for r in con.execute("select distinct unit from mart_checks where unit is not null").fetchall()]
        fast = run_query("audit/by_rule", con=con, years=[2021])
        # every unit chosen: the row-level path; project-less findings of documents
        # without a unit are the only possible difference, and there are none here
        slow = run_query("audit/by_rule", con=con, years=[2021], units=units)
    finally:
        con.close()
    import pandas as pd

    pd.testing.assert_frame_equal(fast, slow, check_dtype=False)
