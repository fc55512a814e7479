"""PDF reports with a text layer: ruled tables and the running text around them.

Owns turning a PDF into `SourceDocument` lines and blocks with pdfplumber. Per page,
ruled tables (`find_tables`) become `Table` blocks and the text outside them is
read line by line; both are kept in reading order (page, then top). `lines` holds
the PDF's own text lines and one tab-joined line per table row, so provenance
points at what the PDF shows. Lines that the PDF wrapped inside a sentence are
joined into one `Paragraph` spanning the wrapped lines.

Tables drawn without ruling lines are found from the gaps between words: a text
line is cut into fields where the gap is wider than a character, and two or more
consecutive lines of three or more fields become a table whose columns are the
fields of its widest line (cells placed by overlap, as for space-aligned text).
Known limitations: multi-column page layouts and text in images are not handled; the right
margin used to spot wrapped lines is one for the whole file, so a mix of portrait
and landscape pages can leave wraps unjoined; a PDF without a text layer (a scan)
is rejected rather than OCR'd. Must not interpret the report.
"""

from __future__ import annotations

import io
import logging
import re
import zlib
from dataclasses import dataclass, field

from pdfminer import pdftypes
from pdfminer.lzw import LZWDecoder

from budgetperf.reading.blocks import (
    Block,
    Cell,
    Paragraph,
    SourceDocument,
    Table,
    join_wrapped,
    normalize_text,
)
from budgetperf.reading.limits import BUDGET, inflate, inflate_budget, spend, stream_bomb
from budgetperf.reading.problems import ReadError
from budgetperf.reading.text import column_slot

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

# A sentence may end a line; anything else at the right margin is a wrap.
_SENTENCE_END = tuple("。！？；：!?;:")
# A line starting like this opens a new item even if the line above runs on.
_NEW_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}(?:[.．]\d{1,2})*[、.．](?!\d)"
    r"|[①-⑳]|第[一二三四五六七八九十\d]+[章节条部分]|附[件表])"
)
_PAGE_NUMBER = re.compile(r"^(?:[-—–\s]*\d{1,3}[-—–\s]*|第\s*\d+\s*页(?:\s*[，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")

def _clean(text: str) -> str:
    return normalize_text(text)


@dataclass
class _TextLine:
    text: str
    page: int
    top: float
    x0: float
    x1: float
    height: float
    line_no: int = 0
    fields: list[tuple[float, float, str]] = field(default_factory=list)  # cut at wide gaps


@dataclass
class _PageTable:
    rows: list[list[tuple[str, int, int, bool]]]
    page: int
    top: float
    x1: float


def read_pdf(data: bytes, name: str) -> SourceDocument:
    """Read a text-layer PDF report from bytes into paragraphs and tables.

    Raises `ReadError` for data that is not a PDF, is encrypted or has no text layer.
    """
    import pdfplumber

    items: list[_TextLine | _PageTable] = []
    has_chars = False
    try:
        with inflate_budget() as budget, pdfplumber.open(io.BytesIO(data)) as pdf:
            for page_no, page in enumerate(pdf.pages, start=1):
                has_chars = has_chars or any(c["text"].strip() for c in page.chars)
                items.extend(_page_items(page, page_no))
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
    if not has_chars:
        raise ReadError("pdf has no text layer (scanned image?)", "PDF 没有文字层（可能是扫描件），无法提取")
    items = _join_split_tables(_aligned_tables(items))

    lines: list[str] = []
    tables: dict[int, Table] = {}
    for index, item in enumerate(items):
        if isinstance(item, _TextLine):
            lines.append(item.text)
            item.line_no = len(lines)
        else:
            rows = []
            for cells in item.rows:
                lines.append("\t".join(text for text, *_ in cells))
                rows.append(tuple(Cell(t, len(lines), len(lines), col, span, cont) for t, col, span, cont in cells))
            tables[index] = Table(tuple(rows), rows[0][0].line_start, rows[-1][0].line_end)
    return SourceDocument(file=name, fmt="pdf", lines=lines, blocks=_blocks(items, tables))


