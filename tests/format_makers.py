"""The same report in the formats a bureau receives, made from a report we can read:
saved web pages (UTF-8, and GBK labelled gb2312), a web archive (.mhtml), an OFD,
Word 97 / Excel 97 files (LibreOffice converts them), and scans (`bench.ocr`).

Tests use these to check that every format gives the same facts as the original;
`tests/fixtures/formats/make_formats.py` uses them on the devset to measure
accuracy per format. Merged cells are written as each format merges them
(colspan/rowspan, an OFD table without the inner border), so the readers' span
handling is what is tested.
"""

from __future__ import annotations

import html
import io
import re
import subprocess
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

from budgetperf.reading.blocks import SourceDocument, Table
from budgetperf.reading.legacy import soffice_path


# ---------------------------------------------------------------------------
# web pages

def _rowspans(table: Table) -> dict[tuple[int, int], int]:
    """(row, grid col) of each real cell -> how many rows it covers (continuation
    cells below it at the same column)."""
    spans = {}
    for r, row in enumerate(table.rows):
        for cell in row:
            if cell.is_continuation or cell.col is None:
                continue
            n = 1
            while r + n < len(table.rows) and any(c.is_continuation and c.col == cell.col for c in table.rows[r + n]):
                n += 1
            spans[(r, cell.col)] = n
    return spans


def html_page(doc: SourceDocument, charset: str = "utf-8", chrome: bool = True) -> str:
    """A government-site article page: navigation, breadcrumb, title, the report in a
    `#zoom` container (tables with colspan/rowspan), share bar, prev/next links, footer."""
    body = []
    for block in doc.blocks:
        if isinstance(block, Table):
            spans = _rowspans(block)
            rows = []
            for r, row in enumerate(block.rows):
                cells = []
                for cell in row:
                    if cell.is_continuation:
                        continue
                    attrs = ""
                    if cell.col_span > 1:
                        attrs += f' colspan="{cell.col_span}"'
                    if spans.get((r, cell.col), 1) > 1:
                        attrs += f' rowspan="{spans[(r, cell.col)]}"'
                    cells.append(f"<td{attrs}>{html.escape(cell.text)}</td>")
                rows.append("<tr>" + "".join(cells) + "</tr>")
            body.append('<table border="1" cellspacing="0">' + "\n".join(rows) + "</table>")
        else:
            body.append(f"<p>{html.escape(block.text)}</p>")
    nav = ('<div class="nav"><a href="/">首页</a><a href="/zwgk">政务公开</a><a href="/xxgk">信息公开</a></div>'
           '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/czxx">财政信息</a></div>') if chrome else ""
    tail = ('<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a></div>'
            '<div class="prevnext"><a href="#">上一篇：关于某事项的通知</a><br><a href="#">下一篇：某某公告</a></div>'
            '<div class="footer">版权所有：某某市人民政府　网站标识码：1234567890　某ICP备12345678号</div>') if chrome else ""
    return (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>{html.escape(doc.lines[0][:40] if doc.lines else '')}_某某市财政局</title></head><body>"
            f'{nav}<div id="zoom">{"".join(body)}</div>{tail}</body></html>')


def as_html(doc: SourceDocument, encoding: str = "utf-8") -> bytes:
    """A saved page in UTF-8, or in GBK labelled gb2312 (as old CMSs write them)."""
    if encoding == "utf-8":
        return html_page(doc, "utf-8").encode("utf-8")
    return html_page(doc, "gb2312").encode("gbk", errors="xmlcharrefreplace")


def as_mhtml(doc: SourceDocument) -> bytes:
    """The page as a browser's "save as single file" web archive (quoted-printable, gb2312)."""
    import quopri

    page = quopri.encodestring(html_page(doc, "gb2312").encode("gbk", errors="xmlcharrefreplace")).decode("ascii")
    return ("From: <Saved by a browser>\r\nSubject: report\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/related; type="text/html"; boundary="----=_NextPart_000"\r\n\r\n'
            "------=_NextPart_000\r\nContent-Type: text/html; charset=\"gb2312\"\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\nContent-Location: http://www.example.gov.cn/a.htm\r\n\r\n"
            f"{page}\r\n------=_NextPart_000--\r\n").encode("ascii")


# ---------------------------------------------------------------------------
# OFD

_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
PAGE_W, PAGE_H, MARGIN, SIZE, LEADING = 210.0, 297.0, 20.0, 3.5, 5.2
re_tokens = re.compile(r"[A-Za-z0-9.,%]+|.", re.S)


