"""Numbers, amounts, grades and parsed targets: input -> expected, one table per function."""

import pytest

from budgetperf.understanding.parsers.values import (
    amount_to_wan,
    cn_numeral,
    detect_amount_unit,
    grade_for_score,
    normalize_grade,
    parse_cell_number,
    parse_measure,
    parse_number,
    parse_percent,
)


@pytest.mark.parametrize("text, expected", [
    ("87", 87), ("2.0", 2), ("98.69", 98.69), ("1,250,000.00", 1250000), ("—", None), ("", None),
    ("/", None), (None, None), ("约30", 30),
])
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("10", 10), ("9.5", 9.5), ("10分", 10), ("—", None), ("请填写分值", None), ("100%", 100),
])
def test_parse_cell_number_rejects_words(text, expected):
    assert parse_cell_number(text) == expected


@pytest.mark.parametrize("text, default, expected", [
    ("87万元", "万元", 87), ("500000元", "万元", 50), ("1,250,000.00", "元", 125), ("35.0", "万元", 35),
    ("1.2亿元", "万元", 12000), ("2万", "元", 2), ("—", "万元", None),
])
def test_amount_to_wan(text, default, expected):
    assert amount_to_wan(text, default) == expected


@pytest.mark.parametrize("text, expected", [
    ("单位：元", "元"), ("（万元）", "万元"), ("项目资金（万元）", "万元"), ("金额(千元)", "千元"), ("年初预算数", None),
])
def test_detect_amount_unit(text, expected):
    assert detect_amount_unit(text) == expected


@pytest.mark.parametrize("text, expected", [("89.72%", 89.72), ("100%", 100), ("0.8972", 89.72), ("95", 95), ("—", None)])
def test_parse_percent(text, expected):
    assert parse_percent(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("优", "优"), ("优秀", "优"), ("“优”", "优"), ("良好", "良"), ("合格", "中"), ("不合格", "差"), ("可", "中"),
    ("一等", "优"), ("二等", "良"), ("三等", "中"), ("四等", "差"), ("优秀等级", "优"), ("B", "良"), ("很好", None), ("", None),
])
def test_normalize_grade(text, expected):
    assert normalize_grade(text) == expected


@pytest.mark.parametrize("score, expected", [(100, "优"), (90, "优"), (89.9, "良"), (80, "良"), (79.5, "中"), (60, "中"), (59, "差"), (None, None)])
def test_grade_bands(score, expected):
    assert grade_for_score(score) == expected


@pytest.mark.parametrize("text, expected", [("七", 7), ("十", 10), ("十二", 12), ("二十三", 23), ("3", 3), ("多", None)])
def test_cn_numeral(text, expected):
    assert cn_numeral(text) == expected


@pytest.mark.parametrize("text, comparator, value, unit, numeric, approx", [
    ("≥200人", "≥", 200, "人", True, False),
    ("2000余条", None, 2000, "条", True, True),
    ("≤22 万元", "≤", 22, "万元", True, False),
    ("≤2万", "≤", 2, "万", True, False),
    ("100%", None, 100, "%", True, False),
    ("不低于95%", "≥", 95, "%", True, False),
    (">90%", ">", 90, "%", True, False),
    ("及时性", None, None, None, False, False),
    ("长期", None, None, None, False, False),
    ("不断增强", None, None, None, False, False),
    ("近600个", None, 600, "个", True, True),
    (None, None, None, None, False, False),
])
def test_parse_measure(text, comparator, value, unit, numeric, approx):
    m = parse_measure(text)
    assert (m.comparator, m.value, m.unit, m.is_numeric, m.is_approximate) == (comparator, value, unit, numeric, approx)
