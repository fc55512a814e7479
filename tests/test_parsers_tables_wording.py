"""Table rules read by the words a template may use, not by one report's words:
where a money block's total stands, what a header calls the approved budget or
the score, what a 指标性质 cell means, which words open a goal block, and when a
绩效目标表 title makes a document a target sheet. Each rule has a small report
of the situation and a near miss that must read as before."""

from __future__ import annotations

import pytest

from budgetperf.reading.blocks import Cell, SourceDocument, Table
from budgetperf.storing.extracting import extract_to_dicts
from budgetperf.understanding.parsers.tables import budget_role, level_group, normalize_level2, parse_table
from budgetperf.understanding.parsers.values import nature_comparator


def table_of(rows: list[list[str]]) -> tuple[Table, SourceDocument]:
    """A Table whose row i sits on line i+1."""
    lines = ["\t".join(r) for r in rows]
    grid = tuple(tuple(Cell(text, i + 1, i + 1) for text in row) for i, row in enumerate(rows))
    return Table(grid, 1, len(rows)), SourceDocument("t.txt", "txt", lines)


def pipes(rows: list[list[str]]) -> str:
    return "\n".join(["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
                     + ["| " + " | ".join(r) + " |" for r in rows[1:]])


def extract_one(tmp_path, ref, text: str) -> dict:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    documents, failures = extract_to_dicts([str(path)], ref)
    assert failures == []
    return documents[0]


MONEY_HEADER = ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]


# ---------------------------------------------------------------------------
# the money block's total

def test_money_block_total_row_under_its_sources_is_the_total():
    # 中央补助资金 / 县级配套资金 first, 合计 at the bottom: the 合计 row is the money.
    table, doc = table_of([
        MONEY_HEADER,
        ["中央补助资金", "50", "50", "40", "", "80%", ""],
        ["县级配套资金", "30", "30", "30", "", "100%", ""],
        ["合计", "80", "80", "70", "10", "87.5%", "8.75"],
    ])
    facts = parse_table(table, doc)
    assert {k: val.value for k, val in facts.budget.items()} == {
        "budget_initial": 80, "budget_adjusted": 80, "executed": 70, "weight": 10, "rate": 87.5, "score": 8.75}
    # the total line goes first, its parts after it, as the audit reads them
    assert [line.label for line in facts.budget_lines] == ["合计", "中央补助资金", "县级配套资金"]


def test_money_block_total_on_top_reads_as_before():
    # Near miss: 年度资金总额 first, 其中 rows under it.
    table, doc = table_of([
        MONEY_HEADER,
        ["年度资金总额", "100", "120", "108", "10", "90%", "9"],
        ["其中：当年财政拨款", "80", "100", "90", "", "90%", ""],
        ["上年结转资金", "20", "20", "18", "", "90%", ""],
    ])
    facts = parse_table(table, doc)
    assert (facts.budget["budget_adjusted"].value, facts.budget["executed"].value, facts.budget["score"].value) == (120, 108, 9)
    assert facts.budget_lines[0].label == "年度资金总额"


def test_money_block_of_sources_only_adds_them_up():
    table, doc = table_of([
        MONEY_HEADER,
        ["中央补助资金", "50", "50", "40", "", "80%", ""],
        ["县级配套资金", "30", "30", "30", "", "100%", ""],
    ])
    facts = parse_table(table, doc)
    assert (facts.budget["budget_adjusted"].value, facts.budget["executed"].value, facts.budget["rate"].value) == (80, 70, 87.5)
    assert [p.line_start for p in facts.summed_rows] == [2, 3]  # a figure the report does not write: said


def test_a_summed_money_block_says_so_on_its_project(tmp_path, ref):
    report = ("某县某局2022年度耕地保护项目支出绩效自评报告\n\n项目名称：耕地保护项目\n实施单位：某县某局\n\n"
              + pipes([MONEY_HEADER, ["中央补助资金", "50", "50", "40", "", "80%", ""],
                       ["县级配套资金", "30", "30", "30", "", "100%", ""]]) + "\n")
    project = extract_one(tmp_path, ref, report)["projects"][0]
    assert (project["budget_adjusted"], project["executed"]) == (80, 70)
    assert any(r["code"] == "total_summed" for r in project["needs_review"])


def test_money_block_of_one_source_is_that_source():
    table, doc = table_of([MONEY_HEADER, ["财政拨款", "50", "50", "45", "10", "90%", "9"]])
    facts = parse_table(table, doc)
    assert (facts.budget["budget_initial"].value, facts.budget["executed"].value, facts.budget["score"].value) == (50, 45, 9)
    assert facts.summed_rows == []  # the one source's own figures: nothing added up


