"""Programme links across years (`understanding.linking`) on hand-made pairs: links
need evidence a reviewer accepts (the report states the former name, the names
share their core, the later section quotes a long earlier name), never template
likeness; an ambiguous choice links nothing."""

from __future__ import annotations

import pytest

from budgetperf.reading import read_document
from budgetperf.synth.model import PlannedDocument, make_document, plan_documents
from budgetperf.synth.text import render_text
from budgetperf.understanding.extract import extract_document
from budgetperf.understanding.linking import (
    LinkDocument,
    former_names,
    link_documents,
    link_programs,
    name_core,
    same_core,
)
from budgetperf.understanding.extract import Extraction

REGION, UNIT = "某某县", "某某县民政局"


def doc(year, *projects, region=REGION, unit=UNIT, kind="evaluation") -> LinkDocument:
    """A document of `year` holding these projects: a name, or (name, section text)."""
    rows = [(p, kind, f"{p}项目由{unit}组织实施。") if isinstance(p, str) else (p[0], kind, p[1]) for p in projects]
    return LinkDocument(region, unit, year, rows)


def pairs(docs) -> list[tuple]:
    return [(d.year, link["this"], link["earlier"], link["earlier_year"])
            for d, links in zip(docs, link_documents(docs)) for link in links]


# ---------------------------------------------------------------------------
# the core of a name, and what a report states


@pytest.mark.parametrize("name, core", [
    ("城乡低保资金", "城乡低保"),
    ("城乡低保专项资金", "城乡低保"),
    ("县级城乡低保资金", "城乡低保"),
    ("城乡低保提标扩面资金", "城乡低保"),
    ("2023年度城乡低保资金", "城乡低保"),
    ("学生资助补助经费", "学生资助"),
    ("昌州财行(2022)10号 国家统计局调查队专项经费", "国家统计局调查队"),
    ("网络强军工程建设与宣传", "网络强军建设宣传"),
    ("社区服务站运行经费", "社区服务站运行"),  # 运行 says which work, not what kind of money
    ("某某县城乡低保资金", "城乡低保"),  # the region written before the name
    ("专项资金", "专项"),  # all generic: stripping stops at two characters
    ("", ""),
])
def test_name_core(name, core):
    assert name_core(name, (REGION, UNIT)) == core


@pytest.mark.parametrize("a, b, same", [
    ("城乡低保", "城乡低保", True),
    ("网络强军建设网络宣传", "网络强军建设宣传", True),  # repeated and reordered words
    ("农村公路养护", "农村公路建设", False),  # close words, other work
    ("人员培训", "教师培训", False),
    ("就业", "业就", False),  # too short to compare as a set of characters
])
def test_same_core(a, b, same):
    assert same_core(a, b) is same


@pytest.mark.parametrize("text, names", [
    ("本项目原名“购买舆情监测服务”，自2023年起更名为“网络舆情搜集发现”。", {"购买舆情监测服务"}),
    ("网络舆情搜集发现（原购买舆情监测服务项目）为延续性项目。", {"购买舆情监测服务"}),
    ("该项目由原“购买舆情监测服务”更名而来。", {"购买舆情监测服务"}),
    ("“购买舆情监测服务”项目自2023年起更名为网络舆情搜集发现。", {"购买舆情监测服务"}),
    ("本项目原名\n“购买舆情监测\n服务”，现更名。", {"购买舆情监测服务"}),  # wrapped across lines
    ("原因是资金拨付较晚，原计划12月完成。", set()),
    ("", set()),
])
def test_former_names(text, names):
    assert former_names(text) == names


# ---------------------------------------------------------------------------
# links that hold


def test_suffix_change_links():
    docs = [doc(2021, "城乡低保资金", "临时救助资金"), doc(2022, "城乡低保专项资金", "临时救助资金")]
    links = link_documents(docs)
    assert links[1] == [{"this": "城乡低保专项资金", "earlier": "城乡低保资金", "earlier_year": 2021,
                         "similarity": 0.9, "evidence": "名称核心相同"}]
    assert links[0] == []


def test_scope_word_and_document_number_link():
    docs = [doc(2020, "学生资助补助经费", "国家统计局调查队专项经费"),
            doc(2022, "县级学生资助专项资金", "昌州财行(2022)10号 国家统计局调查队专项经费")]
    assert pairs(docs) == [(2022, "县级学生资助专项资金", "学生资助补助经费", 2020),
                           (2022, "昌州财行(2022)10号 国家统计局调查队专项经费", "国家统计局调查队专项经费", 2020)]


def test_a_stated_former_name_links_an_unlike_name():
    note = "本项目原名“购买舆情监测服务”，自2023年起更名为“网络舆情搜集发现”。"
    docs = [doc(2021, "购买舆情监测服务", "网信乐亭"), doc(2023, ("网络舆情搜集发现", note), "网信乐亭")]
    links = link_documents(docs)[1]
    assert [(x["this"], x["earlier"], x["evidence"], x["similarity"]) for x in links] == [
        ("网络舆情搜集发现", "购买舆情监测服务", "报告写明原名", 1.0)]


def test_a_long_earlier_name_quoted_in_the_section_links_a_short_one_does_not():
    quoted = [doc(2021, "购买舆情监测服务"), doc(2025, ("网络舆情搜集发现", "通过购买舆情监测服务，监测重大网络事件。"))]
    assert pairs(quoted) == [(2025, "网络舆情搜集发现", "购买舆情监测服务", 2021)]
    passing = [doc(2021, "网信乐亭"), doc(2025, ("网络强军宣传", "开发网信乐亭平台功能。"))]
    assert pairs(passing) == []


