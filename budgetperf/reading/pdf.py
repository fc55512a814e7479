"""PDF reports: ruled tables and the running text around them, from the text
layer, or by OCR for pages that are scans.

Owns turning a PDF into positioned lines and tables with pdfplumber. Per page,
ruled tables (`find_tables`) become `PageTable`s and the text outside them is
read line by line, each line cut into fields where the gap between two characters
is wider than a character. A page without a text layer (a scanned page: no
characters, an image) is rendered and read by OCR (`scanned_page_items`),
page by page, so a PDF with some scanned pages reads whole. From there on
`layout.assemble` does what every page-based format shares: borderless tables from
aligned fields, tables broken by a page joined, wrapped lines joined, each line's
page kept. `lines` holds the PDF's own text lines and one tab-joined line per
table row, so provenance points at what the PDF shows.
Known limitations: see `layout`; text in images on a page that also has a text
layer (a logo, a pasted screenshot) is not read. Must not interpret the report.
"""

from __future__ import annotations

import hashlib
import io
import logging
import zlib

from pdfminer import pdftypes
from pdfminer.lzw import LZWDecoder

from budgetperf.reading.limits import BUDGET, inflate, inflate_budget, spend, stream_bomb
from budgetperf.reading.ocr import (
    DPI,
    cache_key_of_digest,
    cached_page,
    page_items as ocr_page_items,
    recognise,
    report_progress,
)
from budgetperf.reading.blocks import SourceDocument, join_wrapped, normalize_text
from budgetperf.reading.layout import PageTable, TextLine, assemble
from budgetperf.reading.problems import ReadError

# pdfminer warns once per glyph for embedded fonts without a FontBBox (common in
# Chrome and WPS exports); the warnings are not actionable and flood the CLI.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


class _BudgetedZlib:
    """The `zlib` pdfminer's stream decoding sees. pdfminer inflates a FlateDecode
    stream whole, with no limit (a 0.4 MB file held 875 MB), and has no hook for
    one; so inflating goes through the document's budget (`limits.inflate`) and
    everything else is zlib's own."""

    error = zlib.error

    def decompress(self, data, wbits=zlib.MAX_WBITS, bufsize=zlib.DEF_BUF_SIZE):
        return inflate(data, wbits)

    def __getattr__(self, name):
        return getattr(zlib, name)


def _decompress_corrupted(data: bytes) -> bytes:
    """pdfminer's fallback for a Flate stream whose checksum is damaged, minus its
    byte-at-a-time loop (quadratic in the output) and within the budget: inflate
    everything before the 4-byte checksum and keep what comes out."""
    return inflate(data[:-4] if len(data) > 4 else data, complete=False)


def _lzwdecode(data: bytes) -> bytes:
    """pdfminer's LZW decoding, counted against the budget piece by piece."""
    out = []
    for piece in LZWDecoder(io.BytesIO(data)).run():
        spend(len(piece))
        out.append(piece)
    return b"".join(out)


# Installed once, for every read: outside `limits.inflate_budget` nothing is counted.
pdftypes.zlib, pdftypes.decompress_corrupted, pdftypes.lzwdecode = _BudgetedZlib(), _decompress_corrupted, _lzwdecode


def _clean(text: str) -> str:
    return normalize_text(text)


def read_pdf(data: bytes, name: str) -> SourceDocument:
    """Read a PDF report from bytes into paragraphs and tables; pages without a text
    layer are read by OCR.

    Raises `ReadError` for data that is not a PDF, is encrypted, or holds no text
    either in its text layer or on its scanned pages.
    """
    import pdfplumber

    items: list[TextLine | PageTable] = []
    scanned: list[int] = []
    digest: str | None = None
    try:
        with inflate_budget() as budget, pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
            for page_no, page in enumerate(pdf.pages, start=1):
                if any(c["text"].strip() for c in page.chars):
                    items.extend(_page_items(page, page_no))
                elif page.images or page.curves:  # a scan, or text drawn as outlines
                    scanned.append(page_no)
                    digest = digest or hashlib.sha256(data).hexdigest()  # once per file, not per page
                    items.extend(_scanned_page(data, digest, page_no, pages, name))
                if budget.exceeded:  # pdfminer may have swallowed the refusal somewhere
                    raise stream_bomb()
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many types for broken or encrypted files
        if BUDGET.exceeded:  # the refusal, wrapped by pdfplumber
            raise stream_bomb() from exc
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if type(cause).__name__ == "PDFPasswordIncorrect":
            raise ReadError("pdf is password-protected", "PDF 文件已加密，需要密码才能打开，请提供未加密的文件") from exc
        raise ReadError(f"corrupt or unreadable .pdf: {exc}", f"PDF 文件已损坏或无法打开：{exc}") from exc
    if not items:
        if scanned:
            raise ReadError("no text recognised on the scanned pages",
                            "PDF 是扫描件，但在页面图像中没有识别出文字（图像过于模糊或不是文字），无法提取")
        raise ReadError("pdf has no text layer (and no page image to recognise)",
                        "PDF 没有文字层，也没有可识别文字的页面图像，无法提取")
    items.sort(key=lambda it: it.page)  # stable: each page's own order stays
    return assemble(items, name, "pdf", ocr_pages=tuple(scanned))


