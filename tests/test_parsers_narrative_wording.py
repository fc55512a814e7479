"""Prose wordings the narrative rules must read whatever report they come from: the total
score (never a section's subtotal), budgets 年初 against 调整后/全年, spending and rate
words, grades, report titles and ticked boxes. Each case is a small report in the words
such reports use, beside a near miss that must not change."""

import pytest

from budgetperf.reading.blocks import Paragraph, SourceDocument
from budgetperf.storing.extracting import extract_to_dicts
from budgetperf.understanding.parsers.narrative import (
    find_department_totals,
    find_grade,
    find_project_budget,
    find_total_score,
)
from budgetperf.understanding.parsers.words import ticked


def paras_of(*texts):
    return [Paragraph(t, i + 1, i + 1) for i, t in enumerate(texts)], SourceDocument("t.txt", "txt", list(texts))


def total_of(*texts):
    paras, doc = paras_of(*texts)
    found = find_total_score(paras, doc)
    return None if found is None else found.value


def extract_one(tmp_path, ref, text, name="r.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    documents, failures = extract_to_dicts([str(path)], ref)
    assert not failures
    return documents[0]


# ------------------------------------------------------------------ total score

@pytest.mark.parametrize("sentences, expected", [
    # a section's subtotal first, the report's total after it
    (("项目决策类指标满分20分，得分18分。过程类指标合计20分。", "本项目综合评分为92.5分，评定为“优秀”。"), 92.5),
    (("经综合评价，项目决策指标合计20分，得18分。本项目自评得分95分，评价等级为优。",), 95),
    (("项目指标得分88分，加预算执行得分9分，合计97分，自评等级为优秀。",), 97),
    (("经测评，评价结果100分。",), 100),
], ids=["guochengl_heji_then_zonghe_pingfen", "juece_heji_then_zipingdefen", "defen_then_heji", "pingjia_jieguo"])
def test_the_total_score_is_the_reports_not_a_sections_subtotal(sentences, expected):
    assert total_of(*sentences) == expected


@pytest.mark.parametrize("word", ["综合评分", "总评分", "自评分数", "绩效评价得分", "评价总得分", "最终评分",
                                  "综合评定得分", "评分结果", "得分合计", "总分合计", "合计得分"])
def test_total_score_wordings(word):
    assert total_of(f"经评价，本项目{word}为86.5分，等级为良。") == 86.5


@pytest.mark.parametrize("sentence", [
    "过程类指标合计20分。",
    "项目决策指标合计20分，得18分。",
    "满意度指标合计10分。",
    "产出指标得分合计40分。",
    "分值合计100分。",
], ids=["guocheng", "juece", "manyidu", "chanchu_defen_heji", "fenzhi_heji"])
def test_a_sections_subtotal_alone_is_no_total(sentence):
    assert total_of(sentence) is None


_INDICATORS_90 = """| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |
| --- | --- | --- | --- | --- | --- | --- |
| 产出指标 | 数量指标 | 培训人数 | ≥200人 | 210人 | 30 | 30 |
|  | 质量指标 | 合格率 | ≥95% | 96% | 20 | 20 |
| 效益指标 | 社会效益指标 | 覆盖率 | ≥60% | 57% | 20 | 18 |
| 满意度指标 | 服务对象满意度指标 | 满意度 | ≥90% | 92% | 20 | 20 |
| 总分 |  |  |  |  | 90 | 88 |
"""


def _table_and_text(sentence):
    return ("某县农业农村局2022年度耕地保护项目支出绩效自评报告\n\n一、绩效指标完成情况\n\n"
            + _INDICATORS_90 + "\n二、自评结论\n" + sentence + "\n")


def test_a_text_total_adding_the_points_the_table_leaves_out_wins(tmp_path, ref):
    doc = extract_one(tmp_path, ref, _table_and_text("指标得分88分，加预算执行得分9分，本项目自评得分97分。"))
    project = doc["projects"][0]
    assert project["total_score"] == 97
    assert not any("正文写总分" in r["message"] for r in project["needs_review"])


def test_a_text_total_the_table_cannot_reach_keeps_the_table_total_and_asks(tmp_path, ref):
    # 60 is less than the table's own 88: the text's number is not this table's total.
    doc = extract_one(tmp_path, ref, _table_and_text("经评价，本项目综合评分60分。"))
    project = doc["projects"][0]
    assert project["total_score"] == 88
    reasons = [r for r in project["needs_review"] if "正文写总分 60" in r["message"]]
    assert reasons and reasons[0]["code"] == "weights_off" and reasons[0]["line"] is not None


def test_a_text_total_equal_to_the_tables_changes_nothing(tmp_path, ref):
    doc = extract_one(tmp_path, ref, _table_and_text("经评价，本项目综合评分88分。"))
    project = doc["projects"][0]
    assert project["total_score"] == 88
    assert not any("正文写总分" in r["message"] for r in project["needs_review"])


# ------------------------------------------------------------------ budgets and spending

def test_an_adjusted_budget_is_never_the_initial_one():
    paras, doc = paras_of("2022年，我局调整后预算数为1200万元，实际支出数为1100万元，支出率为91.67%。")
    found = find_department_totals(paras, doc)
    assert "budget_initial" not in found
    assert (found["budget_adjusted"].value, found["executed"].value, found["execution_rate"].value) == (1200, 1100, 91.67)


def test_near_miss_an_initial_budget_stays_initial():
    paras, doc = paras_of("2022年，我局年初预算数为1000万元，实际支出950万元。")
    found = find_department_totals(paras, doc)
    assert found["budget_initial"].value == 1000 and "budget_adjusted" not in found


def test_nianchu_pifu_is_the_initial_budget_and_quannian_the_adjusted():
    paras, doc = paras_of("农村饮水安全项目全年预算资金500万元，年初批复300万元，决算数480万元，资金到位率100%，预算执行率96%。")
    found = find_project_budget(paras, doc, "农村饮水安全")
    assert (found["budget_initial"].value, found["budget_adjusted"].value) == (300, 500)
    assert (found["executed"].value, found["execution_rate"].value) == (480, 96)


@pytest.mark.parametrize("sentence", [
    "项目年初预算100万元，实际支出数为90万元。",
    "项目年初预算100万元，决算数90万元。",
    "项目年初预算100万元，支出数为90万元。",
    "项目年初预算100万元，累计支出90万元。",
    "项目年初预算100万元，实际拨付90万元。",
    "项目年初预算100万元，支出金额为90万元。",
    "项目年初预算100万元，共使用资金90万元。",
    "项目年初预算100万元，实际支出金额是90万元。",
], ids=["shiji_zhichushu_wei", "juesuanshu", "zhichushu", "leiji_zhichu", "shiji_bofu", "zhichu_jine",
        "shiyong_zijin", "shiji_zhichu_jine_shi"])
def test_spending_wordings(sentence):
    paras, doc = paras_of(sentence)
    assert find_project_budget(paras, doc, None)["executed"].value == 90


@pytest.mark.parametrize("sentence", [
    "项目年初预算100万元，其中基本支出数为90万元。",
    "项目年初预算100万元，计划使用资金90万元。",
    "项目年初预算100万元，资金到位90万元。",
], ids=["jiben_zhichushu", "jihua_shiyong", "daowei"])
def test_near_miss_a_part_a_plan_or_money_arriving_is_not_spending(sentence):
    paras, doc = paras_of(sentence)
    assert "executed" not in find_project_budget(paras, doc, None)


@pytest.mark.parametrize("word", ["支出率", "支出实现率", "执行进度", "拨付率", "资金支付率", "预算执行率"])
def test_rate_wordings(word):
    paras, doc = paras_of(f"项目年初预算100万元，{word}为91.5%。")
    assert find_project_budget(paras, doc, None)["execution_rate"].value == 91.5


def test_near_miss_daoweilv_is_not_a_spending_rate():
    paras, doc = paras_of("项目年初预算100万元，资金到位率100%。")
    assert "execution_rate" not in find_project_budget(paras, doc, None)


# ------------------------------------------------------------------ grades

@pytest.mark.parametrize("sentence, written", [
    ("经自评，部门整体支出绩效自评结果为“良好”等次，综合评分88.5分。", "良好"),
    ("本项目综合评分为92.5分，评定为“优秀”。", "优秀"),
    ("该项目被评为优秀。", "优秀"),
    ("评价结果为优秀等次。", "优秀"),
    ("绩效评价结果：良。", "良"),
], ids=["ziping_jieguo_dengci", "pingding_wei", "bei_ping_wei", "jieguo_dengci", "jixiao_pingjia_jieguo"])
def test_grade_wordings(sentence, written):
    paras, doc = paras_of(sentence)
    assert find_grade(paras, doc).value == written


@pytest.mark.parametrize("sentence", ["该局被评为优秀单位。", "分为四个等级：优（90分以上）、良（80-90分）。"])
def test_near_miss_an_award_or_the_scale_is_no_grade(sentence):
    paras, doc = paras_of(sentence)
    assert find_grade(paras, doc) is None


# ------------------------------------------------------------------ titles

_BODY = "\n一、项目基本情况\n项目年初预算300万元，实际支出280万元，执行率93.33%。\n本项目自评得分90分，评价等级为优。\n"


@pytest.mark.parametrize("title", [
    "某县水利局2022年度农村饮水安全项目支出绩效自评报告",
    "某县水利局2022年度农村饮水安全项目支出绩效自评情况报告",
    "某县水利局2022年度农村饮水安全项目绩效目标自评报告",
    "某县水利局2022年度农村饮水安全项目绩效评价报告书",
    "关于某县水利局2022年度农村饮水安全项目绩效自评情况的报告",
    "某县水利局2022年度农村饮水安全项目绩效自评工作报告",
    "某县水利局2022年度农村饮水安全项目绩效自评结果公示",
], ids=["plain", "qingkuang_baogao", "mubiao_ziping", "baogaoshu", "guanyu_de_baogao", "gongzuo_baogao", "gongshi"])
def test_report_title_wordings_name_the_project(tmp_path, ref, title):
    doc = extract_one(tmp_path, ref, title + "\n" + _BODY)
    assert [p["name"] for p in doc["projects"]] == ["农村饮水安全"]
    assert doc["unit"] == "某县水利局"
    assert not any(r["code"] == "project_name_missing" for p in doc["projects"] for r in p["needs_review"])


def test_near_miss_a_sentence_ending_in_baogao_is_no_title(tmp_path, ref):
    text = ("某县水利局2022年度农村饮水安全项目支出绩效自评报告\n"
            "\n各单位按要求报送绩效自评情况的报告。\n" + _BODY)
    doc = extract_one(tmp_path, ref, text)
    assert [p["name"] for p in doc["projects"]] == ["农村饮水安全"]


# ------------------------------------------------------------------ ticked boxes

@pytest.mark.parametrize("line, label, expected", [
    ("评价方式：自评☑ 中介机构☐", "中介机构", False),
    ("评价方式：自评☐ 中介机构☑", "中介机构", True),
    ("评价方式：☑自评 ☐中介机构", "自评", True),
    ("评价方式：☑自评 ☐中介机构", "中介机构", False),
    ("评价方式：☐自评☑中介机构", "中介机构", True),
    ("评价方式：☐自评☑中介机构", "自评", False),
    ("评价方式：自评☑中介机构☐", "自评", True),
    ("评价方式：自评☑中介机构☐", "中介机构", False),
    ("评价方式：✓自评 □中介机构", "自评", True),
    ("评价方式：自评✔ 中介机构□", "自评", True),
    ("评价方式：自评☒ 中介机构☐", "自评", True),
    ("评价方式：þ自评 ¨中介机构", "自评", True),
    ("评价方式：R自评 £中介机构", "自评", True),
    ("评价方式：R自评 £中介机构", "中介机构", False),
    ("评价方式：自评 中介机构", "自评", False),
    ("DRAFT自评", "自评", False),
], ids=["after_empty", "after_ticked", "before_ticked", "before_empty", "glued_before", "glued_before_other",
        "glued_after", "glued_after_other", "check_mark", "heavy_check", "ballot_x", "wingdings", "wingdings2",
        "wingdings2_empty", "no_boxes", "latin_r"])
def test_ticked_boxes_before_or_after_their_label(line, label, expected):
    assert ticked(line, label) is expected


def _cover(tick_line):
    return ("某县水利局2022年度农村饮水安全项目支出绩效自评报告\n\n评价机构：某县水利局\n" + tick_line + "\n" + _BODY)


@pytest.mark.parametrize("tick_line, expected", [
    ("评价方式：✓自评 ✓中介机构", True),
    ("评价方式：自评✔ 中介机构✔", True),
    ("评价方式：✓自评 □中介机构", False),
], ids=["both_ticked_before", "both_ticked_after", "only_self"])
def test_self_evaluation_and_intermediary_both_ticked_is_a_role_finding(tmp_path, ref, tick_line, expected):
    doc = extract_one(tmp_path, ref, _cover(tick_line))
    found = [c for c in doc["checks"] if c["kind"] == "unit_roles" and "中介机构" in c["message_zh"]]
    assert bool(found) is expected
    assert ("third_party_evaluation" in doc["doc_kinds"]) is expected  # 中介机构 ticked
    if expected:
        assert found[0]["lines"] == [[4, 4]]