def _width(text: str, size: float) -> float:
    return sum(size * (0.5 if ch.isascii() else 1.0) for ch in text)


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Lines of at most `width`, broken between characters but, as word processors
    do, never inside a run of Latin letters and digits (unless it is wider than a line)."""
    tokens = re_tokens.findall(text)
    lines, line = [], ""
    for token in tokens:
        if line and _width(line + token, size) > width:
            lines.append(line)
            line = ""
        while _width(token, size) > width and len(token) > 1:
            cut = max(1, int(width / (size * 0.5)))
            lines.append(token[:cut])
            token = token[cut:]
        line += token
    return lines + ([line] if line else []) or [""]


class _OfdPage:
    def __init__(self):
        self.objects: list[str] = []

    def text(self, x: float, y: float, text: str, size: float) -> None:
        n = len(self.objects) + 10
        deltas = " ".join(f"{size * (0.5 if ch.isascii() else 1.0):g}" for ch in text[:-1])
        self.objects.append(
            f'<ofd:TextObject ID="{n}" Boundary="{x:.2f} {y - size:.2f} {_width(text, size) + size:.2f} {size * 1.4:.2f}" '
            f'Font="3" Size="{size}"><ofd:FillColor Value="0 0 0"/>'
            f'<ofd:TextCode X="0" Y="{size:.2f}" DeltaX="{deltas}">{html.escape(text)}</ofd:TextCode></ofd:TextObject>')

    def line(self, x0: float, y0: float, x1: float, y1: float) -> None:
        n = len(self.objects) + 10
        self.objects.append(
            f'<ofd:PathObject ID="{n}" Boundary="0 0 {PAGE_W} {PAGE_H}" LineWidth="0.25">'
            f"<ofd:AbbreviatedData>M {x0:.2f} {y0:.2f} L {x1:.2f} {y1:.2f}</ofd:AbbreviatedData></ofd:PathObject>")

    def xml(self) -> str:
        return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {_NS}><ofd:Content><ofd:Layer ID="2" Type="Body">'
                + "".join(self.objects) + "</ofd:Layer></ofd:Content></ofd:Page>")


def as_ofd(doc: SourceDocument) -> bytes:
    """An OFD laid out like a printed report: paragraphs wrapped at the margin, tables
    ruled (a merged cell has no inner border), pages broken when full."""
    pages = [_OfdPage()]
    y = MARGIN
    usable = PAGE_W - 2 * MARGIN

    def room(height: float) -> None:
        nonlocal y
        if y + height > PAGE_H - MARGIN:
            pages.append(_OfdPage())
            y = MARGIN

    for block in doc.blocks:
        if not isinstance(block, Table):
            for part in _wrap(block.text, usable, SIZE):
                room(LEADING)
                pages[-1].text(MARGIN, y + SIZE, part, SIZE)
                y += LEADING
            y += 1.5
            continue
        if any(c.col is None for row in block.rows for c in row):  # a table without a grid: cells side by side,
            wide = max(len(row) for row in block.rows)                # the last one of a short row to the edge
            block = Table(tuple(tuple(replace(c, col=k, col_span=1 if k < len(row) - 1 else wide - k)
                                      for k, c in enumerate(row)) for row in block.rows),
                          block.line_start, block.line_end)
        width = max(max((c.col or 0) + c.col_span for c in row) for row in block.rows)
        col_w = usable / width
        size = 3.0
        spans = _rowspans(block)
        for r, row in enumerate(block.rows):
            wrapped = {c.col: _wrap(c.text, c.col_span * col_w - 2, size) for c in row if not c.is_continuation}
            height = max([len(v) for v in wrapped.values()] + [1]) * (size + 1.2) + 2
            room(height)
            page = pages[-1]
            for cell in row:
                x0 = MARGIN + (cell.col or 0) * col_w
                x1 = x0 + cell.col_span * col_w
                if not cell.is_continuation:
                    page.line(x0, y, x1, y)  # top border; none above a continuation (merged from above)
                    for k, part in enumerate(wrapped[cell.col]):
                        page.text(x0 + 1, y + 1 + size + k * (size + 1.2), part, size)
                page.line(x0, y, x0, y + height)
                page.line(x1, y, x1, y + height)
                last = r + 1 == len(block.rows) or (not cell.is_continuation and spans.get((r, cell.col), 1) == 1)
                if cell.is_continuation:
                    last = r + 1 == len(block.rows) or not any(
                        c.is_continuation and c.col == cell.col for c in block.rows[r + 1])
                if last:
                    page.line(x0, y + height, x1, y + height)
            y += height
        y += 3
    document = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {_NS}><ofd:CommonData><ofd:MaxUnitID>9999'
                f'</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {PAGE_W} {PAGE_H}</ofd:PhysicalBox></ofd:PageArea>'
                '<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>'
                + "".join(f'<ofd:Page ID="{k + 100}" BaseLoc="Pages/Page_{k}/Content.xml"/>' for k in range(len(pages)))
                + "</ofd:Pages></ofd:Document>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {_NS} Version="1.0" DocType="OFD">'
                              "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo>"
                              "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
        z.writestr("Doc_0/Document.xml", document)
        z.writestr("Doc_0/PublicRes.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {_NS} BaseLoc="Res">'
                                          '<ofd:Fonts><ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')
        for k, page in enumerate(pages):
            z.writestr(f"Doc_0/Pages/Page_{k}/Content.xml", page.xml())
    return out.getvalue()


# ---------------------------------------------------------------------------
# LibreOffice conversions

def soffice_convert(data: bytes, suffix: str, target: str) -> bytes:
    """`data` (a file of `suffix`) converted by LibreOffice to `target` (doc, xls, pdf …)."""
    soffice = soffice_path()
    if soffice is None:
        raise RuntimeError("LibreOffice is not installed (make system-deps)")
    with tempfile.TemporaryDirectory(prefix="bp-make-") as folder:
        work = Path(folder)
        (work / f"in{suffix}").write_bytes(data)
        subprocess.run([soffice, f"-env:UserInstallation={(work / 'p').as_uri()}", "--headless", "--norestore",
                        "--convert-to", target, "--outdir", str(work / "out"), str(work / f"in{suffix}")],
                       capture_output=True, timeout=180, env={"HOME": folder, "PATH": "/usr/bin:/bin"})
        produced = list((work / "out").glob(f"*.{target.split(':')[0]}"))
        if not produced:
            raise RuntimeError(f"LibreOffice made no .{target} from {suffix}")
        return produced[0].read_bytes()


def has_soffice() -> bool:
    return soffice_path() is not None
