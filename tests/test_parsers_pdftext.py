"""Tables as a PDF text layer dumps them (single spaces, wrapped cells)."""

from budgetperf.reading.blocks import Paragraph, SourceDocument
from budgetperf.understanding.parsers.pdftext import (
    allocation_projects,
    simple_indicator_rows,
)


def paras_of(texts):
    return [Paragraph(t, i + 1, i + 1) for i, t in enumerate(texts)], SourceDocument("t.txt", "txt", list(texts))


def test_allocation_table_rebuilds_project_names_from_header_slices():
    paras, doc = paras_of([
        "附件1", "2025年某某发展资金分配表", "单位：万元",
        "乡镇 病虫害绿色 耕地质量保 动物防疫员",  # slices of 5 characters
        "防控示范片 护与提升项 补助",  # the third column ends here (its slice is short)
        "项目 目",
        "农业农村局 5 18.5 4 27.5",
        "合计 5 18.5 4 27.5",
    ])
    found = allocation_projects(paras, doc)
    assert [(p.name, p.amount.value) for p in found] == [
        ("病虫害绿色防控示范片项目", 5), ("耕地质量保护与提升项目", 18.5), ("动物防疫员补助", 4)]
    assert found[0].amount.prov.line_start == 8


def test_no_allocation_table_no_projects():
    paras, doc = paras_of(["一、基本情况", "合计 1 2 3"])
    assert allocation_projects(paras, doc) == []


def test_wrapped_indicator_names_continue_on_the_next_line():
    paras, doc = paras_of([
        "产出指标 数量指标 展示示范农作物新 ≥20个", "品种数",
        "成本指标 市级补助资金 ≤10万元",
        "满意度指标 服务对象满意度指标 种植户满 ≥90%", "意度",
        "— 3 —",
    ])
    rows = simple_indicator_rows(paras, doc)
    assert [(r.level1, r.level2, r.name, r.target) for r in rows] == [
        ("产出指标", "数量指标", "展示示范农作物新品种数", "≥20个"),
        ("产出指标", "成本指标", "市级补助资金", "≤10万元"),  # 成本指标 alone is a second level here
        ("满意度指标", "服务对象满意度指标", "种植户满意度", "≥90%"),
    ]
    assert (rows[0].prov.line_start, rows[0].prov.line_end) == (1, 2)
