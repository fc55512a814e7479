"""The report's own words on why (存在的问题, 偏差原因, 改进措施): found as
headings with their sections, as labels with their text, and as table rows; kept
with their lines, per project, in the store."""

from __future__ import annotations

import duckdb
import pytest

from budgetperf.reading.blocks import Cell, Paragraph, SourceDocument
from budgetperf.understanding.parsers.passages import find_passages, kind_of, passage_in_row
from tests.conftest import ingest


def paras_of(texts):
    return [Paragraph(t, i + 1, i + 1) for i, t in enumerate(texts)], SourceDocument("t.txt", "txt", list(texts))


def test_a_chapter_heading_takes_its_sections_up_to_the_next_chapter():
    paras, doc = paras_of([
        "三、存在的问题", "（一）资金到位不足。全年实际到位仅334万元。", "（二）管理有待规范。",
        "四、下一步改进措施", "加强沟通衔接，争取资金按进度拨付到位。", "附件：评分表",
    ])
    found = find_passages(paras, doc)
    assert [(p.kind, p.label, p.prov.line_start, p.prov.line_end) for p in found] == [
        ("problem", "三、存在的问题", 1, 3), ("remedy", "四、下一步改进措施", 4, 6)]
    assert found[0].text.startswith("（一）资金到位不足") and "（二）管理有待规范" in found[0].text


def test_a_section_heading_ends_at_its_sibling_and_items_stay_inside():
    paras, doc = paras_of(["（三）偏差原因分析", "1.疫情影响，活动延期。", "2.采购流程较长。", "（四）其他说明", "无。"])
    (found,) = find_passages(paras, doc)
    assert (found.kind, found.prov.line_end) == ("reason", 3)


@pytest.mark.parametrize("text, kind", [
    ("存在问题：项目进度滞后，资金支付偏慢。", "problem"),
    ("2.未完成原因：受天气影响施工延期。", "reason"),
    ("整改措施：加快支付进度。", "remedy"),
])
def test_a_label_and_its_text_in_one_paragraph(text, kind):
    paras, doc = paras_of([text])
    (found,) = find_passages(paras, doc)
    assert found.kind == kind and "：" not in found.text[:1]


@pytest.mark.parametrize("text", ["存在问题较多的是基层单位。", "建议各单位加强管理。", "该项目不存在问题。"])
def test_sentences_that_mention_the_words_are_not_passages(text):
    paras, doc = paras_of([text])
    assert find_passages(paras, doc) == []


def test_combined_labels_take_the_kind_of_their_first_word():
    assert kind_of("偏差原因分析及改进措施") == "reason"
    assert kind_of("存在的问题和改进措施") == "problem"


def test_a_table_row_with_a_label_cell_and_its_text():
    doc = SourceDocument("t.txt", "txt", ["x"] * 5)
    row = [Cell("偏差原因分析及改进措施", 4, 4, 0), Cell("受疫情影响部分培训延期，下年度将提前安排。", 4, 4, 1)]
    found = passage_in_row(row, doc)
    assert (found.kind, found.text, found.prov.line_start) == ("reason", "受疫情影响部分培训延期，下年度将提前安排。", 4)
    assert passage_in_row([Cell("存在的问题", 5, 5, 0), Cell("无", 5, 5, 1)], doc) is None  # nothing said


def test_passages_are_stored_per_project_with_their_lines(tmp_path, ref):
    report = tmp_path / "report.txt"
    report.write_text("某某县某某局2023年度某某培训经费项目支出绩效自评报告\n\n"
                      "一、基本情况\n项目年初预算10万元，实际支出8万元，执行率80%。\n\n"
                      "二、存在的问题\n培训计划调整，部分培训延至次年。\n\n"
                      "三、改进措施\n提前制定培训计划。\n", encoding="utf-8")
    db = tmp_path / "store.duckdb"
    ingest(db, [report], ref)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("select kind, kind_zh, label, text, line_start, line_end, project_name "
                           "from mart_passages order by passage_no").fetchall()
    assert rows == [
        ("problem", "存在的问题", "二、存在的问题", "培训计划调整，部分培训延至次年。", 6, 7, "某某培训经费"),
        ("remedy", "改进措施", "三、改进措施", "提前制定培训计划。", 9, 10, "某某培训经费"),
    ]
