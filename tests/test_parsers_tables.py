"""Self-evaluation and target tables: the row rules, each on a tiny table."""

import pytest

from budgetperf.reading.blocks import Cell, Paragraph, SourceDocument, Table
from budgetperf.reading.text import blocks_from_lines
from budgetperf.understanding.parsers.tables import (
    clean_indicator_name,
    normalize_level2,
    parse_table,
)
from budgetperf.understanding.parsers.targets import parse_wrapped_indicator_rows


def table_of(rows: list[list[str]]) -> tuple[Table, SourceDocument]:
    """A Table whose row i sits on line i+1."""
    lines = ["\t".join(r) for r in rows]
    grid = tuple(tuple(Cell(text, i + 1, i + 1) for text in row) for i, row in enumerate(rows))
    return Table(grid, 1, len(rows)), SourceDocument("t.txt", "txt", lines)


HEADER = ["", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]


def test_blank_first_level_is_inferred_from_second_level():
    table, doc = table_of([
        HEADER,
        ["", "产出指标", "数量指标", "培训人数", "≥100人", "120人", "20", "20", ""],
        ["", "", "社会效益指标", "群众知晓率", "≥80%", "85%", "10", "10", ""],
        ["", "", "", "活动覆盖面", "长期", "持续", "10", "10", ""],
    ])
    indicators = parse_table(table, doc).indicators
    assert [(i.level1, i.level2) for i in indicators] == [
        ("产出指标", "数量指标"), ("效益指标", "社会效益指标"), ("效益指标", "社会效益指标"),
    ]
    assert indicators[1].level1_inferred


@pytest.mark.parametrize("raw, expected", [("社会效益", "社会效益指标"), ("社会效益指标", "社会效益指标"), ("", None)])
def test_level2_always_ends_in_zhibiao(raw, expected):
    assert normalize_level2(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("指标1：扩大网评队伍规模", "扩大网评队伍规模"), ("指标二:活动开展情况", "活动开展情况"), ("1.培训人数", "培训人数"),
    ("（2）覆盖率", "覆盖率"), ("①到位率", "到位率"), ("培训合格率（%）", "培训合格率（%）"),
    ("受益人数（请填写具体人数）", "受益人数"),
])
def test_indicator_name_cleaning(raw, expected):
    assert clean_indicator_name(raw) == expected


def test_wrapped_level2_cell_is_joined_in_flattened_text():
    lines = ["\t", "\t产出指标", "\t数量指标", "\t甲", "\t1", "\t1", "\t10", "\t10", "",
             "\t", "\t", "\t社会效益", "指标", "\t乙", "\t2", "\t2", "\t10", "\t10"]
    table = blocks_from_lines(["\t一级指标", "\t二级指标", "\t三级指标", "\t年度指标值", "\t实际完成值", "\t分值", "\t得分", ""] + lines)[0]
    facts = parse_table(table, SourceDocument("t.txt", "txt", [""] * 30))
    assert [i.level2 for i in facts.indicators] == ["数量指标", "社会效益指标"]


def test_columns_found_from_headers_not_position():
    # 分值 before the target; 指标性质 / 指标值 / 度量单位 in separate columns.
    table, doc = table_of([
        ["一级指标", "二级指标", "三级指标", "分值", "指标性质", "指标值", "度量单位", "实际完成值", "得分"],
        ["产出指标", "数量指标", "新建农田面积", "30", "≥", "3000", "亩", "3200亩", "28"],
    ])
    (ind,) = parse_table(table, doc).indicators
    assert (ind.name, ind.target, ind.actual, ind.weight, ind.score) == ("新建农田面积", "≥3000亩", "3200亩", 30, 28)