def test_bottom_total_report_reads_the_total_row(tmp_path, ref):
    report = ("某县某局2022年度耕地保护项目支出绩效自评报告\n\n项目名称：耕地保护项目\n实施单位：某县某局\n\n"
              + pipes([MONEY_HEADER, ["中央补助资金", "50", "50", "40", "", "80%", ""],
                       ["县级配套资金", "30", "30", "30", "", "100%", ""],
                       ["合计", "80", "80", "70", "10", "87.5%", "8.75"]]) + "\n")
    project = extract_one(tmp_path, ref, report)["projects"][0]
    assert (project["budget_initial"], project["executed"], project["execution_rate"]) == (80, 70, 87.5)
    assert (project["budget_weight"], project["budget_score"]) == (10, 8.75)


# ---------------------------------------------------------------------------
# header words

@pytest.mark.parametrize("header, role", [
    ("年初批复数", "budget_initial"), ("年初预算批复数", "budget_initial"), ("预算批复数", "budget_initial"),
    ("批复数", "budget_initial"), ("调整后批复数", "budget_adjusted"), ("全年批复数", "budget_adjusted"),
    ("年中调整预算数", "budget_adjusted"), ("全年预算安排数", "budget_adjusted"), ("实际支出数", "executed"),
    ("支出数", "executed"), ("决算数", "executed"), ("全年支出数", "executed"), ("实际拨付数", "executed"),
    ("资金执行数", "executed"), ("评分", "score"), ("满分", "weight"), ("拨付率", "rate"),
    ("已拨付金额", "executed"), ("上级拨付资金", None),  # a bare 拨付资金 may be the money allocated
    # near misses: as before
    ("年初预算数", "budget_initial"), ("全年执行数", "executed"), ("执行率", "rate"), ("结转资金", None),
    ("评分标准", None),
])
def test_money_header_words(header, role):
    assert budget_role(header) == role


def test_approved_budget_header_and_score_words_report(tmp_path, ref):
    # 年初批复数 / 调整后批复数 / 实际支出数 / 评分; 预期目标 / 实际完成情况 / 指标分值 / 评分.
    report = ("某县教育局2022年度学生资助项目支出绩效自评报告\n\n项目名称：学生资助项目\n实施单位：某县教育局\n\n"
              + pipes([["项目资金（万元）", "年初批复数", "调整后批复数", "实际支出数", "分值", "执行率", "评分"],
                       ["年度资金总额", "100", "120", "108", "10", "90%", "9"]]) + "\n\n"
              + pipes([["一级指标", "二级指标", "三级指标", "预期目标", "实际完成情况", "指标分值", "评分"],
                       ["产出指标", "数量指标", "资助学生人数", "≥500人", "520人", "20", "20"],
                       ["效益指标", "社会效益指标", "辍学率", "≤1%", "0.5%", "30", "30"],
                       ["总分", "", "", "", "", "100", "95"]]) + "\n")
    project = extract_one(tmp_path, ref, report)["projects"][0]
    assert (project["budget_initial"], project["budget_adjusted"], project["executed"]) == (100, 120, 108)
    assert (project["execution_rate"], project["budget_weight"], project["budget_score"]) == (90, 10, 9)
    assert [(i["target"], i["actual"], i["weight"], i["score"]) for i in project["indicators"]] == [
        ("≥500人", "520人", 20, 20), ("≤1%", "0.5%", 30, 30)]


def test_scoring_rule_column_is_not_the_score():
    # Near miss: 评分标准 is how a row is scored, not its score.
    table, doc = table_of([
        ["一级指标", "二级指标", "三级指标", "年度指标值", "分值", "评分标准"],
        ["产出指标", "数量指标", "培训人数", "≥100人", "20", "完成得满分"],
    ])
    facts = parse_table(table, doc)
    assert not facts.has_score_column
    assert facts.indicators[0].score is None and facts.indicators[0].weight == 20


def test_previous_year_column_is_not_the_actual():
    table, doc = table_of([
        ["一级指标", "二级指标", "三级指标", "上年完成值", "年度指标值", "分值"],
        ["产出指标", "数量指标", "培训人数", "90人", "≥100人", "20"],
    ])
    facts = parse_table(table, doc)
    assert not facts.has_actual_column
    assert facts.indicators[0].target == "≥100人"


# ---------------------------------------------------------------------------
# 指标性质

NATURE_HEADER = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值", "分值", "得分"]


