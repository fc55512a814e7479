"""Review reasons: judged from finished facts, kept in the store, printed by extract."""

import pytest

from budgetperf.understanding.doubts import (
    REVIEW_CODES,
    UNNAMED_PROJECT,
    add_review_reasons,
)
from budgetperf.understanding.records import (
    DocumentFacts,
    Indicator,
    Project,
    Provenance,
    ReviewReason,
    Value,
)

P = Provenance("t.txt", 3, 4, "…")


def project(name="测试项目", weights=(), total=None, kind="evaluation", reasons=()):
    p = Project(name=name, kind=kind, prov=P, total_score=Value(total) if total is not None else None)
    p.indicators = [Indicator("产出指标", "数量指标", f"指标{k}", "≥1", "1", w, w, P) for k, w in enumerate(weights)]
    p.review_reasons = list(reasons)
    return p


def facts(*projects, year=2023, explicit=True, region="某县", unit="某局"):
    return DocumentFacts(file="t.txt", fmt="txt", region=Value(region) if region else None,
                         unit=Value(unit) if unit else None, year=Value(year) if year else None,
                         year_is_explicit=explicit, year_evidence="项目编码中的年份", projects=list(projects))


@pytest.mark.parametrize("case, doc_codes, project_codes", [
    (facts(project()), [], []),
    (facts(project(name=UNNAMED_PROJECT)), [], ["project_name_missing"]),
    (facts(project(weights=[10] * 9, total=90)), [], []),
    (facts(project(weights=[100] * 12, total=90)), [], ["weights_off"]),
    (facts(project(weights=[100] * 12, kind="target")), [], []),
    (facts(project(), explicit=False), ["year_inferred"], []),
    (facts(project(), year=None), ["year_missing"], []),
    (facts(project(), region=None), ["region_unknown"], []),
    (facts(project(), unit=None), ["unit_missing"], []),
])
def test_review_reasons_from_facts(case, doc_codes, project_codes):
    add_review_reasons(case)
    assert [r.code for r in case.review_reasons] == doc_codes
    assert [r.code for r in case.projects[0].review_reasons] == project_codes
    assert all(r.code in REVIEW_CODES for r in case.review_reasons + case.projects[0].review_reasons)


def test_a_parsers_reason_is_not_added_twice():
    case = facts(project(name=UNNAMED_PROJECT, reasons=[ReviewReason("project_name_missing", "标题中没有项目名称")]))
    add_review_reasons(case)
    assert [r.message_zh for r in case.projects[0].review_reasons] == ["标题中没有项目名称"]


def test_review_reasons_reach_the_store(make_store, tmp_path):
    from budgetperf.storing.store import connect

    report = tmp_path / "no_year.txt"
    report.write_text("项目支出绩效自评表\n项目名称：道路养护\n年初预算数 全年执行数 执行率\n10 9 90%\n自评得分：90分\n",
                      encoding="utf-8")
    con = connect(make_store([report], name="review"))
    try:
        codes = {code for (code,) in con.execute("select code from review_reasons").fetchall()}
    finally:
        con.close()
    assert "year_missing" in codes