def test_budget_row_alternative_headers_and_yuan():
    table, doc = table_of([
        ["项目资金（元）", "年初预算数", "下达额度", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", "1,000,000", "1,200,000", "960,000", "10", "80%", "8"],
        ["其中：当年财政拨款", "1,000,000", "1,200,000", "960,000", "—", "80%", "—"],
    ])
    facts = parse_table(table, doc)
    budget = {k: val.value for k, val in facts.budget.items()}
    assert budget == {"budget_initial": 100, "budget_adjusted": 120, "executed": 96, "weight": 10, "rate": 80, "score": 8}
    assert facts.amount_unit == "元"
    assert facts.budget["budget_initial"].raw == "1,000,000"


def test_caption_unit_applies_when_table_declares_none():
    table, doc = table_of([["项目资金", "年初预算数", "全年执行数", "执行率"], ["年度资金总额", "500000", "450000", "90%"]])
    facts = parse_table(table, doc, caption_unit="元")
    assert facts.budget["budget_initial"].value == 50


def test_subrows_carry_no_weight_and_instructions_are_skipped():
    table, doc = table_of([
        HEADER,
        ["", "产出指标", "数量指标", "新建面积", "≥100亩", "120亩", "20", "20", ""],
        ["", "", "", "其中：灌溉面积", "≥50亩", "60亩", "", "", ""],
        ["", "", "", "填写说明：三级指标按实际填写", "", "", "", "", ""],
    ])
    indicators = parse_table(table, doc).indicators
    assert [i.name for i in indicators] == ["新建面积", "其中：灌溉面积"]
    assert indicators[1].weight is None


def test_total_row_in_target_table_is_a_weight_sum():
    table, doc = table_of([
        ["一级指标", "二级指标", "三级指标", "指标值", "分值"],
        ["产出指标", "数量指标", "覆盖人数", "≥500人", "50"],
        ["满意度指标", "服务对象满意度指标", "满意度", "≥90%", "50"],
        ["总分", "100"],
    ])
    facts = parse_table(table, doc)
    assert facts.total_weight.value == 100 and facts.total_score is None
    assert not facts.has_actual_column


def test_total_row_in_evaluation_table_has_weight_and_score():
    table, doc = table_of([HEADER, ["", "产出指标", "数量指标", "甲", "1", "1", "90", "85", ""], ["总分", "100", "94"]])
    facts = parse_table(table, doc)
    assert (facts.total_weight.value, facts.total_score.value) == (100, 94)
    assert facts.total_score.prov.line_start == 3


def test_labels_and_title():
    table, doc = table_of([
        ["购买服务项目支出绩效自评表"], ["（ 2022 年度）"], ["项目名称", "购买服务"], ["主管部门", "", "实施单位", "某某局"],
    ])
    facts = parse_table(table, doc)
    assert (facts.title_name, facts.year.value, facts.name.value, facts.unit.value) == ("购买服务", 2022, "购买服务", "某某局")
    assert facts.department is None


def test_wrapped_pdf_target_rows_split_name_and_target():
    texts = ["产出指标", "数量指标", "组织开展网", "络宣传活动", "组织开展网络宣传活动 ≥30 场 年初工作安排",
             "成本指标", "控制在预算", "内", "控制在预算内 ≤22 万元 年初工作安排",
             "效益指标", "可持续影响", "指标", "增强影响力 增强影响力 不断增强 年初工作安排"]
    paras = [Paragraph(t, i + 2, i + 2) for i, t in enumerate(texts)]
    header = Paragraph("一级指标 二级指标 三级指标 绩效指标描述 指标值 指标值确定依据", 1, 1)
    doc = SourceDocument("t.txt", "txt", [header.text] + texts)
    rows = parse_wrapped_indicator_rows(header, paras, doc)
    assert [(r.level1, r.level2, r.name, r.target) for r in rows] == [
        ("产出指标", "数量指标", "组织开展网络宣传活动", "≥30场"),
        ("产出指标", "成本指标", "控制在预算内", "≤22万元"),
        ("效益指标", "可持续影响指标", "增强影响力", "不断增强"),
    ]
    assert rows[0].prov.line_start == 2 and rows[0].prov.line_end == 6


def test_section_score_found_in_the_next_paragraph_of_its_item():
    from budgetperf.understanding.parsers.narrative import find_section_scores

    texts = ["3、效益指标（40分）效益指标主要从经济效益、社会效益等方面评价。", "对于该项的评价，加权计算结果，得分36分。",
             "4、满意度指标（10分）网民满意度调查，得分10分。"]
    paras = [Paragraph(t, i + 1, i + 1) for i, t in enumerate(texts)]
    scores = find_section_scores(paras, SourceDocument("t.txt", "txt", texts))
    assert [(s.section, s.max, s.score, s.prov.line_start, s.prov.line_end) for s in scores] == [
        ("效益指标", 40, 36, 1, 2), ("满意度指标", 10, 10, 3, 3),
    ]


# --- labels as written, weights in labels, label vocabulary -----------------

from budgetperf.understanding.parsers.tables import (  # noqa: E402
    label_field,
    level_group,
    normalize_level1,
    split_label_weight,
)


@pytest.mark.parametrize("raw, label, weight", [
    ("产出指标（50分）", "产出指标", 50), ("效益指标(30分)", "效益指标", 30), ("决策（20分）", "决策", 20),
    ("产出指标", "产出指标", None), ("培训合格率（%）", "培训合格率（%）", None), ("指标1（2021）", "指标1（2021）", None),
])
def test_weight_in_a_label_is_not_part_of_it(raw, label, weight):
    assert split_label_weight(raw) == (label, weight)


@pytest.mark.parametrize("raw, expected", [
    ("产出目标", "产出目标"),  # as written: nothing appended
    ("产出指标（50分）", "产出指标"), ("产出", "产出指标"), ("效益", "效益指标"), ("项目立项", "项目立项"),
])
def test_level1_labels_as_written(raw, expected):
    assert normalize_level1(raw) == expected


@pytest.mark.parametrize("label, group", [
    ("产出目标", "产出指标"), ("产出", "产出指标"), ("效益目标", "效益指标"), ("效果指标", "效益指标"),
    ("满意度", "满意度指标"), ("服务对象满意度指标", "满意度指标"), ("社会效益指标", "效益指标"), ("项目立项", None),
])
def test_level_group_normalizes_for_grouping(label, group):
    assert level_group(label) == group


@pytest.mark.parametrize("cell, field", [
    ("项目名称", "name"), ("转移支付（项目）名称", "name"), ("项目（专项资金）名称", "name"),
    ("实施单位", "unit"), ("资金使用单位", "unit"), ("部门（单位）名称", "unit"), ("填报单位：", "unit"),
    ("主管部门", "department"), ("地方主管部门", "department"), ("主管部门（单位）名称及部门预算编码", "department"),
    ("自评等级", "grade"), ("计划安排资金（万元）", "budget"), ("区级支出预算总量", "budget"),
    ("实际支出（万元）", "executed"), ("预算执行率", "rate"), ("三级指标", None), ("年初预算数", None),
])
def test_label_vocabulary(cell, field):
    assert label_field(cell) == field


def test_indicator_table_without_its_header_row_is_read_by_content():
    table, doc = table_of([
        ["产出指标", "数量指标", "开展培训场次", "≥20场", "22场", "20", "20"],
        ["", "质量指标", "培训合格率", "≥90%", "95%", "20", "19"],
        ["满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "96%", "10", "10"],
    ])
    facts = parse_table(table, doc)
    assert facts.inferred_header
    assert [(i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score) for i in facts.indicators] == [
        ("产出指标", "数量指标", "开展培训场次", "≥20场", "22场", 20, 20),
        ("产出指标", "质量指标", "培训合格率", "≥90%", "95%", 20, 19),
        ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "96%", 10, 10),
    ]


def test_four_part_score_table_keeps_decision_and_process_rows_out_of_indicators():
    table, doc = table_of([
        ["一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "得分"],
        ["决策（20分）", "项目立项", "立项依据充分性", "10", "—", "—", "10"],
        ["过程（20分）", "资金管理", "预算执行率", "5", "100%", "92%", "4"],
        ["产出（40分）", "数量指标", "新建便道长度", "20", "4.5公里", "4.2公里", "18"],
        ["效益（20分）", "满意度指标", "群众满意度", "10", "≥90%", "91%", "10"],
    ])
    facts = parse_table(table, doc)
    assert [(i.level1, i.level2, i.name) for i in facts.indicators] == [
        ("产出指标", "数量指标", "新建便道长度"), ("效益指标", "满意度指标", "群众满意度")]
    assert (facts.budget["weight"].value, facts.budget["score"].value) == (5, 4)
    assert [(s.section, s.max) for s in facts.section_scores] == [("决策", 20), ("过程", 20), ("产出指标", 40), ("效益指标", 20)]


@pytest.mark.parametrize("rows, expected", [
    # a dimension score table: sections with maxima and scores
    ([["评价维度", "分值", "得分"], ["决策", "20", "18"], ["产出", "30", "25.5"], ["合计", "100", "84.5"]],
     {"sections": [("决策", 20, 18), ("产出", 30, 25.5)]}),
    # an expense table: the planned amount, 合计 skipped
    ([["支出内容", "预算数（万元）", "实际支出（万元）"], ["疫苗采购", "312.40", "305.86"], ["合计", "312.40", "305.86"]],
     {"expenses": [("疫苗采购", 312.4)]}),
    # a project list: one row per project with its own amounts
    ([["任务名称", "项目", "批复金额（万元）", "实际支出金额（万元）", "预算执行率"],
      ["理论武装", "理论学习经费", "45.00", "44.12", "98.04%"]],
     {"projects": [("理论学习经费", 45, 44.12, 98.04)]}),
    # a spending plan: dates over shares
    ([["资金支出计划（%）", "3月底", "6月底", "9月底", "12月底"], ["25%", "50%", "75%", "100%"]],
     {"plan": [("03-31", 25), ("06-30", 50), ("09-30", 75), ("12-31", 100)]}),
])
def test_other_table_shapes(rows, expected):
    table, doc = table_of(rows)
    facts = parse_table(table, doc)
    if "sections" in expected:
        assert [(s.section, s.max, s.score) for s in facts.section_scores] == expected["sections"]
    if "expenses" in expected:
        assert [(e.item, e.amount_wan) for e in facts.expense_items] == expected["expenses"]
    if "projects" in expected:
        assert [(r.name.value, r.budget.value, r.executed.value, r.rate.value) for r in facts.project_rows] == expected["projects"]
    if "plan" in expected:
        assert [(p.by, p.share_pct) for p in facts.spending_plan] == expected["plan"]


def test_a_date_target_is_not_a_spending_plan():
    table, doc = table_of([HEADER, ["", "产出指标", "时效指标", "完成时间", "12月底前", "12月底前完成", "10", "10", ""]])
    facts = parse_table(table, doc)
    assert facts.spending_plan == [] and [i.target for i in facts.indicators] == ["12月底前"]


def test_grid_columns_match_cells_under_a_merged_header():
    # 得分 spans two grid columns (col 4-5); the data row's score sits under it.
    rows = (
        (Cell("一级指标", 1, 1, 0), Cell("三级指标", 1, 1, 1), Cell("年度指标值", 1, 1, 2), Cell("分值", 1, 1, 3),
         Cell("得分", 1, 1, 4, 2)),
        (Cell("产出指标", 2, 2, 0), Cell("培训人数", 2, 2, 1), Cell("≥10人", 2, 2, 2), Cell("10", 2, 2, 3),
         Cell("9", 2, 2, 4, 2)),
    )
    facts = parse_table(Table(rows, 1, 2), SourceDocument("t.txt", "txt", ["a", "b"]))
    (ind,) = facts.indicators
    assert (ind.name, ind.target, ind.weight, ind.score) == ("培训人数", "≥10人", 10, 9)


def test_a_merged_first_level_cell_keeps_its_rows_even_under_another_parent():
    # Grid readers say the blank cell is merged from above: 服务对象满意度指标 stays
    # under the merged 效益指标 (an older template), not moved to 满意度指标.
    rows = (
        (Cell("一级指标", 1, 1, 0), Cell("二级指标", 1, 1, 1), Cell("三级指标", 1, 1, 2), Cell("年度指标值", 1, 1, 3)),
        (Cell("效益指标", 2, 2, 0), Cell("社会效益指标", 2, 2, 1), Cell("测评得分", 2, 2, 2), Cell("≥85分", 2, 2, 3)),
        (Cell("", 3, 3, 0, 1, True), Cell("服务对象满意度指标", 3, 3, 1), Cell("市民满意度", 3, 3, 2), Cell("≥90%", 3, 3, 3)),
    )
    facts = parse_table(Table(rows, 1, 3), SourceDocument("t.txt", "txt", ["a", "b", "c"]))
    assert [i.level1 for i in facts.indicators] == ["效益指标", "效益指标"]


def test_a_header_written_over_two_rows():
    # 绩效指标 spans the three level columns above; 年度指标值, 分值, 得分 are merged
    # down from the first header row into the second.
    rows = (
        (Cell("绩效指标", 1, 1, 0, 3), Cell("年度指标值", 1, 1, 3), Cell("实际完成值", 1, 1, 4), Cell("分值", 1, 1, 5),
         Cell("得分", 1, 1, 6)),
        (Cell("一级指标", 2, 2, 0), Cell("二级指标", 2, 2, 1), Cell("三级指标", 2, 2, 2), Cell("", 2, 2, 3, 1, True),
         Cell("", 2, 2, 4, 1, True), Cell("", 2, 2, 5, 1, True), Cell("", 2, 2, 6, 1, True)),
        (Cell("产出指标", 3, 3, 0), Cell("数量指标", 3, 3, 1), Cell("培训人数", 3, 3, 2), Cell("≥10人", 3, 3, 3),
         Cell("12人", 3, 3, 4), Cell("20", 3, 3, 5), Cell("20", 3, 3, 6)),
    )
    facts = parse_table(Table(rows, 1, 3), SourceDocument("t.txt", "txt", ["a", "b", "c"]))
    (ind,) = facts.indicators
    assert (ind.level1, ind.name, ind.target, ind.actual, ind.weight, ind.score) == ("产出指标", "培训人数", "≥10人", "12人", 20, 20)
