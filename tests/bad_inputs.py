"""The bad-input table shared by the CLI and page tests (tests/test_bad_input.py).

Each `Case` is a file a user might hand us: its upload name, how to make its bytes
(binary ones are generated here; text ones come from tests/fixtures/), the outcome
we promise (failed, or added for odd-but-valid encodings and text with HTML/SQL)
and a fragment of the Chinese message the user reads.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
REPORTS = FIXTURES / "reports"
BAD = FIXTURES / "bad_input"
# A small, valid report (迁西县, one project) the generated cases start from.
BASE_REPORT = REPORTS / "special_fund_expenses_mismatch.txt"


@dataclass(frozen=True)
class Case:
    id: str
    name: str  # the file name as uploaded / passed to the CLI
    make: Callable[[], bytes]
    status: str  # failed | added
    message_zh: str  # fragment of the Chinese message (for added: of the preview/outcome)


def _docx_bytes() -> bytes:
    return (REPORTS / "merged_level1_cells.docx").read_bytes()


def _xlsx_bytes() -> bytes:
    return (REPORTS / "self_eval_table.xlsx").read_bytes()


def _docx_with_broken_xml() -> bytes:
    """A whole zip package whose document.xml is cut in the middle."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, data[: len(data) // 2] if info.filename == "word/document.xml" else data)
    return out.getvalue()


def _zip_bomb() -> bytes:
    """A .docx-shaped zip whose document part expands 1000× (4 MB of zeros in ~4 KB)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (4 * 1024 * 1024))
    return buf.getvalue()


def _encrypted_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    page = canvas.Canvas(buf, encrypt="secret")
    page.drawString(72, 720, "report")
    page.save()
    return buf.getvalue()


def _oversize() -> bytes:
    """21 MB of report-looking text: over the 20 MB default limit."""
    line = ("2023年度迁西县交通运输局农村公路养护专项资金绩效评价报告。" * 4 + "\n").encode("utf-8")
    return line * (21 * 1024 * 1024 // len(line) + 1)


def _text(encoding: str) -> Callable[[], bytes]:
    return lambda: BASE_REPORT.read_text(encoding="utf-8").encode(encoding)


def _random_bytes() -> bytes:
    return random.Random(42).randbytes(4096)


CASES = [
    Case("empty", "空文件.txt", lambda: b"", "failed", "文件为空"),
    Case("blank", "只有空格.txt", lambda: b" \r\n\t\n  ", "failed", "文件为空"),
    Case("binary", "乱码.txt", _random_bytes, "failed", "二进制"),
    Case("pdf_named_txt", "扫描件.txt", lambda: b"%PDF-1.4\n" + _random_bytes(), "failed", "二进制"),
    Case("wrong_extension", "报告.exe", lambda: BASE_REPORT.read_bytes(), "failed", "不支持的文件类型"),
    Case("no_extension", "报告", lambda: BASE_REPORT.read_bytes(), "failed", "不支持的文件类型"),
    Case("legacy_doc", "报告.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "failed", "另存为 .docx"),
    Case("text_named_docx", "文本.docx", lambda: BASE_REPORT.read_bytes(), "failed", "Word 文件已损坏"),
    Case("truncated_docx", "截断.docx", lambda: _docx_bytes()[: len(_docx_bytes()) // 2], "failed",
         "Word 文件已损坏或不是有效的 .docx：文件不完整"),
    Case("truncated_xlsx", "截断.xlsx", lambda: _xlsx_bytes()[: len(_xlsx_bytes()) // 2], "failed",
         "Excel 文件已损坏或不是有效的 .xlsx：文件不完整"),
    Case("broken_xml_docx", "内容损坏.docx", _docx_with_broken_xml, "failed", "Word 文件已损坏或不是有效的 .docx：文件内部内容已损坏"),
    Case("encrypted_pdf", "加密.pdf", _encrypted_pdf, "failed", "PDF 文件已加密"),
    Case("zip_bomb", "炸弹.docx", _zip_bomb, "failed", "疑似压缩炸弹"),
    Case("oversize", "超大.txt", _oversize, "failed", "超过上限"),
    Case("not_a_report", "会议通知.txt", lambda: (REPORTS / "not_a_report.txt").read_bytes(), "failed",
         "未识别为绩效评价报告"),
    Case("gbk", "GBK编码.txt", _text("gbk"), "added", "迁西县"),
    Case("gb18030", "GB18030编码.txt", lambda: _text("gb18030")() + "\n附注：䶮\n".encode("gb18030"), "added", "迁西县"),
    Case("utf16", "UTF16编码.txt", _text("utf-16"), "added", "迁西县"),
    Case("html_sql", "含HTML与SQL.txt", lambda: (BAD / "report_with_html_and_sql.txt").read_bytes(), "added", "迁西县"),
]

# What the HTML/SQL report says literally; it must come back as text, unchanged.
HTML_SQL_MARKERS = ("<script>alert('x')</script>", "'); drop table documents; --")