@pytest.mark.parametrize("nature, value, unit, target", [
    ("定量", "200", "人", "200人"),          # a kind of indicator, not a comparison
    ("正向指标", "95", "%", "95%"),
    ("不低于", "95", "%", "≥95%"),           # a comparison word becomes its sign
    ("大于等于", "95", "%", "≥95%"),
    ("不高于", "5", "%", "≤5%"),
    ("等于", "100", "%", "=100%"),
    ("≥", "30", "场", "≥30场"),
    ("═", "100", "%", "═100%"),              # a sign as the export wrote it
    ("定性", "好", "", "好"),
    ("逐步提高", "", "", "逐步提高"),          # a qualitative value in the 性质 column
])
def test_indicator_nature_column(nature, value, unit, target):
    table, doc = table_of([NATURE_HEADER, ["产出指标", "数量指标", "培训人数", nature, value, unit, "1", "20", "20"]])
    assert parse_table(table, doc).indicators[0].target == target


@pytest.mark.parametrize("nature, sign", [("不少于", "≥"), ("以内", "≤"), (">=", "≥"), ("区间", ""), ("反向", ""),
                                          ("及时", None)])
def test_nature_comparator(nature, sign):
    assert nature_comparator(nature) == sign


# ---------------------------------------------------------------------------
# goal blocks and level words

@pytest.mark.parametrize("label", ["总体目标", "年度目标", "绩效目标", "预期目标", "年度履职目标", "整体绩效目标",
                                   "年度总体目标"])
def test_goal_block_opened_by_any_goal_label(label):
    goal = "全年完成学生资助发放，确保家庭经济困难学生应助尽助。"
    table, doc = table_of([[label, goal], MONEY_HEADER, ["年度资金总额", "100", "120", "108", "10", "90%", "9"]])
    facts = parse_table(table, doc)
    assert facts.goal_expected is not None and facts.goal_expected.value == goal


def test_scored_goal_row_of_a_four_part_table_is_not_a_goal():
    # Near miss: 决策 | 绩效目标 | 绩效目标合理性 | 3 | 2 is a scored row.
    table, doc = table_of([
        ["一级指标", "二级指标", "三级指标", "分值", "得分"],
        ["决策", "绩效目标", "绩效目标合理性", "3", "2"],
        ["过程", "资金管理", "预算执行率", "4", "3.5"],
    ])
    facts = parse_table(table, doc)
    assert facts.goal_expected is None
    assert facts.budget["weight"].value == 4 and facts.budget["score"].value == 3.5


def test_a_bare_satisfaction_name_stays_an_indicator_name():
    # 群众满意度 is as often a third-level indicator as a second-level label: not a level word
    assert normalize_level2("群众满意度") == "群众满意度"
    table, doc = table_of([
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "95%", "10", "10"],
    ])
    assert parse_table(table, doc).indicators[0].name == "群众满意度"


@pytest.mark.parametrize("written, level2, level1", [
    ("产出数量", "产出数量指标", "产出指标"), ("产出时效指标", "产出时效指标", "产出指标"),
    ("环境效益指标", "环境效益指标", "效益指标"), ("生态环境效益指标", "生态环境效益指标", "效益指标"),
    ("社会公众或服务对象满意度指标", "社会公众或服务对象满意度指标", "满意度指标"),
])
def test_second_level_wordings(written, level2, level1):
    assert normalize_level2(written) == level2
    assert level_group(level2) == level1
    table, doc = table_of([
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["", written, "某指标", "≥1", "1", "10", "10"],
    ])
    assert parse_table(table, doc).indicators[0].level1 == level1


# ---------------------------------------------------------------------------
# target sheets

MENTION_REPORT = """某县卫生健康局2022年度妇幼健康项目支出绩效自评报告

一、项目概况
本项目依据批复的项目绩效目标表开展工作。
项目名称：妇幼健康项目
实施单位：某县卫生健康局

附件：妇幼健康项目绩效目标表

""" + pipes([["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成情况", "分值", "得分"],
             ["产出指标", "数量指标", "孕产妇健康管理人数", "≥1000人", "1050人", "30", "30"],
             ["总分", "", "", "", "", "100", "96"]]) + "\n"


def test_self_evaluation_naming_its_target_sheet_is_an_evaluation(tmp_path, ref):
    document = extract_one(tmp_path, ref, MENTION_REPORT)
    assert document["doc_kinds"] == ["project_evaluation"]
    project = document["projects"][0]
    assert project["name"] == "妇幼健康" and project["total_score"] == 96


def test_target_sheet_with_attachment_title_stays_a_target_sheet(tmp_path, ref):
    # Near miss: a real sheet (no results, 上年完成值 is last year's): its name drops 附件1：.
    report = "附件1：妇幼健康项目绩效目标表\n\n项目名称：妇幼健康项目\n\n" + pipes([
        ["一级指标", "二级指标", "三级指标", "上年完成值", "年度指标值", "分值"],
        ["产出指标", "数量指标", "孕产妇健康管理人数", "900人", "≥1000人", "30"]]) + "\n"
    document = extract_one(tmp_path, ref, report)
    assert document["doc_kinds"] == ["targets"]
    assert [p["name"] for p in document["projects"]] == ["妇幼健康项目"]
