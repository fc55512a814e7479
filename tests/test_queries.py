"""Every named query runs against the seed store, unfiltered and filtered, and follows
the SQL conventions (header, declared params, lowercase, `select * from final`); the
dashboard's key figures equal the seed reports'."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from budgetperf.store import connect, list_queries, load_query, run_query

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
    "search": "乐亭",
}
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
    unfiltered = q(con, name)  # every declared param bound NULL = 全部
    assert list(unfiltered.columns)
    filtered = q(con, name, **{p: FILTERED[p] for p in query.params})
    assert list(filtered.columns) == list(unfiltered.columns)
    if not name.startswith("sources/"):  # sources/* need a document: unfiltered is empty
        assert len(filtered) <= len(unfiltered) or name == "overview/totals"


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
    assert re.search(r"select \* from final\s*(order by [^;]*)?\s*$", body.strip()), "ends with select * from final"
    assert not re.search(r"['\"]\s*\+|\{[a-z_]+\}|%s", body), "values are bound, never formatted in"


@pytest.mark.parametrize("name", [n for n in QUERIES if n.split("/")[0] in
                                  ("overview", "execution", "indicators", "scores", "regions", "audit")])
def test_page_queries_take_the_shared_filters(name):
    assert set(SHARED_FILTERS) <= set(load_query(name).params)


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
    totals = q(con, "overview/totals").iloc[0]
    assert totals.budget_wan == pytest.approx(87 + 110 + 21.18)
    # weighted over projects that disclose execution: (87 + 98.69) / (87 + 110)
    assert totals.execution_rate_pct == pytest.approx(94.26)
    assert totals.projects == 5 and totals.checks == 11


def test_target_filter_leaves_no_execution_but_keeps_plans(con):
    assert q(con, "execution/projects", doc_types=["目标"]).empty
    plans = q(con, "execution/spending_plan", doc_types=["目标"])
    assert sorted(plans.groupby("project_name")["budget_wan"].first()) == [20, 61]
    assert plans["actual_share_pct"].isna().all()  # in-year actuals are never reported
    assert q(con, "overview/region_year", doc_types=["目标"]).empty


def test_undisclosed_execution_stays_null(con):
    fengnan = q(con, "execution/projects", regions=["丰南区"]).iloc[0]
    assert fengnan.budget_wan == pytest.approx(21.18)
    assert not fengnan.is_execution_disclosed
    assert math.isnan(fengnan.executed_wan) and math.isnan(fengnan.execution_rate_pct)
    expenses = q(con, "execution/expenses", regions=["丰南区"])
    assert expenses["amount_wan"].sum() == pytest.approx(21.18)


def test_indicator_counts_and_quantified_rate(con):
    assert len(q(con, "indicators/list")) == 40
    quantified = q(con, "indicators/quantified").set_index(["region", "year"])
    assert quantified.loc[("乐亭县", 2021), "indicators"] == 25
    assert quantified.loc[("乐亭县", 2021), "quantified_pct"] == pytest.approx(48.0)


def test_lost_points_include_the_execution_section(con):
    lost = q(con, "scores/lost_points")
    row = lost[lost["item"] == "预算执行率"].iloc[0]
    assert (row.region, row.max_score, row.score, row.lost_points) == ("三门峡市", 10, 9, 1)


def test_program_links_pair_2025_targets_with_2021_results(con):
    links = q(con, "regions/program_links").set_index("project_name")
    assert set(links.index) == {"网络强军建设及网络宣传经费", "网络舆情搜集发现及网络安全保障服务"}
    pair = links.loc["网络舆情搜集发现及网络安全保障服务"]
    assert (pair.year, pair.budget_wan, pair.earlier_year, pair.earlier_budget_wan) == (2025, 61, 2021, 50)
    # either side matching the filter shows the pair
    assert len(q(con, "regions/program_links", years=[2021])) == 2
    assert len(q(con, "regions/program_indicators", years=[2025])) > 0


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


def test_audit_findings_match_checks_and_filter_by_severity(con):
    # Against the seeds the findings are exactly the inconsistencies the seed
    # reports really contain (tests/seed_facts.json).
    everything = q(con, "audit/findings")
    assert {(r.file, r.kind, r.severity) for r in everything.itertuples()} == _seed_findings()
    errors = q(con, "audit/findings", severities=["错误"])
    assert set(errors["kind"]) == {"total_vs_parts", "weights_sum"}
    counts = q(con, "audit/counts")
    assert counts["findings"].sum() == len(everything)