def _scanned_page(data: bytes, digest: str, page_no: int, pages: int, name: str) -> list[TextLine | PageTable]:
    """OCR of one scanned page, from the cache when this file's page was read before."""
    key = cache_key_of_digest(digest, f"pdf-page-{page_no}")
    page = cached_page(key)
    if page is None:
        page = recognise(render_page(data, page_no), key)
    report_progress(name, page_no, pages)
    return ocr_page_items(page, page_no)


def render_page(data: bytes, page_no: int, dpi: int = DPI):
    """One PDF page as a grayscale image (numpy array) at `dpi`, via pypdfium2
    (pdfplumber's own renderer)."""
    import numpy as np
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[page_no - 1]
        try:
            return np.asarray(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
        finally:
            page.close()
    finally:
        pdf.close()


def _page_items(page, page_no: int) -> list[TextLine | PageTable]:
    """Tables and the text lines outside them on one page, sorted top to bottom."""
    found = page.find_tables()
    boxes = [t.bbox for t in found]
    items: list[TextLine | PageTable] = []
    for table in found:
        rows = [r for r in _table_texts(table) if any(text for text, *_ in r)]
        if rows:
            items.append(PageTable(rows, page_no, table.bbox[1], table.bbox[2]))

    def outside_tables(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    for line in page.filter(outside_tables).extract_text_lines(return_chars=True):
        fields = _fields(line["chars"])
        text = "  ".join(f[2] for f in fields) if len(fields) >= 3 else _clean(line["text"]).strip()
        if text:
            items.append(TextLine(text, page_no, line["top"], line["x0"], line["x1"], line["bottom"] - line["top"],
                                   fields=fields))
    items.sort(key=lambda it: it.top)
    return items


def _fields(chars) -> list[tuple[float, float, str, None]]:
    """A line's text cut where the gap between two characters is wider than a
    character: (x0, x1, text, no OCR score) per field. Words inside a field keep one space."""
    fields: list[list] = []
    for ch in chars:
        text = ch["text"]
        if not fields:
            fields.append([ch["x0"], ch["x1"], text])
            continue
        gap = ch["x0"] - fields[-1][1]
        size = max(ch.get("size") or 0, ch["x1"] - ch["x0"], 1.0)
        if gap > size * 0.6:
            fields.append([ch["x0"], ch["x1"], text])
        else:
            fields[-1][2] += (" " if gap > size * 0.25 and not text.isspace() else "") + text
            fields[-1][1] = ch["x1"]
    out = []
    for x0, x1, text in fields:
        text = _clean(text).strip()
        if text:
            out.append((x0, x1, text, None))
    return out


def _table_texts(table) -> list[list[tuple[str, int, int, bool]]]:
    """(text, grid column, column span, is continuation) per cell and row. A grid
    position covered by a cell to its left (colspan) is dropped, as Word shows a
    merged cell once; one covered from above (rowspan) becomes an empty
    continuation cell, so the columns below a merged label stay in place."""
    starts = sorted({cell[0] for cell in table.cells})
    out = []
    for row, texts in zip(table.rows, table.extract()):
        cells: list[tuple[str, int, int, bool]] = []
        left_edge = None  # right edge of the last real cell in this row
        for col, (x_start, bbox, text) in enumerate(zip(starts, row.cells, texts)):
            if bbox is not None:
                span = max(1, sum(1 for x in starts if bbox[0] - 1 <= x < bbox[2] - 1))
                cells.append((join_wrapped([_clean(part) for part in (text or "").split("\n")]), col, span, False))
                left_edge = bbox[2]
            elif left_edge is None or left_edge <= x_start + 1:
                cells.append(("", col, 1, True))
        out.append(cells)
    return out
