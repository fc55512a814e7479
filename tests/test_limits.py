"""Size limits: file size, and zip packages judged by their declared sizes before unpacking."""

from __future__ import annotations

import io
import zipfile

import pytest

from budgetperf.reading import ReadError, limits, read_document
from tests.conftest import FIXTURES_DIR


def package(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_file_size_limit_follows_the_setting(monkeypatch, tmp_path):
    report = tmp_path / "r.txt"
    report.write_bytes((FIXTURES_DIR / "pipe_table.txt").read_bytes())
    monkeypatch.setenv("BUDGETPERF_MAX_FILE_MB", "0.0001")  # about 100 bytes
    with pytest.raises(ReadError) as info:
        read_document(report)
    assert "超过上限" in info.value.message_zh and "BUDGETPERF_MAX_FILE_MB" in info.value.message_zh
    monkeypatch.setenv("BUDGETPERF_MAX_FILE_MB", "20")
    assert read_document(report).lines


@pytest.mark.parametrize("members, message", [
    ({"word/document.xml": b"\0" * (3 * 1024 * 1024)}, "压缩比"),  # 1000× on one member
    ({f"part{i}.xml": b"" for i in range(limits.MAX_MEMBERS + 1)}, "部件"),
])
def test_zip_bombs_are_refused_before_unpacking(members, message):
    with pytest.raises(ReadError) as info:
        limits.check_zip_package(package(members), "Word")
    assert message in info.value.message_zh and "Word" in info.value.message_zh


def test_unpacked_total_follows_the_setting(monkeypatch):
    data = package({"xl/sharedStrings.xml": bytes(range(256)) * 8192})  # 2 MB that barely compresses… enough
    monkeypatch.setenv("BUDGETPERF_MAX_UNPACKED_MB", "1")
    with pytest.raises(ReadError) as info:
        limits.check_zip_package(data, "Excel")
    assert "解压后" in info.value.message_zh and "BUDGETPERF_MAX_UNPACKED_MB" in info.value.message_zh


def test_real_packages_pass():
    for name in ("merged_level1_cells.docx", "self_eval_table.xlsx"):
        limits.check_zip_package((FIXTURES_DIR / name).read_bytes(), "Word")


def test_not_a_zip_is_left_to_the_reader():
    limits.check_zip_package(b"plain text", "Word")  # the reader says "corrupt" in its own words


def test_bad_setting_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("BUDGETPERF_MAX_FILE_MB", "twenty")
    with pytest.raises(ValueError, match="BUDGETPERF_MAX_FILE_MB"):
        limits.max_file_bytes()
