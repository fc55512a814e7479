"""The 修改记录 page under AppTest: every correction, undo and reference edit with who,
when and why; filters (editor, field, text); the XLSX export of what is shown."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from budgetperf.changes import corrections, reference_edits
from budgetperf.storing import committing, store
from tests.conftest import EDITOR
from tests.test_review_page import open_page, review_env, texts  # noqa: F401  (review_env is a fixture)


def item():
    con = store.connect()
    try:
        return store.run_query("review/item", con=con, doc_id="acd898e10a0d4b34",
                               project_id="acd898e10a0d4b34:1").iloc[0]
    finally:
        con.close()


@pytest.fixture
def trail_env(review_env):
    row = item()
    fix = corrections.make(row.content_hash, "budget_initial", "120", project=row.project_name, old_value="110",
                           reason="核对原文第 5 行", editor=EDITOR, file=row.file)
    assert committing.submit([fix], EDITOR).ok
    other = corrections.make(row.content_hash, "year", "2022", old_value="2021", reason="封面写明 2022 年度",
                             editor="李四", file=row.file)
    assert committing.submit([other], "李四").ok
    assert committing.undo([other.id], EDITOR, reason="年度本来就对").ok
    region = reference_edits.make_region("新设县", "county", "唐山市", "河北省", "", reason="新设", editor=EDITOR)
    assert committing.submit_reference([region], EDITOR).ok
    return review_env


def trail_table(at):
    return next(df.value for df in at.dataframe if "原因" in df.value.columns)


def test_the_trail_lists_every_change_newest_first(trail_env):
    at = open_page("pages/trail.py", editor=EDITOR)
    assert not at.exception, [e.value for e in at.exception]
    rows = trail_table(at)
    assert len(rows) == 4  # two fixes (one now undone), the undo, one region edit
    assert rows["时间"].is_monotonic_decreasing
    budget = rows[rows["字段"] == "年初预算（万元）"].iloc[0]
    assert (budget["编辑"], budget["原值"], budget["新值"], budget["原因"], budget["状态"]) == (
        EDITOR, "110", "120", "核对原文第 5 行", "生效")
    assert set(rows[rows["字段"] == "年度"]["状态"]) == {"已撤销", "撤销"}
    assert "显示 4 / 共 4 条" in texts(at)


def test_the_trail_names_editors_to_editors_only(trail_env):
    # names shown to everyone let anyone pick an editor to target (issue 19)
    at = open_page("pages/trail.py")
    rows = trail_table(at)
    assert len(rows) == 4 and set(rows["编辑"]) == {"编辑"}
    assert EDITOR not in texts(at) and "李四" not in texts(at)
    with pytest.raises(KeyError):  # no list of names to pick from either
        at.multiselect(key="trail.editors")
    at = open_page("pages/trail.py", editor=EDITOR)
    assert set(trail_table(at)["编辑"]) == {EDITOR, "李四"}


def test_the_trail_filters_by_editor_field_and_text(trail_env):
    at = open_page("pages/trail.py", editor=EDITOR)
    at.multiselect(key="trail.editors").set_value(["李四"])
    at.run()
    assert list(trail_table(at)["原因"]) == ["封面写明 2022 年度"]
    at.multiselect(key="trail.editors").set_value([])
    at.multiselect(key="trail.fields").set_value(["地区"])
    at.run()
    assert list(trail_table(at)["对象"]) == ["参考表"]
    at.multiselect(key="trail.fields").set_value([])
    at.text_input(key="trail.text").input("第 5 行")
    at.run()
    assert list(trail_table(at)["新值"]) == ["120"]
    at.text_input(key="trail.text").input("没有这样的文字")
    at.run()
    assert "没有符合条件的记录（共 4 条）" in texts(at)


def test_the_trail_exports_what_is_shown_to_xlsx(trail_env):
    from budgetperf.app import trail
    from budgetperf.changes import trail_filters

    at = open_page("pages/trail.py")
    assert at.get("download_button")
    shown = trail_filters.apply(committing.trail_frame(), trail_filters.TrailFilter(editors=(EDITOR,)))
    book = load_workbook(io.BytesIO(trail._trail_xlsx(trail_filters.export_frame(shown))))
    sheet = book["修改记录"]
    header = [c.value for c in sheet[5]] if sheet["A5"].value == "时间" else [c.value for c in sheet[4]]
    assert header == trail_filters.COLUMNS
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "核对原文第 5 行" in values and "封面写明 2022 年度" not in values


def test_an_empty_trail_says_where_changes_come_from(dash_env, tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETPERF_CORRECTIONS", str(tmp_path / "none.jsonl"))
    monkeypatch.setenv("BUDGETPERF_REFERENCE_EDITS", str(tmp_path / "none2.jsonl"))
    at = open_page("pages/trail.py")
    assert not at.exception and "还没有修改记录" in texts(at)
