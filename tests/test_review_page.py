"""The 数据校对 page under AppTest: the queue, correcting a value from an item's form (it
shows on 预算执行, on 数据来源 with its history, and in the XLSX export), undo from the
item's history, refused writes (no login, a removed account, a wrong password: rate
limited), bad input (a Chinese message, nothing written), a queue that empties as
its items are settled, a finding's status on 审核, a region added to the reference
table, and the queue at a province's size (paged in SQL)."""

from __future__ import annotations

import re

import io
import shutil

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from budgetperf.changes import corrections, editors, reference_edits
from budgetperf.storing import publish, store
from tests.conftest import EDITOR, PASSWORD, REPORTS_DIR, ROOT, login

ITEM = "acd898e10a0d4b34:1"  # 三门峡市 2021: 网络宣传管理和文化建设经费, budget 110 万元 in the report
TIMEOUT = 60


@pytest.fixture
def review_env(write_env, dash_store, editor_hash, monkeypatch, tmp_path):
    """The seed store and its originals (corrections re-extract from them), files for
    corrections and reference edits of this test's own, one editor configured."""
    shutil.copy(dash_store, write_env["BUDGETPERF_DB"])
    for report in REPORTS_DIR.iterdir():
        shutil.copy(report, write_env["BUDGETPERF_REPORTS_DIR"])
    paths = {**write_env, "BUDGETPERF_CORRECTIONS": tmp_path / "corrections.jsonl",
             "BUDGETPERF_REFERENCE_EDITS": tmp_path / "reference_edits.jsonl"}
    monkeypatch.setenv("BUDGETPERF_CORRECTIONS", str(paths["BUDGETPERF_CORRECTIONS"]))
    monkeypatch.setenv("BUDGETPERF_REFERENCE_EDITS", str(paths["BUDGETPERF_REFERENCE_EDITS"]))
    monkeypatch.setenv("BUDGETPERF_EDITORS", f"{EDITOR}={editor_hash}")
    monkeypatch.setattr(editors, "LIMITER", editors.LoginLimiter())
    return paths


