"""Titles and cover lines: who wrote a report, for which year, about which project."""

import pytest

from budgetperf.reading.blocks import Paragraph, SourceDocument
from budgetperf.storing.extracting import extract_to_dicts
from budgetperf.understanding.parsers.cover import (
    read_cover_labels,
    signature_unit,
    split_title,
)


@pytest.mark.parametrize("title, unit, year, name, is_department", [
    # unit before the year, generic qualifier after: several projects follow
    ("共青团某某市委2020年度市级项目支出绩效自评报告", "共青团某某市委", 2020, None, False),
    # a bare region before the year is not a unit
    ("桂林市2023年度就业补助资金绩效自评报告", None, 2023, "就业补助资金", False),
    # unit prefix and project name with no space between them
    ("方城县动物疫病预防控制中心动物防疫专项经费2021年度绩效评价报告", "方城县动物疫病预防控制中心", 2021, "动物防疫专项经费", False),
    # year first, then unit and project
    ("2023年度新安县教育局学前教育发展资金项目支出绩效自评报告", "新安县教育局", 2023, "学前教育发展资金", False),
    # a committee's department is one unit
    ("2021年度中共郸城县委宣传部融媒体中心运行经费项目支出绩效自评报告", "中共郸城县委宣传部", 2021, "融媒体中心运行经费", False),
    # a name that starts with a list of facilities: no unit split, region head dropped
    ("泰州市姜堰区二人医开发区医院、妇幼保健院专项债券项目绩效自评价报告", None, None, "二人医开发区医院、妇幼保健院专项债券", False),
    # department reports, with or without 部门
    ("丽水市文化馆2018年度整体支出绩效评价报告", "丽水市文化馆", 2018, None, True),
    ("永州市零陵区疾病预防控制中心2021年度部门整体支出绩效自评报告", "永州市零陵区疾病预防控制中心", 2021, None, True),
    # the year at the end, in parentheses
    ("中央转移支付区域绩效自评表（2023年度）", None, None, None, False),
    # an autonomous county's long name (up to 15 characters) still splits from the project
    ("2021年度中共某某某某蒙古自治县委宣传部宣传文化工作经费项目支出绩效自评报告", "中共某某某某蒙古自治县委宣传部", 2021,
     "宣传文化工作经费", False),
    # no unit, no year: the project name alone
    ("网信乐亭项目支出绩效评价报告", None, None, "网信乐亭", False),
])
def test_split_title(title, unit, year, name, is_department):
    parts = split_title(title)
    assert (parts.unit, parts.year, parts.name, parts.is_department) == (unit, year, name, is_department)


def doc_of(texts):
    paras = [Paragraph(t, i + 1, i + 1) for i, t in enumerate(texts)]
    return paras, SourceDocument("t.txt", "txt", list(texts))


@pytest.mark.parametrize("lines, role, value", [
    (["填报单位：某县医疗保险服务中心"], "unit", "某县医疗保险服务中心"),
    (["填报单位（盖章）：某县统计局    单位负责人：张三    填表人：李四"], "unit", "某县统计局"),
    (["项目实施单位：某县农业农村局", "组织单位：某县财政局"], "unit", "某县农业农村局"),
    (["组织单位：某县财政局"], "evaluator", "某县财政局"),
    (["主管部门：某区卫生健康局", "实施单位：某区妇幼保健院"], "department", "某区卫生健康局"),
    (["项 目 实 施 单 位  某区委网信办      （公章）"], "unit", "某区委网信办"),
    (["项目（专项资金）名称 网信系统建设及维护资金"], "name", "网信系统建设及维护资金"),
    (["单位信息：917001-某区人民政府某街道办事处（本级）"], "unit", "某区人民政府某街道办事处"),
])
def test_cover_labels(lines, role, value):
    paras, doc = doc_of(lines)
    labels = read_cover_labels(paras, doc)
    assert labels.get(role).value == value
    assert labels.get(role).prov.line_start >= 1


def test_the_supervisor_is_never_the_unit_label():
    paras, doc = doc_of(["主管部门：某县财政局", "项目单位：某县文化和广电旅游体育局"])
    labels = read_cover_labels(paras, doc)
    assert labels.get("unit").value == "某县文化和广电旅游体育局"
    assert labels.get("department").value == "某县财政局"


def test_signature_unit_is_the_unit_above_the_date():
    paras, _ = doc_of(["一、基本情况", "正文……", "某市科学技术局", "2022年3月"])
    assert signature_unit(paras)[0] == "某市科学技术局"


def test_a_title_whose_region_the_splitter_does_not_know_loses_the_unit_from_the_project(tmp_path, ref):
    """A region named without 省/市/县/区 (a 群岛): the title is not cut at the unit,
    but once the unit is resolved the project's name does not keep it."""
    region = next(r.name for r in ref.regions if r.name[-1] not in "省市州盟县区旗" and len(r.name) >= 3)
    path = tmp_path / "report.txt"
    path.write_text(f"2024年度{region}医疗保障局医保经办服务能力建设项目支出绩效自评报告\n\n"
                    f"一、项目支出基本情况\n项目预算35万元，实际支出31.5万元，执行率为90%。\n", encoding="utf-8")
    documents, _ = extract_to_dicts([str(path)], ref)
    assert documents[0]["unit"] == f"{region}医疗保障局"
    assert [p["name"] for p in documents[0]["projects"]] == ["医保经办服务能力建设"]
