""".zip batches: each member read under the limits of a single upload, one result
line each; the format registry every list is drawn from; places kept with the lines."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from budgetperf.reading import ReadError, batches, formats, limits
from budgetperf.storing import intake
from tests.conftest import FIXTURES_DIR, REPORTS_DIR, ROOT
from tests.format_makers import as_html

SEED = REPORTS_DIR / "002_4541b7eb62b4645a.txt"


def _zip(entries: list[tuple], *, method=zipfile.ZIP_DEFLATED) -> bytes:
    """entries: (name, bytes) or (ZipInfo, bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in entries:
            z.writestr(name, data)
    return out.getvalue()


def _with_gbk_name(data: bytes, placeholder: str, name: str) -> bytes:
    """The archive with one member renamed as Windows archivers in China write names:
    GBK bytes and no UTF-8 flag (zipfile itself always writes UTF-8)."""
    raw = name.encode("gbk")
    assert len(raw) == len(placeholder)
    return data.replace(placeholder.encode("ascii"), raw)


def test_members_are_read_one_by_one_with_their_problems():
    link = zipfile.ZipInfo("链接.txt")
    link.external_attr = 0o120777 << 16
    bomb = b"0" * (3 * 1024 * 1024)
    data = _zip([
        ("报告/甲.txt", SEED.read_bytes()),
        ("XXXXXX.docx", (FIXTURES_DIR / "merged_level1_cells.docx").read_bytes()),
        ("嵌套.zip", _zip([("a.txt", b"x")])),
        ("../逃逸.txt", b"x"),
        (link, b"/etc/passwd"),
        ("炸弹.txt", bomb),
        ("__MACOSX/._甲.txt", b"junk"),
        ("报告/", b""),
    ])
    data = _with_gbk_name(data, "XXXXXX.docx", "乙报告.docx")
    found = {m.name: m for m in batches.members(data, "一批.zip")}
    assert sorted(found) == sorted(["甲.txt", "乙报告.docx", "嵌套.zip", "逃逸.txt", "链接.txt", "炸弹.txt"])
    assert found["甲.txt"].data == SEED.read_bytes() and found["甲.txt"].problem is None
    assert found["乙报告.docx"].problem is None  # a GBK name decoded as its author wrote it
    assert "只解开一层" in found["嵌套.zip"].problem.message_zh
    assert "不安全" in found["逃逸.txt"].problem.message_zh
    assert "链接" in found["链接.txt"].problem.message_zh
    assert "压缩炸弹" in found["炸弹.txt"].problem.message_zh


def test_a_member_over_the_size_limit_is_refused_unread(monkeypatch):
    monkeypatch.setenv("BUDGETPERF_MAX_FILE_MB", "0.01")
    [member] = batches.members(_zip([("大.txt", SEED.read_bytes() * 10)]), "b.zip")
    assert "超过上限" in member.problem.message_zh


@pytest.mark.parametrize("data, message", [
    (b"PK\x03\x04broken", "压缩包已损坏"),
    (_zip([("__MACOSX/x", b"1")]), "压缩包中没有文件"),
])
def test_a_batch_that_cannot_be_opened_says_why(data, message):
    with pytest.raises(ReadError) as info:
        batches.members(data, "b.zip")
    assert message in info.value.message_zh


def test_too_many_members_are_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_BATCH_MEMBERS", 2)
    with pytest.raises(ReadError) as info:
        batches.members(_zip([(f"{k}.txt", b"x") for k in range(3)]), "b.zip")
    assert "分批上传" in info.value.message_zh


def test_an_upload_of_a_batch_gives_one_line_per_member(tmp_path, ref):
    data = _zip([("甲.txt", SEED.read_bytes()), ("乙.htm", as_html(intake_doc(), "gbk")),
                 ("说明.exe", b"MZ"), ("嵌套.zip", _zip([("a.txt", b"x")]))])
    prepared = intake.prepare([intake.Incoming("一批.zip", data=data)], ref)
    by_name = {p.incoming.name: p for p in prepared}
    assert sorted(by_name) == ["乙.htm", "嵌套.zip", "甲.txt", "说明.exe"]
    assert all(p.incoming.batch == "一批.zip" for p in prepared)
    assert by_name["甲.txt"].extraction is not None and by_name["乙.htm"].extraction is not None
    assert "不支持的文件类型" in by_name["说明.exe"].result.reason_zh
    assert by_name["甲.txt"].incoming.shown == "一批.zip › 甲.txt"
    report = intake.add_reports(prepared, "测试", via="test", db_path=tmp_path / "s.duckdb",
                                reports_dir=tmp_path / "reports", archive_dir=tmp_path / "archive", ref=ref)
    assert sorted(p.result.status for p in report.items) == ["added", "added", "failed", "failed"]
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["乙.htm", "甲.txt"]  # members kept, not the zip


def intake_doc():
    from budgetperf.reading import read_document

    return read_document(REPORTS_DIR / "001_4f47e40a9e3722bd.txt")


def test_cli_ingest_of_a_batch(tmp_path):
    batch = tmp_path / "报告批次.zip"
    batch.write_bytes(_zip([("甲.txt", SEED.read_bytes()), ("坏.pdf", b"%PDF-1.4 broken")]))
    out = subprocess.run([sys.executable, "-m", "budgetperf", "ingest", "--db", str(tmp_path / "s.duckdb"),
                          "--reports", str(tmp_path / "reports"), str(batch), "--json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    results = {r["file"]: r for r in json.loads(out.stdout)["results"]}
    assert out.returncode == 1  # one member failed
    assert results["甲.txt"]["status"] == "added" and results["甲.txt"]["batch"] == "报告批次.zip"
    assert results["坏.pdf"]["status"] == "failed" and "PDF" in results["坏.pdf"]["reason_zh"]


# ---------------------------------------------------------------------------
# the registry

def test_every_list_of_formats_comes_from_the_registry():
    suffixes = [s for f in formats.FORMATS for s in f.suffixes]
    assert formats.SUPPORTED_SUFFIXES == tuple(suffixes) and len(set(suffixes)) == len(suffixes)
    message = formats.unsupported(".exe").message_zh
    assert all(s in message for s in suffixes)
    assert formats.is_batch(".ZIP") and not formats.is_report_file(Path(__file__).with_suffix(".zip"))


def test_the_readme_lists_every_format_and_what_it_needs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### 支持的文件格式"):readme.index("坏文件（")]
    for fmt in formats.FORMATS:
        assert fmt.label_zh in section
        assert all(f"`{s}`" in section for s in fmt.suffixes)
    assert "LibreOffice" in section and "rapidocr" in section


def test_a_zip_is_never_read_as_one_report(tmp_path):
    path = tmp_path / "a.zip"
    path.write_bytes(_zip([("a.txt", b"x")]))
    with pytest.raises(ReadError) as info:
        formats.read_document(path)
    assert "每个文件分别读取" in info.value.message_zh


# ---------------------------------------------------------------------------
# places stored with the source lines

def test_source_lines_keep_page_sheet_and_table(tmp_path, ref):
    from tests.conftest import ingest

    db = tmp_path / "s.duckdb"
    ingest(db, [FIXTURES_DIR / "self_eval_table.xlsx", FIXTURES_DIR / "header_repeated_after_page_break.pdf",
                SEED], ref)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = dict(((fmt, p, s, t), n) for fmt, p, s, t, n in con.execute(
            "select d.fmt, page, sheet, table_index, count(*) from source_lines join documents d using (doc_id) "
            "group by all").fetchall())
    assert any(fmt == "xlsx" and s and t == 1 for fmt, p, s, t in rows)
    assert any(fmt == "pdf" and p == 2 for fmt, p, s, t in rows)
    assert all(p is None and s is None and t is None for fmt, p, s, t in rows if fmt == "txt")


@pytest.mark.parametrize("place, label", [
    ((2, None, 3), "第 2 页 · 表 3"),
    ((None, "Sheet1", 1), "工作表 Sheet1 · 表 1"),
    ((None, None, None), ""),
])
def test_place_labels(place, label):
    from budgetperf.app.sources import place_label

    assert place_label(*place) == label
