""".xls read natively; .doc/.wps/.et converted by LibreOffice in a bounded subprocess."""

from __future__ import annotations

import json
import os
import stat

import pytest

from budgetperf.reading import ReadError, read_document
from budgetperf.reading import legacy
from budgetperf.reading.blocks import Table
from budgetperf.storing.extracting import extract_file
from budgetperf.understanding.extract import document_to_dict
from tests.conftest import FIXTURES_DIR, ROOT
from tests.format_makers import has_soffice, soffice_convert
from tests.test_fixture_reports import _subset_differences

FORMATS_DIR = ROOT / "tests" / "fixtures" / "formats"
XLS = ["self_eval_table", "merged_benefit_cell_covers_satisfaction"]


def _grid(doc):
    return [[(c.text, c.col, c.col_span, c.is_continuation) for c in row]
            for b in doc.blocks if isinstance(b, Table) for row in b.rows]


@pytest.mark.parametrize("name", XLS)
def test_xls_reads_as_the_xlsx_it_was_saved_from(name):
    """Merged cells, percent formats (0.985 → 98.5%) and the sheet of each line."""
    xls, xlsx = read_document(FORMATS_DIR / f"{name}.xls"), read_document(FIXTURES_DIR / f"{name}.xlsx")
    assert _grid(xls) == _grid(xlsx)
    assert xls.lines == xlsx.lines
    assert xls.places[1].sheet and xls.places[1].table == 1


@pytest.mark.parametrize("suffix", [".xls", ".et"])
@pytest.mark.parametrize("name", XLS)
def test_xls_and_et_give_the_expected_facts(tmp_path, ref, name, suffix):
    path = tmp_path / f"{name}{suffix}"  # WPS 表格 saves .et in the Excel 97 format
    path.write_bytes((FORMATS_DIR / f"{name}.xls").read_bytes())
    expected = json.loads((FIXTURES_DIR / f"{name}.expected.json").read_text(encoding="utf-8"))
    expected.pop("file")
    expected.pop("fmt", None)
    actual = document_to_dict(extract_file(path, ref))
    assert _subset_differences(expected, actual) == []


def test_hidden_sheets_are_not_read(tmp_path):
    if not has_soffice():
        pytest.skip("LibreOffice is not installed (make system-deps installs it)")
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["项目名称", "看得见的项目"])
    hidden = book.create_sheet("隐藏")
    hidden.append(["项目名称", "隐藏的项目"])
    hidden.sheet_state = "hidden"
    book.save(tmp_path / "b.xlsx")
    data = soffice_convert((tmp_path / "b.xlsx").read_bytes(), ".xlsx", "xls")
    assert legacy.read_xls(data, "b.xls").lines == ["项目名称\t看得见的项目"]


@pytest.mark.parametrize("data", [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, b"not a workbook at all"])
def test_a_broken_xls_says_what_to_do(data):
    with pytest.raises(ReadError) as info:
        legacy.read_xls(data, "x.xls")
    assert "另存为 .xlsx" in info.value.message_zh


def test_without_libreoffice_the_message_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(legacy, "soffice_path", lambda: None)
    path = tmp_path / "r.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(ReadError) as info:
        read_document(path)
    assert "LibreOffice" in info.value.message_zh and "apt-get install" in info.value.message_zh


def _fake_soffice(tmp_path, script: str):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\n" + script)
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    return str(fake)


def test_a_conversion_that_writes_nothing_fails_even_when_soffice_exits_0(monkeypatch, tmp_path):
    monkeypatch.setattr(legacy, "soffice_path", lambda: _fake_soffice(tmp_path, "exit 0\n"))
    with pytest.raises(ReadError) as info:
        legacy.convert(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".doc", "docx")
    assert "无法转换" in info.value.message_zh


def test_a_conversion_that_hangs_is_stopped(monkeypatch, tmp_path):
    marker = tmp_path / "started"
    monkeypatch.setattr(legacy, "soffice_path", lambda: _fake_soffice(tmp_path, f"touch {marker}\nexec sleep 60\n"))
    with pytest.raises(ReadError) as info:
        legacy.convert(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".doc", "docx", timeout=1)
    assert "超时" in info.value.message_zh and marker.exists()


def test_a_doc_that_is_not_one_is_refused_before_converting(tmp_path):
    path = tmp_path / "r.doc"
    path.write_bytes("这是一段文字，不是 Word 文件".encode())
    with pytest.raises(ReadError) as info:
        read_document(path)
    assert "不是有效的旧版 Word" in info.value.message_zh


@pytest.mark.skipif(not has_soffice(), reason="LibreOffice is not installed (make system-deps installs it)")
def test_doc_conversion_keeps_tables_and_merged_cells(tmp_path):
    """A .docx with vertical and horizontal merges, saved as Word 97 by LibreOffice,
    reads back with the same grid; the conversion uses its own profile and leaves
    no process behind."""
    source = FIXTURES_DIR / "merged_level1_cells.docx"
    doc_bytes = soffice_convert(source.read_bytes(), ".docx", "doc")
    (tmp_path / "m.doc").write_bytes(doc_bytes)
    before = _soffice_processes()
    converted = read_document(tmp_path / "m.doc")
    assert converted.fmt == "doc"
    assert _grid(converted) == _grid(read_document(source))
    assert _soffice_processes() <= before


def _soffice_processes() -> int:
    count = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as f:
                count += f.read().startswith("soffice")
        except OSError:
            pass
    return count