def open_page(page: str = "pages/review.py", *, item: str | None = None, query: dict | None = None,
              editor: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if item:
        at.query_params["item"] = item
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if editor:
        at.session_state["admin.editor"] = editor
    at.switch_page(page)
    return at.run()


def shown(markdown: object) -> str:
    """Markdown as a reader sees it: the escapes that keep words text removed."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", str(markdown)).replace("\u2060", "")


def texts(at: AppTest) -> str:
    parts = [shown(e.value) for kind in ("title", "subheader", "caption", "info", "warning", "error", "success",
                                         "markdown") for e in getattr(at, kind)]
    parts += [m.label + " " + m.value for m in at.metric]
    parts += [df.value.to_string() for df in at.dataframe]
    return "\n".join(str(p) for p in parts)


def queue(at: AppTest):
    return next(df.value for df in at.dataframe if "问题数" in df.value.columns)


def prefix(item: str = ITEM, round_: int = 0) -> str:
    return f"review.{round_}.{item}"


def fill(at: AppTest, values: dict[str, str], *, item: str = ITEM, round_: int = 0) -> AppTest:
    for field, value in values.items():
        at.text_input(key=f"{prefix(item, round_)}.{field}").input(value)
    return at


def submit(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def stored(sql: str, *params):
    con = store.connect()
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def budget() -> float:
    return stored("select budget_initial_wan from projects where project_id = ?", ITEM)[0][0]


# ---------------------------------------------------------------------------
# the queue

def test_queue_ranks_errors_first_and_inferred_years_last(dash_env):
    at = open_page()
    assert not at.exception, [e.value for e in at.exception]
    rows = queue(at)
    assert rows.iloc[0]["问题"] == "总分与各部分得分之和不一致" and rows.iloc[0]["问题数"] == 3
    assert list(rows["问题"].tail(2)) == ["年度为推断", "年度为推断"]
    assert rows.iloc[-1]["预算"] < rows.iloc[-2]["预算"]  # same issue: the larger budget first
    assert "选中一行" in texts(at)


def test_queue_filters_by_kind_and_sidebar(dash_env):
    at = open_page()
    at.button_group(key="review.kinds").set_value(["error"])
    at.run()
    assert list(queue(at)["问题"]) == ["总分与各部分得分之和不一致"]
    at = open_page(query={"regions": "乐亭县"})
    assert set(queue(at)["文档"]) <= {"乐亭县委网信办 2021 部门整体评价", "乐亭县委网信办 2025 绩效目标表"}


def test_an_item_shows_its_issues_with_source_lines_and_values(dash_env):
    at = open_page(item=ITEM)
    assert not at.exception
    shown = texts(at)
    assert "总分 99 与各部分得分之和" in shown and "第 36 行" in shown  # the issue and its source line
    assert at.text_input(key=f"{prefix()}.budget_initial").value == "110"
    assert at.text_input(key=f"{prefix()}.budget_initial").disabled  # a viewer sees, cannot type
    assert "登录为编辑后" in shown


# ---------------------------------------------------------------------------
# correcting a value: shown everywhere, exported, undone

def test_correct_a_budget_shows_on_every_page_and_in_the_export(review_env):
    at = login(open_page(item=ITEM))
    fill(at, {"budget_initial": "120", "reason": "核对原文第 5 行：年初预算 120 万元"})
    at = submit(at, "保存更正")
    assert not at.exception, [e.value for e in at.exception]
    assert "已保存 1 条更正（1 条生效）" in texts(at)
    assert budget() == 120
    assert at.text_input(key=f"{prefix(round_=1)}.budget_initial").value == "120"  # the form shows the stored value
    (fix,) = corrections.load()
    assert (fix.editor, fix.field, fix.old_value, fix.new_value) == (EDITOR, "budget_initial", "110", "120")

    # 预算执行: the corrected figure, marked, its history one click away
    ex = open_page("pages/execution.py")
    table = next(df.value for df in ex.dataframe if "is_corrected" in df.value.columns).set_index("project_name")
    assert table.loc["网络宣传管理和文化建设经费", "budget_wan"] == 120
    assert table.loc["网络宣传管理和文化建设经费", "is_corrected"] and not table.loc["网信乐亭", "is_corrected"]
    history = next(e for e in ex.expander if "经人工更正" in e.label)
    assert "核对原文第 5 行" in history.dataframe[0].value.to_string()

    # 数据来源: the card is marked ✎ and the history says who, old, new, why
    src = open_page("pages/sources.py", query={"doc": "001_4f47e40a9e3722bd.txt", "project": "网络宣传管理和文化建设经费"})
    assert "预算 ✎" in [m.label for m in src.metric]
    history = next(e for e in src.expander if "人工更正过的数值" in e.label)
    row = history.dataframe[0].value.iloc[0]
    assert (row["编辑"], row["原值"], row["新值"]) == ("编辑", "110", "120")  # a name is an editor's to see (issue 19)
    src = open_page("pages/sources.py", query={"doc": "001_4f47e40a9e3722bd.txt", "project": "网络宣传管理和文化建设经费"},
                    editor=EDITOR)
    history = next(e for e in src.expander if "人工更正过的数值" in e.label)
    assert history.dataframe[0].value.iloc[0]["编辑"] == EDITOR

    # the export: the chart data holds 120 and a 更正记录 sheet says why
    from budgetperf.cli.export import run_export

    out = review_env["BUDGETPERF_DB"].parent / "execution.xlsx"
    args = type("Args", (), dict(db=None, page="execution", year=None, region=None, format="xlsx", out=str(out)))
    assert run_export(args) == 0
    book = load_workbook(io.BytesIO(out.read_bytes()))
    assert "更正记录" in book.sheetnames
    sheet = book["更正记录"]
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    assert cells[0][1:] == [EDITOR, "三门峡市互联网舆情研究和应急保障中心 2021 项目评价", "001_4f47e40a9e3722bd.txt",
                            "网络宣传管理和文化建设经费", None, "年初预算（万元）", "110", "120", "核对原文第 5 行：年初预算 120 万元"]
    values = [c.value for ws in book.worksheets if ws.title != "更正记录" for row in ws.iter_rows() for c in row]
    assert 120 in values and 110 not in values


def test_undo_from_the_item_history(review_env):
    at = login(open_page(item=ITEM))
    fill(at, {"executed": "100", "reason": "执行数应为 100 万元"})
    at = submit(at, "保存更正")
    assert stored("select executed_wan from projects where project_id = ?", ITEM)[0][0] == 100
    (fix,) = corrections.load()
    undo = at.button(key=f"review.undo.{fix.id}")
    undo.click()
    at.run()
    assert not at.exception
    assert "已撤销 1 条更正" in texts(at)
    assert stored("select executed_wan from projects where project_id = ?", ITEM)[0][0] == 98.69
    assert not corrections.active(corrections.load())
    assert "还没有人工更正" in texts(at)
    assert not stored("select * from corrections_applied")


# ---------------------------------------------------------------------------
# who may write, bad input

def test_without_editors_the_page_says_how_to_turn_correcting_on(dash_env):
    at = open_page(item=ITEM)
    assert "更正功能未开启" in texts(at) and "budgetperf editor-hash" in texts(at)
    assert next(b for b in at.button if b.label == "保存更正").disabled


def test_a_write_is_refused_when_the_editor_is_no_longer_logged_in(review_env, monkeypatch):
    at = login(open_page(item=ITEM))
    fill(at, {"budget_initial": "120", "reason": "核对原文"})
    version = publish.file_version(review_env["BUDGETPERF_DB"])
    monkeypatch.setenv("BUDGETPERF_EDITORS", "")  # the operator removed the account meanwhile
    at = submit(at, "保存更正")
    assert "请先登录编辑账号" in texts(at)
    assert budget() == 110 and not corrections.load()
    assert publish.file_version(review_env["BUDGETPERF_DB"]) == version


def test_a_wrong_password_is_refused_then_rate_limited(review_env):
    at = open_page(item=ITEM)
    for _ in range(editors.LoginLimiter.FREE_ATTEMPTS):
        login(at, EDITOR, "wrong password")
        assert "编辑名或密码不正确" in texts(at)
    login(at, EDITOR, PASSWORD)
    assert "登录失败次数过多" in texts(at)
    assert next(b for b in at.button if b.label == "保存更正").disabled


@pytest.mark.parametrize("values, message", [
    ({"budget_initial": "一百二十万", "reason": "核对原文"}, "「年初预算（万元）」应为数字"),
    ({"execution_rate": "90 或 95", "reason": "核对原文"}, "「执行率（%）」应为数字"),
    ({"budget_initial": "120", "reason": "  "}, "请写明更正原因"),
    ({"grade": "很好", "reason": "核对原文"}, "「等级」应为 优/良/中/差"),
    ({"reason": "核对原文"}, "没有修改任何值"),
])
def test_bad_input_gets_a_chinese_message_and_writes_nothing(review_env, values, message):
    at = login(open_page(item=ITEM))
    version = publish.file_version(review_env["BUDGETPERF_DB"])
    at = submit(fill(at, values), "保存更正")
    assert not at.exception
    assert message in "\n".join(shown(e.value) for e in at.error)
    assert not corrections.load() and publish.file_version(review_env["BUDGETPERF_DB"]) == version
    assert at.text_input(key=f"{prefix()}.budget_initial").value == values.get("budget_initial", "110")  # kept to fix


def test_a_bad_year_on_the_document_form(review_env):
    at = login(open_page(item="9914415ff47d2402"))
    fill(at, {"year": "二〇二四", "doc_reason": "封面"}, item="9914415ff47d2402")
    at = submit(at, "保存文档更正")
    assert "「年度」应为数字" in "\n".join(e.value for e in at.error) and not corrections.load()


# ---------------------------------------------------------------------------
# the queue empties as items are settled

def open_items() -> list[str]:
    from budgetperf.changes import queue

    con = store.connect()
    try:
        rows = store.run_query("review/queue", con=con, **queue.query_params(), limit=None, offset=0)
    finally:
        con.close()
    return [p if isinstance(p, str) else d for p, d in zip(rows["project_id"], rows["doc_id"])]


def test_the_queue_empties_as_items_are_corrected_or_confirmed(review_env):
    items = open_items()
    assert len(items) == 6 and items[0] == ITEM
    # the first item by correcting the value the audit doubts: the reported total 99
    # against its parts 9+30+40+10 = 89 (the parts are the report's scores)
    at = login(open_page(item=ITEM))
    at = submit(fill(at, {"total_score": "89", "reason": "各部分得分合计 89，总分按原文第 36 行更正"}), "保存更正")
    assert "1 条生效" in texts(at)
    remaining = open_items()
    assert len(remaining) == 6  # its other issues (分值合计、满意度) are still open
    round_ = 1
    for item in remaining:
        at.session_state["review.item"] = item
        at.run()
        at.radio(key=f"{prefix(item, round_)}.settle_action").set_value("已核实")
        at.text_input(key=f"{prefix(item, round_)}.settle_reason").input("已与原文核对")
        at = submit(at, "保存")
        assert not at.exception and "已保存" in texts(at), texts(at)[-500:]
        round_ += 1
    assert not open_items()
    at = open_page()
    assert "当前筛选下没有需要人工核对的条目" in texts(at)
    # settled, not forgotten: the item says so
    at = open_page(item=ITEM)
    assert "问题都已处理" in texts(at) and "已核实" in texts(at)


# ---------------------------------------------------------------------------
# 审核: a finding's status, set here and filtered there

def test_a_finding_marked_ignored_leaves_the_open_counts_and_can_be_filtered(review_env):
    item = "9914415ff47d2402:1"  # 丰南区: 总分缺少指标表支撑 and 未披露执行数 (warnings)
    at = login(open_page(item=item))
    at.multiselect(key=f"{prefix(item)}.settle_issues").set_value([0])
    at.radio(key=f"{prefix(item)}.settle_action").set_value("忽略")
    at.text_input(key=f"{prefix(item)}.settle_reason").input("总分来自评价组综合打分")
    at = submit(at, "保存")
    assert "已保存 1 条更正" in texts(at)
    ((kind, status, by),) = stored("select kind, status, status_by from checks where status = '忽略'")
    assert by == EDITOR
    audit = open_page("pages/audit.py")
    metrics = {m.label: m.value for m in audit.metric}
    assert metrics["未处理的警告"] == "6 条"
    assert "另有 0 条已核实、1 条已忽略" in texts(audit)
    assert "忽略" not in set(next(df.value for df in audit.dataframe if "finding_status" in df.value.columns)[
        "finding_status"])  # the default list is the open findings
    ignored = open_page("pages/audit.py", query={"statuses": "忽略"})
    findings = next(df.value for df in ignored.dataframe if "finding_status" in df.value.columns)
    assert list(findings["finding_status"]) == ["忽略"] and list(findings["status_by"]) == ["编辑"]  # issue 19
    ignored = open_page("pages/audit.py", query={"statuses": "忽略"}, editor=EDITOR)
    findings = next(df.value for df in ignored.dataframe if "finding_status" in df.value.columns)
    assert list(findings["status_by"]) == [EDITOR]


# ---------------------------------------------------------------------------
# reference tables, and the trail

def test_add_a_region_from_the_page(review_env):
    at = login(open_page())
    for key, value in {"name": "新设县", "city": "唐山市", "province": "河北省", "code": "130299",
                       "reason": "2024 年新设"}.items():
        at.text_input(key=f"review.region.{key}").input(value)
    at = submit(at, "保存地区")
    assert not at.exception
    assert "已保存 1 条参考表修改" in texts(at)
    (edit,) = reference_edits.load()
    assert edit.values["region"] == "新设县" and edit.editor == EDITOR
    assert stored("select level, city from regions where region = '新设县'") == [("county", "唐山市")]
    bad = submit(login(open_page()), "保存地区")  # nothing typed
    assert "地区名称应为 2–20 个汉字" in "\n".join(e.value for e in bad.error) and len(reference_edits.load()) == 1


def test_open_any_document_and_add_a_project(review_env):
    at = login(open_page())
    at.selectbox(key="review.find.doc").set_value("7ed12ccf4bf1f64b")
    at.run()
    at.button(key="review.find.open").click()
    at.run()
    doc = "7ed12ccf4bf1f64b"
    at.text_input(key=f"{prefix(doc)}.new_project").input("网络安全宣传周活动")
    at.text_input(key=f"{prefix(doc)}.new_project_reason").input("原文第 80 行起的第三个项目没有读出")
    at = submit(at, "新增项目")
    assert "1 条生效" in texts(at)
    assert ("网络安全宣传周活动",) in stored("select name from projects where doc_id = ?", doc)


# ---------------------------------------------------------------------------
# a province

def test_the_queue_at_a_province_is_paged_in_sql(province_env):
    at = open_page()
    assert not at.exception, [e.value for e in at.exception]
    rows = queue(at)
    assert len(rows) == 25
    shown = texts(at)
    total = int(shown.split("共 ")[1].split(" 行")[0].replace(",", ""))
    assert total > 25 * 4
    assert rows.iloc[0]["问题"] in {"总分与各部分得分之和不一致", "指标表未识别", "未识别为报告"}


def test_mark_a_document_not_a_report_and_undo_it(review_env):
    doc = "9914415ff47d2402"  # 丰南区 2024
    at = login(open_page(item=doc))
    at.checkbox(key=f"{prefix(doc)}.excluded").check()
    at.text_input(key=f"{prefix(doc)}.doc_reason").input("这是会议通知，不是绩效报告")
    at = submit(at, "保存文档更正")
    assert not at.exception and "1 条生效" in texts(at), texts(at)[-400:]
    assert stored("select is_excluded from documents where doc_id = ?", doc) == [(True,)]
    assert not stored("select * from projects where doc_id = ?", doc)
    assert "已标为不是绩效报告" in texts(at) or at.get("badge")
    ex = open_page("pages/execution.py")
    assert "网信系统建设及维护资金" not in texts(ex)  # in no figure
    (fix,) = corrections.active(corrections.load())
    at.button(key=f"review.undo.{fix.id}").click()
    at.run()
    assert "已撤销 1 条更正" in texts(at)
    assert stored("select is_excluded from documents where doc_id = ?", doc) == [(False,)]
    assert stored("select name from projects where doc_id = ?", doc) == [("网信系统建设及维护资金",)]