def test_every_later_report_of_a_renamed_programme_links_to_the_latest_earlier_year():
    note = "该项目由原“城乡低保资金”更名而来。"
    docs = [doc(2019, "城乡低保资金"), doc(2020, "城乡低保资金"), doc(2022, ("最低生活保障金", note)),
            doc(2024, "最低生活保障金")]  # the 2024 report no longer tells the story
    assert pairs(docs) == [(2022, "最低生活保障金", "城乡低保资金", 2020), (2024, "最低生活保障金", "城乡低保资金", 2020)]


def test_a_programme_renamed_twice_links_each_name_to_the_one_before():
    docs = [doc(2019, "城乡低保资金"), doc(2021, "城乡低保专项资金"), doc(2023, "县级城乡低保专项资金")]
    assert pairs(docs) == [(2021, "城乡低保专项资金", "城乡低保资金", 2019),
                           (2023, "县级城乡低保专项资金", "城乡低保专项资金", 2021)]


def test_the_report_statement_outweighs_a_shared_core():
    note = "本项目原名“社区服务站运行经费”，现更名为“城乡低保专项资金”。"
    docs = [doc(2020, "城乡低保资金", "社区服务站运行经费"), doc(2021, ("城乡低保专项资金", note))]
    assert pairs(docs) == [(2021, "城乡低保专项资金", "社区服务站运行经费", 2020)]


# ---------------------------------------------------------------------------
# links that must not be made


def test_two_unrelated_programmes_of_one_unit_with_templated_text_do_not_link():
    template = ("{name}项目由某某县人力资源和社会保障局组织实施，资金来源为财政拨款。项目年初预算安排50万元，"
                "全年实际支出50万元，预算执行率100%。经自评，项目综合评价得分98分，评价等级为“优”。"
                "产出指标 数量指标 受益人数 质量指标 资金使用合规率 时效指标 资金拨付及时率 满意度指标 服务对象满意度")
    docs = [doc(2021, ("创业担保贷款贴息", template.format(name="创业担保贷款贴息"))),
            doc(2022, ("公益性岗位补贴", template.format(name="公益性岗位补贴")))]
    assert pairs(docs) == []


def test_a_unit_with_two_similar_programmes_is_ambiguous():
    # two earlier programmes side by side answer equally well
    docs = [doc(2021, "就业补助资金", "就业补助专项资金"), doc(2022, "就业补助经费")]
    assert pairs(docs) == []
    # two later programmes side by side claim one earlier name
    docs = [doc(2021, "城乡低保资金"), doc(2022, "城乡低保专项资金", "县级城乡低保资金")]
    assert pairs(docs) == []


def test_close_words_of_other_work_do_not_link():
    docs = [doc(2020, "农村公路养护专项资金"), doc(2022, "农村公路建设专项资金")]
    assert pairs(docs) == []


def test_names_seen_in_one_year_are_two_programmes():
    docs = [doc(2021, "城乡低保资金"), doc(2022, "城乡低保资金", "城乡低保专项资金")]
    assert pairs(docs) == []


@pytest.mark.parametrize("later", [
    doc(2022, "城乡低保专项资金", unit="某某县教育局"),
    doc(2022, "城乡低保专项资金", region="另一县"),
    doc(2022, "城乡低保专项资金", kind="department"),
    doc(None, "城乡低保专项资金"),
    doc(2022, "城乡低保专项资金", unit=None),
    doc(2022, "城乡低保专项资金", region=None),
    doc(2020, "城乡低保专项资金"),  # earlier, not later
    doc(2021, "城乡低保专项资金"),  # the same year
])
def test_no_link_across_units_regions_or_without_a_place_in_time(later):
    assert link_documents([doc(2021, "城乡低保资金"), later])[1] == []


def test_empty_and_odd_input():
    assert link_documents([]) == []
    assert link_documents([LinkDocument(REGION, UNIT, 2021, [])]) == [[]]
    assert link_documents([doc(2021, ""), doc(2022, "")]) == [[], []]


# ---------------------------------------------------------------------------
# through extraction: templated reports of one unit


def _report(tmp_path, ref, year: int, name: str, note: str | None = None) -> Extraction:
    """A self-evaluation report of one unit written from the synthetic corpus's template."""
    base = next(p for p in plan_documents(ref, 3, (2021, 2023), 5) if p.shape == "selfeval_pipe")
    d = make_document(PlannedDocument(base.index, base.region, base.department, year, base.shape, base.fmt), 5)
    d.year_is_explicit = True
    d.projects[0].name, d.projects[0].rename_note = name, note
    path = tmp_path / f"{year}-{name}.txt"
    path.write_text(render_text(d), encoding="utf-8")
    source = read_document(path)
    return Extraction(source, extract_document(source, ref), [])


def test_templated_reports_link_only_on_the_statement(tmp_path, ref):
    earlier = _report(tmp_path, ref, 2021, "创业担保贷款贴息")
    unrelated = _report(tmp_path, ref, 2022, "公益性岗位补贴")
    link_programs([earlier, unrelated])
    assert unrelated.facts.same_program_as == []
    renamed = _report(tmp_path, ref, 2022, "创业担保贷款奖补", "该项目由原“创业担保贷款贴息”更名而来。")
    link_programs([earlier, renamed])
    assert [(x["this"], x["earlier"], x["earlier_year"]) for x in renamed.facts.same_program_as] == [
        ("创业担保贷款奖补", "创业担保贷款贴息", 2021)]
