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

from budgetperf.bench.extraction import large_table_report

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


# ---------------------------------------------------------------------------
# hostile files (issue 19): small on disk, huge or slow once opened. Generated at
# run time (never committed); each must be refused or read within HOSTILE_SECONDS
# and HOSTILE_BYTES by `budgetperf ingest` (tests/test_hostile.py measures).

HOSTILE_SECONDS = 30
HOSTILE_BYTES = 1024 * 1024 * 1024
MB = 1024 * 1024


def _deflate_repeated(chunk: bytes, total: int, head: bytes = b"", wbits: int = -15) -> tuple[bytes, int]:
    """A deflate stream (raw, or zlib-framed with wbits=15) of `head` and then `chunk`
    repeated up to `total` bytes in all, made piece by piece (the inflated data is
    never held), and its CRC-32."""
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = chunk * max(1, MB // len(chunk))
    crc = zlib.crc32(head)
    parts, left = [packer.compress(head)], total - len(head)
    while left > 0:
        piece = block[:left]
        crc = zlib.crc32(piece, crc)
        parts.append(packer.compress(piece))
        left -= len(piece)
    parts.append(packer.flush())
    return b"".join(parts), crc


def _zip_with_raw_member(base: bytes, name: str, raw: bytes, crc: int, declared: int) -> bytes:
    """`base` (a zip package) with member `name` replaced by a deflate stream `raw`
    whose local and central headers declare `declared` bytes, whatever it inflates to."""
    import struct

    source = zipfile.ZipFile(io.BytesIO(base))
    members = [(i.filename, source.read(i.filename)) for i in source.infolist()]
    out, central = io.BytesIO(), []
    for filename, data in members:
        if filename == name:
            packed, member_crc, size = raw, crc, declared
        else:
            import zlib

            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            packed = packer.compress(data) + packer.flush()
            member_crc, size = zlib.crc32(data), len(data)
        encoded = filename.encode("utf-8")
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, member_crc, len(packed), size,
                              len(encoded), 0) + encoded + packed)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, member_crc,
                                   len(packed), size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def lying_zip_docx(real_bytes: int = 2 * 1024 * MB) -> bytes:
    """A .docx whose document part declares its true (small) size but inflates to
    `real_bytes` (about 2 MB on disk for 2 GB): a reader that inflates a member whole
    before its real size is known holds all of it."""
    base = _docx_bytes()
    declared = len(zipfile.ZipFile(io.BytesIO(base)).read("word/document.xml"))
    raw, crc = _deflate_repeated(b" ", real_bytes)
    return _zip_with_raw_member(base, "word/document.xml", raw, crc, declared)


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1; object 1 is the catalog) with a
    correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_stream_bomb(real_bytes: int = 1024 * MB) -> bytes:
    """A one-page PDF whose content stream (FlateDecode) inflates to `real_bytes`: one
    line of text, then blanks; about 1 MB on disk for 1 GB."""
    text = "（合成）绩效评价报告".encode("utf-16-be")
    head = b"BT /F1 12 Tf 72 720 Td <" + text.hex().encode() + b"> Tj ET\n"
    data, _ = _deflate_repeated(b" ", real_bytes, head=head, wbits=15)
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> >>] >>",
    ])


def xml_heavy_docx(xml_bytes: int = 190 * MB) -> bytes:
    """A valid .docx whose body is `xml_bytes` of ordinary paragraphs that compress
    about 100 times (under the 200× cap): heavy to parse, not a bomb by ratio."""
    import random

    base = _docx_bytes()
    source = zipfile.ZipFile(io.BytesIO(base))
    document = source.read("word/document.xml")
    body = document.index(b"<w:body>") + len(b"<w:body>")
    rng = random.Random(42)
    head, tail = document[:body], document[body:]
    styled = (b'<w:p><w:pPr><w:spacing w:line="360" w:lineRule="auto"/><w:ind w:firstLine="480"/></w:pPr>'
              b'<w:r><w:rPr><w:rFonts w:ascii="SimSun" w:hAnsi="SimSun"/><w:sz w:val="24"/></w:rPr>'
              b'<w:t>%d</w:t></w:r></w:p>')
    paragraphs = b"".join(styled % rng.randrange(100) for _ in range(20000))
    filler = (xml_bytes - len(document)) // len(paragraphs) + 1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info.filename, source.read(info.filename))
        with target.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(head)
            for _ in range(filler):
                member.write(paragraphs)
            member.write(tail)
    return out.getvalue()


def large_plain_table(total_bytes: int = 19 * MB) -> bytes:
    """A .txt report (a title, then one indicator table in pipes) just under the file
    size limit: every row a plausible indicator (the bench's per-MB table)."""
    return large_table_report(total_bytes).encode("utf-8")
