"""Reference-table edits from the app, laid over the bundled CSV files."""

import pytest

from budgetperf.changes import reference_edits
from budgetperf.storing.reference import load_reference
from tests.conftest import ROOT

REGIONS, ALIASES = str(ROOT / "data" / "regions.csv"), str(ROOT / "data" / "unit_aliases.csv")


@pytest.mark.parametrize("args, message", [
    (("X", "county", "某市", "某省", ""), "2–20 个汉字"),
    (("新设县", "town", "某市", "某省", ""), "请选择地区级别"),
    (("新设县", "county", "某市", "", ""), "所属省份"),
    (("新设县", "county", "某市", "某省", "12345"), "6 位数字"),
])
def test_a_region_edit_is_checked(args, message):
    with pytest.raises(reference_edits.ReferenceEditError) as err:
        reference_edits.make_region(*args, reason="新设立", editor="张三")
    assert message in err.value.message_zh


def test_edits_are_laid_over_the_csv_and_undo_restores_it(tmp_path):
    path = tmp_path / "edits.jsonl"
    new_county = reference_edits.make_region("临江新区", "district", "滨海市", "某某省", "999901", reason="2024年新设", editor="张三")
    alias = reference_edits.make_alias("数据资源管理局", "数据局", False, reason="统一简称", editor="张三")
    reference_edits.append([new_county, alias], path)
    ref = load_reference(REGIONS, ALIASES, str(path))
    assert ref.by_code["999901"].name == "临江新区"
    assert any(a.long_form == "数据资源管理局" and a.short_form == "数据局" for a in ref.unit_aliases)
    reference_edits.append([reference_edits.undo(new_county, "李四")], path)
    ref = load_reference(REGIONS, ALIASES, str(path))  # the file changed: reloaded
    assert "999901" not in ref.by_code


def test_an_edit_replaces_the_row_with_its_code(tmp_path):
    path = tmp_path / "edits.jsonl"
    base = load_reference(REGIONS, ALIASES, str(path))
    row = next(r for r in base.regions if r.code == "130225")
    reference_edits.append([reference_edits.make_region(row.name, row.level, row.city, row.province, row.code,
                                          reason="核对", editor="张三")], path)
    edited = load_reference(REGIONS, ALIASES, str(path))
    assert len(edited.regions) == len(base.regions)


def test_a_new_code_for_a_known_region_fixes_its_row_and_a_namesake_elsewhere_is_kept(tmp_path):
    path = tmp_path / "edits.jsonl"
    base = load_reference(REGIONS, ALIASES, str(path))
    row = next(r for r in base.regions if r.level == "district")
    reference_edits.append([reference_edits.make_region(row.name, row.level, row.city, row.province, "999999",
                                          reason="代码更新", editor="张三")], path)
    edited = load_reference(REGIONS, ALIASES, str(path))
    assert len(edited.regions) == len(base.regions)
    same = [r for r in edited.regions if r.name == row.name and r.province == row.province]
    assert [r.code for r in same] == ["999999"]
    reference_edits.append([reference_edits.make_region(row.name, row.level, "", "另一省", "", reason="同名地区", editor="张三")], path)
    assert len(load_reference(REGIONS, ALIASES, str(path)).regions) == len(base.regions) + 1
