"""Facts written as sentences: several projects in one report, indicators in sentences,
section scores as written."""

import pytest

from budgetperf.reading.blocks import Paragraph, SourceDocument
from budgetperf.storing.extracting import extract_to_dicts
from budgetperf.understanding.parsers.narrative import (
    find_section_scores,
    find_sentence_indicators,
)
from budgetperf.understanding.parsers.subprojects import find_subprojects


def paras_of(texts):
    return [Paragraph(t, i + 1, i + 1) for i, t in enumerate(texts)], SourceDocument("t.txt", "txt", list(texts))


def test_numbered_items_with_their_own_amounts_are_projects():
    paras, doc = paras_of([
        "二、项目资金使用情况",
        "1.科技活动交流经费：预算20万元，实际支出19万元，执行率95%。",
        "2.专家工作补助资金：预算10万元，实际支出10万元，执行率100%。",
        "市级科技专项资金预算30万元，实际支出27万元，执行率90%。",
    ])
    found = find_subprojects(paras, doc)
    assert [(s.name, s.budget.value, s.executed.value, s.rate.value) for s in found] == [
        ("科技活动交流经费", 20, 19, 95), ("专家工作补助资金", 10, 10, 100), ("市级科技专项资金", 30, 27, 90)]
    assert found[1].prov.line_start == 3


def test_sub_headings_split_a_narrative_into_projects():
    paras, doc = paras_of([
        "二、项目绩效情况", "（一）甲培训经费", "该项目下达资金10万元，实际支出9.6万元。",
        "（二）乙建设补助资金", "该项目下达资金8万元，实际支出8万元。", "三、存在的问题", "无。",
    ])
    found = find_subprojects(paras, doc)
    assert [s.name for s in found] == ["甲培训经费", "乙建设补助资金"]
    assert [len(s.paragraphs) for s in found] == [2, 2]  # the next chapter is not the last project's


@pytest.mark.parametrize("sentence", [
    "全年项目到位资金30万元，实际支出30万元。分项目看：甲信息服务支出4万元；乙等级保护测评支出26万元。丙云计算服务、丁网络维护两个项目当年未实施。",
    "全年项目到位资金30万元，实际支出30万元。按项目分，甲信息服务使用4万元；乙等级保护测评使用26万元。丙云计算服务和丁网络维护2个项目本年未执行。",
], ids=["fen_xiangmu_kan", "an_xiangmu_fen"])
def test_a_breakdown_by_project_lists_each_project_and_those_not_carried_out(sentence):
    paras, doc = paras_of([sentence])
    found = find_subprojects(paras, doc)
    assert [s.name for s in found] == ["甲信息服务", "乙等级保护测评", "丙云计算服务", "丁网络维护"]
    assert [s.executed.value if s.executed else None for s in found] == [4, 26, None, None]
    assert [s.outcome.value if s.outcome else None for s in found] == [None, None, "当年未实施", "当年未实施"]
    assert all(s.paragraphs == [] for s in found)  # the sentence's total is the unit's, not theirs


def test_a_unit_report_breaking_its_total_down_gives_the_department_and_each_project(tmp_path, ref):
    path = tmp_path / "unit.txt"
    path.write_text("某某县某某中心项目资金绩效自评报告\n\n我中心2022年共安排预算项目4个。\n\n"
                    "全年项目到位资金30万元，实际支出30万元。分项目看：甲信息服务支出4万元；乙等级保护测评支出26万元。"
                    "丙云计算服务、丁网络维护两个项目当年未实施。\n", encoding="utf-8")
    documents, _ = extract_to_dicts([str(path)], ref)
    projects = {p["name"]: p for p in documents[0]["projects"]}
    assert projects["部门整体支出"]["kind"] == "department"
    assert (projects["部门整体支出"]["budget_initial"], projects["部门整体支出"]["executed"]) == (30, 30)
    assert projects["甲信息服务"]["executed"] == 4 and projects["丙云计算服务"]["executed"] is None
    assert not any(r["code"] == "projects_count_off" for r in documents[0]["needs_review"])


def test_a_breakdown_that_does_not_add_up_gives_no_unit_total(tmp_path, ref):
    path = tmp_path / "unit.txt"
    path.write_text("某某县某某中心项目资金绩效自评报告\n\n"
                    "全年实际支出50万元。分项目看：甲信息服务支出4万元；乙等级保护测评支出26万元。\n", encoding="utf-8")
    documents, _ = extract_to_dicts([str(path)], ref)
    names = [p["name"] for p in documents[0]["projects"]]
    assert names == ["甲信息服务", "乙等级保护测评"]  # 50 is not 4 + 26: whose total it is, is not said


def test_a_list_of_budgets_alone_is_not_a_set_of_reports():
    paras, doc = paras_of(["2021年部门预算项目支出87.5万元，分别为：甲经费5万元，乙经费18万元。"])
    assert find_subprojects(paras, doc) == []


@pytest.mark.parametrize("texts, expected", [
    (["（二）产出指标（满分50分，得48分）。",
      "1.数量指标：甲率目标为≥90%，全年实际达到98.2%，该指标分值15分，得15分；乙比例目标为≥70%，实际为83.6%，分值10分，得10分。"],
     [("产出指标", "数量指标", "甲率", "≥90%", "98.2%", 15, 15), ("产出指标", "数量指标", "乙比例", "≥70%", "83.6%", 10, 10)]),
    (["（四）满意度指标（满分10分，得9分）。服务对象满意度目标为≥90%，抽样调查结果为94%，分值10分，得9分。"],
     [("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "94%", 10, 9)]),
    (["1.数量指标“新建面积”：目标值约8000平方米；完成情况：主体已封顶，完成约85%。",
      "2.满意度指标“周边群众满意度”：目标值≥90%；完成情况：问卷调查满意度为92%。"],
     [("产出指标", "数量指标", "新建面积", "约8000平方米", "主体已封顶，完成约85%", None, None),
      ("满意度指标", "服务对象满意度指标", "周边群众满意度", "≥90%", "92%", None, None)]),
])
def test_indicators_written_as_sentences(texts, expected):
    paras, doc = paras_of(texts)
    found = find_sentence_indicators(paras, doc)
    assert [(i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score) for i in found] == expected


def test_section_scores_keep_the_names_the_report_uses():
    paras, doc = paras_of(["从投入、过程、产出和效果四个方面评价：投入指标满分15分，得14分；效果指标满分30分，得26分。",
                           "（一）预算执行。该项分值10分，全年执行率98%，得9.8分。"])
    found = find_section_scores(paras, doc)
    assert sorted((s.section, s.max, s.score) for s in found) == sorted(
        [("预算执行", 10, 9.8), ("投入指标", 15, 14), ("效果指标", 30, 26)])


def test_a_unit_report_on_several_projects_that_names_none_is_the_units_total(tmp_path, ref):
    path = tmp_path / "unit.txt"
    path.write_text("某某县某某中心2024年度项目支出绩效单位自评报告\n\n"
                    "2024年度，我中心共实施项目15个。调整后的项目预算为861万元，全年实际到位仅334万元。\n",
                    encoding="utf-8")
    documents, _ = extract_to_dicts([str(path)], ref)
    (project,) = documents[0]["projects"]
    assert (project["name"], project["kind"]) == ("部门整体支出", "department")
    # the projects themselves were not read: said, not guessed
    assert any(r["code"] == "projects_count_off" for r in documents[0]["needs_review"])