def _page_items(page, page_no: int) -> list[_TextLine | _PageTable]:
    """Tables and the text lines outside them on one page, sorted top to bottom."""
    found = page.find_tables()
    boxes = [t.bbox for t in found]
    items: list[_TextLine | _PageTable] = []
    for table in found:
        rows = [r for r in _table_texts(table) if any(text for text, *_ in r)]
        if rows:
            items.append(_PageTable(rows, page_no, table.bbox[1], table.bbox[2]))

    def outside_tables(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    for line in page.filter(outside_tables).extract_text_lines(return_chars=True):
        fields = _fields(line["chars"])
        text = "  ".join(t for _, _, t in fields) if len(fields) >= 3 else _clean(line["text"]).strip()
        if text:
            items.append(_TextLine(text, page_no, line["top"], line["x0"], line["x1"], line["bottom"] - line["top"],
                                   fields=fields))
    items.sort(key=lambda it: it.top)
    return items


def _fields(chars) -> list[tuple[float, float, str]]:
    """A line's text cut where the gap between two characters is wider than a
    character: (x0, x1, text) per field. Words inside a field keep one space."""
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
            out.append((x0, x1, text))
    return out


def _aligned_tables(items: list) -> list:
    """Runs of two or more consecutive text lines of a page with three or more fields
    each become a table (tables drawn without ruling lines)."""
    out: list = []
    run: list[_TextLine] = []

    def flush() -> None:
        if len(run) >= 2:
            out.append(_table_from_lines(run))
        else:
            out.extend(run)
        run.clear()

    for item in items:
        if isinstance(item, _TextLine) and len(item.fields) >= 3 and (not run or run[-1].page == item.page):
            run.append(item)
            continue
        flush()
        out.append(item)
    flush()
    return out


def _table_from_lines(lines: list[_TextLine]) -> _PageTable:
    """Cells under the columns of the widest line, each field placed by overlap."""
    grid = max(lines, key=lambda ln: len(ln.fields))
    spans = [(x0, x1) for x0, x1, _ in grid.fields]
    rows = []
    for line in lines:
        texts = [""] * len(spans)
        for x0, x1, text in line.fields:
            slot = column_slot(spans, x0, x1)
            texts[slot] = (texts[slot] + " " + text).strip()
        rows.append([(t, k, 1, False) for k, t in enumerate(texts)])
    return _PageTable(rows, lines[0].page, lines[0].top, max(ln.x1 for ln in lines))


def _join_split_tables(items: list[_TextLine | _PageTable]) -> list[_TextLine | _PageTable]:
    """A table that ends one page and one that starts the next are one table broken by
    the page: join them so the rows on the second page keep the header above them.
    The page number printed between them moves after the joined table."""
    out: list[_TextLine | _PageTable] = []
    held: list[_TextLine] = []  # page numbers printed after the last table
    for item in items:
        last = out[-1] if out else None
        if isinstance(last, _PageTable):
            if isinstance(item, _TextLine) and _PAGE_NUMBER.match(item.text):
                held.append(item)
                continue
            if isinstance(item, _PageTable) and item.page == last.page + 1:
                last.rows.extend(item.rows)
                last.page = item.page
                continue
        out.extend(held)
        held.clear()
        out.append(item)
    out.extend(held)
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


def _blocks(items: list[_TextLine | _PageTable], tables: dict[int, Table]) -> list[Block]:
    """Paragraphs from runs of text lines (joining wraps) and the tables between them."""
    text_lines = [it for it in items if isinstance(it, _TextLine)]
    right = max([t.x1 for t in text_lines] + [it.x1 for it in items if isinstance(it, _PageTable)], default=0)
    left = min((t.x0 for t in text_lines), default=0)
    blocks: list[Block] = []
    run: list[_TextLine] = []

    def flush() -> None:
        if run:
            text = join_wrapped([t.text for t in run])
            blocks.append(Paragraph(text, run[0].line_no, run[-1].line_no))
            run.clear()

    for index, item in enumerate(items):
        if isinstance(item, _PageTable):
            flush()
            blocks.append(tables[index])
            continue
        if _PAGE_NUMBER.match(item.text):
            continue  # a page number between two halves of a paragraph must not split it
        if run and not _is_wrap(run[-1], item, left, right):
            flush()
        run.append(item)
    flush()
    return blocks


def _is_wrap(above: _TextLine, below: _TextLine, left: float, right: float) -> bool:
    """True when `below` continues the paragraph of `above`: `above` runs to the right
    margin, and `below` is neither indented (a new paragraph) nor a numbered item or
    heading. A line that ends a sentence continues only when it is completely full:
    in justified CJK text a full line ending in 。 is still mid-paragraph."""
    char = max(above.height, below.height, 1.0)
    reach = char if above.text.endswith(_SENTENCE_END) else 2 * char
    return (
        above.x1 >= right - reach
        and below.x0 <= left + char
        and not _NEW_ITEM.match(below.text)
    )
