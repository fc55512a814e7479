"""Pure parts of review and corrections: the queue's ranking (`review_queue`), typed
text → checked corrections (`review_forms`), and the trail's filters (`trail_view`)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from budgetperf.changes import forms, queue, trail_filters
from budgetperf.changes.corrections import CorrectionError
from budgetperf.understanding.doubts import REVIEW_CODES

ITEM = {"content_hash": "ab" * 32, "file": "a.txt", "project_name": "网信乐亭", "budget_initial_wan": 110.0,
        "budget_adjusted_wan": None, "executed_wan": 98.69, "execution_rate_pct": 89.72, "budget_weight": 10.0,
        "budget_score": 9.0, "total_score": 99.0, "grade": "优", "region": "乐亭县", "unit": "乐亭县委网信办",
        "year": 2021, "is_excluded": False}


# ---------------------------------------------------------------------------
# the queue's ranking

def test_errors_and_unread_tables_come_before_doubtful_values_and_inferred_years():
    order = sorted(["review:year_inferred", "warning:execution_rate_mismatch", "error:total_vs_parts",
                    "review:indicator_table_unread", "review:project_name_missing"], key=queue.rank)
    assert order == ["review:indicator_table_unread", "error:total_vs_parts", "review:project_name_missing",
                     "warning:execution_rate_mismatch", "review:year_inferred"]
    assert queue.rank("review:year_inferred") == len(queue.ORDER) - 1


def test_a_rule_added_later_still_ranks_with_its_severity():
    assert queue.rank("error:a_new_rule") < queue.rank("warning:execution_rate_mismatch")
    assert queue.rank("review:year_inferred") > queue.rank("warning:a_new_rule") \
        > queue.rank("warning:execution_missing")


def test_every_review_code_and_audit_rule_has_a_place_and_a_label():
    from budgetperf.understanding.audit import RULES

    keys = [f"review:{c}" for c in REVIEW_CODES] + [f"{sev}:{kind}" for kind, sev, _, _ in RULES
                                                     if sev != "info" and kind not in queue.SKIPPED_RULES]
    assert set(keys) <= set(queue.ORDER)
    assert all(queue.issue_label(k) and ":" not in queue.issue_label(k) for k in keys)
    assert {queue.kind_of(k) for k in keys} == set(queue.KINDS)


def test_query_params_carry_the_ranking():
    params = queue.query_params(["error"])
    assert params["order"] == queue.ORDER and params["issue_kinds"] == ["error"]
    assert queue.query_params()["issue_kinds"] is None  # 全部


# ---------------------------------------------------------------------------
# typed text → corrections

@pytest.mark.parametrize("value, text", [(None, ""), (float("nan"), ""), (110.0, "110"), (98.69, "98.69"),
                                         (2021, "2021"), ("优", "优"), (True, "是"), (pd.NA, "")])
def test_a_stored_value_as_a_form_shows_it(value, text):
    assert forms.shown(value) == text


@pytest.mark.parametrize("typed, number", [("120", 120), ("1,234.5", 1234.5), ("98.5%", 98.5), ("120万元", 120),
                                           ("－3", -3), (" 7 ", 7)])
def test_numbers_as_people_type_them(typed, number):
    assert forms.typed_number(typed, "预算") == number


@pytest.mark.parametrize("typed", ["一百二十", "120 或 130", "约120", "12a", "", "1.2.3"])
def test_text_that_is_not_one_number_is_refused_in_chinese(typed):
    with pytest.raises(CorrectionError) as err:
        forms.typed_number(typed, "年初预算（万元）")
    assert "「年初预算（万元）」应为数字" in err.value.message_zh


def test_only_changed_fields_become_corrections_numbers_compared_by_value():
    after = {"budget_initial": "110.00", "executed": "100", "grade": "优", "budget_adjusted": "", "name": "网信乐亭二期"}
    records = forms.project_corrections(ITEM, after, reason=" 核对原文 ", editor="张三")
    assert [(r.field, r.old_value, r.new_value) for r in records] == [
        ("executed", "98.69", "100"), ("name", "网信乐亭", "网信乐亭二期")]  # the rename last
    assert all(r.project == "网信乐亭" and r.reason == "核对原文" and r.doc_hash == ITEM["content_hash"]
               and r.file == "a.txt" for r in records)


def test_clearing_a_value_is_a_correction_to_empty():
    (record,) = forms.project_corrections(ITEM, {"total_score": ""}, reason="原文没有总分", editor="张三")
    assert (record.field, record.old_value, record.new_value) == ("total_score", "99", None)


@pytest.mark.parametrize("after, reason, message", [
    ({"budget_initial": "110"}, "核对", "没有修改任何值"),
    ({"budget_initial": "120"}, "", "请写明更正原因"),
    ({"budget_initial": "一百"}, "核对", "应为数字"),
    ({"grade": "很好"}, "核对", "应为 优/良/中/差"),
])
def test_bad_project_input(after, reason, message):
    with pytest.raises(CorrectionError) as err:
        forms.project_corrections(ITEM, after, reason=reason, editor="张三")
    assert message in err.value.message_zh


def test_document_form_and_not_a_report():
    records = forms.document_corrections(ITEM, {"region": "乐亭县", "unit": "乐亭县委网信办", "year": "2022"},
                                                is_excluded=True, reason="封面写明 2022 年度", editor="张三")
    assert [(r.field, r.old_value, r.new_value) for r in records] == [("year", "2021", "2022"),
                                                                      ("not_a_report", "否", "是")]
    assert all(r.project is None for r in records)
    with pytest.raises(CorrectionError, match="year"):
        forms.document_corrections(ITEM, {"year": "1850"}, reason="封面", editor="张三")


def test_indicator_cells_and_an_added_indicator():
    indicators = pd.DataFrame({"seq": [1, 2], "level1": ["产出指标"] * 2, "level2": ["数量指标"] * 2,
                               "indicator_name": ["培训人次", "培训人次"], "target_raw": ["≥100人次", "≥50人次"],
                               "actual_raw": ["120人次", "60人次"], "weight": [10.0, 10.0], "score": [10.0, 8.0]})
    edits = {"edited_rows": {1: {"score": 9.0, "target_raw": "≥50人次"}},
             "added_rows": [{"indicator_name": "满意度", "target_raw": "≥90%", "weight": 10}, {}]}
    records = forms.indicator_corrections(ITEM, indicators, edits, reason="核对指标表", editor="张三")
    assert [(r.field, r.indicator, r.indicator_seq, r.old_value, r.new_value) for r in records] == [
        ("indicator.score", "培训人次", 2, "8", "9"),  # the second of two same-named rows, by its row number
        ("add_indicator", None, None, None, "满意度"),
        ("indicator.target", "满意度", None, None, "≥90%"),
        ("indicator.weight", "满意度", None, None, "10"),
    ]
    with pytest.raises(CorrectionError, match="name"):
        forms.indicator_corrections(ITEM, indicators, {"added_rows": [{"weight": 5}]}, reason="x", editor="张三")
    with pytest.raises(CorrectionError) as err:
        forms.indicator_corrections(ITEM, indicators, {"edited_rows": {0: {"weight": "十"}}}, reason="x",
                                           editor="张三")
    assert "「分值」应为数字" in err.value.message_zh


def test_settling_issues_confirms_review_reasons_and_sets_finding_status():
    issues = pd.DataFrame({"source": ["review", "warning"], "code": ["year_inferred", "execution_missing"],
                           "finding_key": [None, "execution_missing|网信乐亭|no executed amount"],
                           "status": [None, "未处理"]})
    records = forms.settled_issues(ITEM, issues, [0, 1], "忽略", reason="核对", editor="张三")
    assert [(r.field, r.new_value, r.finding) for r in records] == [
        ("resolve_review", "year_inferred", None), ("finding_status", "忽略", issues.finding_key[1])]
    with pytest.raises(CorrectionError, match="choose"):
        forms.settled_issues(ITEM, issues, [], "已核实", reason="核对", editor="张三")


def test_a_finding_status_must_change_and_have_a_reason():
    finding = {"finding_key": "k", "status": "未处理", "project_name": "网信乐亭", "file": "a.txt"}
    (record,) = forms.finding_status(finding, "ab" * 32, "已核实", reason="已核实", editor="张三")
    assert (record.field, record.new_value, record.old_value, record.finding) == ("finding_status", "已核实", "未处理", "k")
    with pytest.raises(CorrectionError, match="unchanged"):
        forms.finding_status(finding, "ab" * 32, "未处理", reason="x", editor="张三")
    with pytest.raises(CorrectionError) as err:
        forms.finding_status(finding, "ab" * 32, "忽略", reason=" ", editor="张三")
    assert "原因" in err.value.message_zh


# ---------------------------------------------------------------------------
# the trail's filters

def trail() -> pd.DataFrame:
    times = pd.to_datetime(["2026-03-01T09:00:00+08:00", "2026-03-02T10:00:00+08:00", "2026-03-05T16:30:00+08:00"],
                           format="ISO8601", utc=True).tz_convert("Asia/Shanghai")
    return pd.DataFrame({"时间": times, "编辑": ["张三", "李四", "张三"], "文件": ["a.txt", "b.docx", None],
                         "对象": ["「网信乐亭」", "文档", "参考表"], "字段": ["年初预算（万元）", "年度", "地区"],
                         "原值": ["110", "2021", None], "新值": ["120", "2022", "地区 新设县"],
                         "原因": ["核对原文第 5 行", "封面写明", "新设"], "状态": ["生效", "已撤销", "生效"],
                         "id": ["a1", "b2", "c3"]})


@pytest.mark.parametrize("f, ids", [
    (trail_filters.TrailFilter(), ["c3", "b2", "a1"]),
    (trail_filters.TrailFilter(editors=("张三",)), ["c3", "a1"]),
    (trail_filters.TrailFilter(fields=("年度",)), ["b2"]),
    (trail_filters.TrailFilter(start=dt.date(2026, 3, 2)), ["c3", "b2"]),
    (trail_filters.TrailFilter(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 1)), ["a1"]),
    (trail_filters.TrailFilter(file="DOCX"), ["b2"]),
    (trail_filters.TrailFilter(text="第 5 行"), ["a1"]),
    (trail_filters.TrailFilter(text="新设县"), ["c3"]),
    (trail_filters.TrailFilter(editors=("李四",), text="核对"), []),
])
def test_trail_filters(f, ids):
    assert list(trail_filters.apply(trail(), f)["id"]) == ids


def test_trail_dates_are_the_local_day_and_iso_text_works_too():
    text = trail().assign(时间=["2026-03-01T23:30:00+08:00", "2026-03-02T00:10:00+08:00", "2026-03-05T16:30:00+08:00"])
    assert list(trail_filters.apply(text, trail_filters.TrailFilter(end=dt.date(2026, 3, 1)))["id"]) == ["a1"]
    assert list(trail_filters.dates(trail()["时间"])) == [dt.date(2026, 3, 1), dt.date(2026, 3, 2), dt.date(2026, 3, 5)]


def test_trail_export_frame_has_no_time_zone_and_all_columns():
    frame = trail_filters.export_frame(trail().drop(columns=["文件"]))
    assert list(frame.columns) == trail_filters.COLUMNS and frame["文件"].isna().all()
    assert frame["时间"].dt.tz is None and frame["时间"].iloc[0].hour == 9
    assert trail_filters.summary(frame, 5) == "显示 3 / 共 5 条，涉及 2 位编辑"
    assert "没有符合条件的记录" in trail_filters.summary(frame.iloc[0:0], 5)
