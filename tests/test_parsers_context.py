"""Region, unit and year resolution."""

import pytest

from budgetperf.reading.blocks import SourceDocument
from budgetperf.understanding.parsers.context import (
    canonical_unit,
    resolve_region,
    resolve_year,
    split_unit_code,
)


def doc_of(*lines: str) -> SourceDocument:
    return SourceDocument("t.txt", "txt", list(lines))


@pytest.mark.parametrize("lines, expected", [
    (["被唐山市委网信办评为先进单位。", "乐亭县网信办开展宣传。", "乐亭县财政局"], "乐亭县"),  # parent city is context
    (["中共唐山市丰南区委网信办"], "丰南区"),
    (["滦南县农业农村局高标准农田建设"], "滦南县"),  # 滦南县 also ends with the county name 南县
    (["三门峡市互联网舆情中心", "与河南分中心合作"], "三门峡市"),
    (["三门峡市财政局", "三门峡市本级预算", "三门峡市绩效评价", "其中灵宝市、渑池县各一个项目"], "三门峡市"),  # a city lists its counties
    (["唐山市滦南区委网信办", "滦南区网信系统建设"], "唐山市"),  # an unknown 滦南区 is not the short name 南区
    (["选取村庄、社区、城区广场开展宣传", "迁西县网信办"], "迁西县"),  # 城区 (a district of 阳泉) inside a word
    (["雄县人民政府", "雄县财政局"], "雄县"),  # a real two-character county still resolves
    (["今天天气很好"], None),
])
def test_resolve_region(ref, lines, expected):
    region = resolve_region(doc_of(*lines), ref)
    assert (region.name if region else None) == expected


def test_region_from_project_code_wins(ref):
    region = resolve_region(doc_of("新安县"), ref, codes=["130225"])
    assert region.name == "乐亭县"


@pytest.mark.parametrize("raw, region_name, expected", [
    ("224001 中共乐亭县委网络安全和信息化委员会办公室本级", "乐亭县", "乐亭县委网信办"),
    ("网信办", "乐亭县", "乐亭县委网信办"),
    ("丰南区委网信办（公章）", "丰南区", "丰南区委网信办"),
    ("中共唐山市丰南区委网络安全和信息化委员会办公室", "丰南区", "丰南区委网信办"),
    ("三门峡市互联网舆情研究和应急保障中心", "三门峡市", "三门峡市互联网舆情研究和应急保障中心"),
])
def test_canonical_unit(ref, raw, region_name, expected):
    region = next(r for r in ref.regions if r.name == region_name)
    assert canonical_unit(raw, region, ref) == expected


def test_split_unit_code():
    assert split_unit_code("224001 中共乐亭县委网信办本级") == ("224001", "中共乐亭县委网信办本级")
    assert split_unit_code("2021年度报告") == (None, "2021年度报告")


@pytest.mark.parametrize("lines, year, explicit", [
    (["正文提到2020年度先进单位。", "（  2021  年度）"], 2021, True),              # header wins over text
    (["2022年度某县某局项目支出绩效自评报告"], 2022, True),                           # title
    (["本部门2023年度申请预算资金87万元。"], 2023, True),                             # fiscal-year statement
    (["依据丰南编字[2019]18号文件。", "2024年全年向重点网站提供信息。"], 2024, False),  # citation ignored
    (["乐财预〔2021〕9号"], None, None),                                              # only a citation
    (["项目编码 13022525P00NB79100162"], 2025, False),                               # project code
    (["项目编码 99999925P00NB79100162"], None, None),                                # unknown region code
    (["项目编码：13022424000100012"], 2024, False),                                 # all-digit code after its label
    (["联系电话 13022424000100012"], None, None),                                    # digits without the label
])
def test_resolve_year(ref, lines, year, explicit):
    match = resolve_year(doc_of(*lines), ref)
    if year is None:
        assert match is None
    else:
        assert (match.year, match.is_explicit) == (year, explicit)
        assert match.evidence
