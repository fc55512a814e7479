"""Indicator tables a PDF's text layer dumped as a stream of words
(`understanding.parsers.streams`): rebuilt as tables, read like any other, and
where a cell boundary had to be guessed, said."""

from __future__ import annotations

from budgetperf.reading.blocks import Paragraph, Table
from budgetperf.reading.formats import read_document
from budgetperf.storing.extracting import extract_to_dicts
from budgetperf.understanding.parsers.streams import with_stream_tables

# A target form (no results): a 指标说明 column, names broken mid-word, a target
# broken before 以上, a row with a weight and no target, a caption, page numbers,
# and 总分 that is the weights' sum.
TARGET_FORM = """2024年度某某县某某补助项目绩效评价指标表

填报单位：某某县某某局

评价指标 评价内容 指标名称 指标说明 目标值 分值 备注

项目年度绩效目标（定量指标）

制度指标
管理办法制

定与否
20

产出

数量指标
补助对象人

数
达到预计值 350 30

— 2 —

质量指标
补助对象满

意度
达到目标值 90%以

上
30

时效指标 按时发放率 达到目标值 100% 20

总分 100

以上指标由项目单位填报。
"""


def _write(tmp_path, text: str, name: str = "form.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_word_stream_target_form_is_rebuilt_cell_by_cell(tmp_path):
    rebuilt = with_stream_tables(read_document(str(_write(tmp_path, TARGET_FORM))))
    table = next(b for b in rebuilt.doc.blocks if isinstance(b, Table))
    rows = table.texts()
    assert rows[1][1:3] == ["制度指标", "管理办法制定与否"] and rows[1][5] == "20" and rows[1][4] == ""
    assert rows[2][:6] == ["产出", "数量指标", "补助对象人数", "达到预计值", "350", "30"]
    assert rows[3][2] == "补助对象满意度" and rows[3][4] == "90%以上" and rows[3][5] == "30"
    assert rows[4][1:6] == ["时效指标", "按时发放率", "达到目标值", "100%", "20"]
    assert rows[-1][0] == "总分" and rows[-1][5] == "100"
    assert rebuilt.unsure_lines == []
    # the sentence after the table stays a paragraph
    assert any(isinstance(b, Paragraph) and "由项目单位填报" in b.text for b in rebuilt.doc.blocks)


def test_word_stream_target_form_extracts_with_weights_and_no_total_score(tmp_path, ref):
    documents, failures = extract_to_dicts([str(_write(tmp_path, TARGET_FORM))], ref)
    assert failures == []
    project = documents[0]["projects"][0]
    assert project["name"] == "某某补助"
    assert [i["weight"] for i in project["indicators"]] == [20, 30, 30, 20]
    assert [i["target"] for i in project["indicators"]] == [None, "350", "90%以上", "100%"]
    assert project["total_score"] is None  # 总分 100 is the weights' sum


def test_a_row_with_more_words_than_cells_is_flagged(tmp_path, ref):
    text = """某某县某某局2023年度某某经费项目支出绩效自评表

一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分

产出指标 数量指标
培训人数 ≥100人 120人 20 20
宣传 活动 次数 ≥5次 6次 30 30
效益指标 社会效益指标
群众知晓率 ≥90% 95% 50 48

总分 100 98
"""
    documents, _ = extract_to_dicts([str(_write(tmp_path, text))], ref)
    reasons = [r["code"] for r in documents[0]["needs_review"]]
    assert "cells_guessed" in reasons
    names = [i["name"] for i in documents[0]["projects"][0]["indicators"]]
    assert "宣传活动次数" in names  # kept, with the doubt said
    assert documents[0]["projects"][0]["total_score"] == 98


def test_a_lone_total_that_matches_no_column_is_flagged(tmp_path):
    text = """一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分

产出指标 数量指标
培训人数 ≥100人 120人
群众知晓率 ≥90% 95%

总分 96
"""
    rebuilt = with_stream_tables(read_document(str(_write(tmp_path, text))))
    assert rebuilt.unsure_lines  # 96 under 分值 or under 得分: the rows do not say


def test_space_separated_table_without_points_is_left_to_the_table_reader(tmp_path):
    text = """一级指标 二级指标 三级指标 指标值
产出指标 数量指标 展示品种数 ≥20个
"""
    doc = read_document(str(_write(tmp_path, text)))
    assert with_stream_tables(doc).doc is doc
