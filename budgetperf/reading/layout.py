"""Positioned text to a `SourceDocument`: the path every page-based format shares
(text-layer PDF, scanned pages and images after OCR, OFD).

A reader turns each page into `TextLine`s (a line of text with its position and
the fields it splits into at wide gaps) and `PageTable`s (a ruled table already
laid on its grid), in points from the top of the page. From there on the formats
are read alike:
- runs of two or more consecutive lines of a page with three or more fields become
  a table whose columns are the fields of its widest line (tables drawn without
  ruling lines, `aligned_tables`);
- a table that ends one page and one that starts the next are joined
  (`join_split_tables`);
- lines the page wrapped inside a sentence are joined into one `Paragraph`
  (`assemble`), and every line keeps its page (`SourceDocument.places`) and, for
  OCR, its lowest recognition score (`SourceDocument.confidence`).

Known limitations: multi-column page layouts are read across the columns; the
right margin used to spot wrapped lines is one for the whole file, so a mix of
portrait and landscape pages can leave wraps unjoined. Must not interpret the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetperf.reading.blocks import (
    Block,
    Cell,
    Paragraph,
    Place,
    SourceDocument,
    Table,
    join_wrapped,
)
from budgetperf.reading.grid import Piece, Segment, fill, join_pieces, ruled_grid, split_tables
from budgetperf.reading.text import column_slot

# A sentence may end a line; anything else at the right margin is a wrap.
_SENTENCE_END = tuple("。！？；：!?;:")
# A line starting like this opens a new item even if the line above runs on.
_NEW_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}(?:[.．]\d{1,2})*[、.．](?!\d)"
    r"|[①-⑳]|第[一二三四五六七八九十\d]+[章节条部分]|附[件表])"
)
PAGE_NUMBER = re.compile(r"^(?:[-—–\s]*\d{1,3}[-—–\s]*|第\s*\d+\s*页(?:\s*[，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")

# (x0, x1, text, OCR score or None) of one field of a line
Field = tuple[float, float, str, "float | None"]
# (text, grid column, column span, is continuation[, OCR score]) of one table cell
GridCell = tuple


@dataclass
class TextLine:
    text: str
    page: int
    top: float
    x0: float
    x1: float
    height: float
    line_no: int = 0
    fields: list[Field] = field(default_factory=list)  # cut at wide gaps
    confidence: float | None = None  # lowest OCR score on the line; None: exact text


@dataclass
class PageTable:
    rows: list[list[GridCell]]
    page: int  # the last page the table reaches (tables broken by a page are joined)
    top: float
    x1: float
    row_pages: list[int] = field(default_factory=list)  # each row's page
    col_xs: list[float] | None = None  # the grid's column borders, when it was ruled from lines

    def __post_init__(self) -> None:
        if not self.row_pages:
            self.row_pages = [self.page] * len(self.rows)


Item = TextLine | PageTable


def aligned_tables(items: list[Item]) -> list[Item]:
    """Runs of two or more consecutive text lines of a page with three or more fields
    each become a table (tables drawn without ruling lines)."""
    out: list[Item] = []
    run: list[TextLine] = []

    def flush() -> None:
        if len(run) >= 2:
            out.append(_table_from_lines(run))
        else:
            out.extend(run)
        run.clear()

    for item in items:
        if isinstance(item, TextLine) and len(item.fields) >= 3 and (not run or run[-1].page == item.page):
            run.append(item)
            continue
        flush()
        out.append(item)
    flush()
    return out


def _table_from_lines(lines: list[TextLine]) -> PageTable:
    """Cells under the columns of the widest line, each field placed by overlap."""
    grid = max(lines, key=lambda ln: len(ln.fields))
    spans = [(f[0], f[1]) for f in grid.fields]
    rows = []
    for line in lines:
        texts = [""] * len(spans)
        scores: list[float | None] = [None] * len(spans)
        for x0, x1, text, score in line.fields:
            slot = column_slot(spans, x0, x1)
            texts[slot] = (texts[slot] + " " + text).strip()
            if score is not None:
                scores[slot] = score if scores[slot] is None else min(scores[slot], score)
        rows.append([(t, k, 1, False, s) for k, (t, s) in enumerate(zip(texts, scores))])
    return PageTable(rows, lines[0].page, lines[0].top, max(ln.x1 for ln in lines))


def join_split_tables(items: list[Item]) -> list[Item]:
    """A table that ends one page and one that starts the next are one table broken by
    the page: join them so the rows on the second page keep the header above them.
    The page number printed between them moves after the joined table."""
    out: list[Item] = []
    held: list[TextLine] = []  # page numbers printed after the last table
    for item in items:
        last = out[-1] if out else None
        if isinstance(last, PageTable):
            if isinstance(item, TextLine) and PAGE_NUMBER.match(item.text):
                held.append(item)
                continue
            if isinstance(item, PageTable) and item.page == last.page + 1:
                last.rows.extend(_on_columns_of(last, item))
                last.row_pages.extend(item.row_pages)
                last.page = item.page
                continue
        out.extend(held)
        held.clear()
        out.append(item)
    out.extend(held)
    return out


def _on_columns_of(first: PageTable, then: PageTable) -> list[list[GridCell]]:
    """The rows of `then` (the part of a table on the next page) on the columns of
    `first`: a page whose rows merge two columns everywhere draws no border between
    them, so its own grid has fewer columns; each cell goes to the column of `first`
    its left border is nearest to, spanning the columns its right border covers."""
    if not first.col_xs or not then.col_xs or first.col_xs == then.col_xs:
        return then.rows
    borders = first.col_xs

    def nearest(x: float) -> int:
        return min(range(len(borders)), key=lambda k: abs(borders[k] - x))

    out = []
    for row in then.rows:
        cells = []
        for cell in row:
            left = nearest(then.col_xs[cell[1]])
            right = nearest(then.col_xs[min(cell[1] + cell[2], len(then.col_xs) - 1)])
            cells.append((cell[0], left, max(1, right - left), *cell[3:]))
        out.append(cells)
    return out


def assemble(items: list[Item], name: str, fmt: str, *, ocr_pages: tuple[int, ...] = ()) -> SourceDocument:
    """Items of all pages, in reading order, as a `SourceDocument`: borderless tables
    found, tables split by a page joined, wrapped lines joined into paragraphs; each
    line's page and OCR score recorded."""
    items = join_split_tables(aligned_tables(items))
    lines: list[str] = []
    places: dict[int, Place] = {}
    confidence: dict[int, float] = {}
    tables: dict[int, Table] = {}
    for index, item in enumerate(items):
        if isinstance(item, TextLine):
            lines.append(item.text)
            item.line_no = len(lines)
            places[item.line_no] = Place(page=item.page)
            if item.confidence is not None:
                confidence[item.line_no] = item.confidence
            continue
        rows = []
        for cells, page in zip(item.rows, item.row_pages):
            lines.append("\t".join(c[0] for c in cells))
            places[len(lines)] = Place(page=page)
            scores = [c[4] for c in cells if len(c) > 4 and c[4] is not None]
            if scores:
                confidence[len(lines)] = min(scores)
            rows.append(tuple(Cell(c[0], len(lines), len(lines), c[1], c[2], c[3], c[4] if len(c) > 4 else None)
                              for c in cells))
        tables[index] = Table(tuple(rows), rows[0][0].line_start, rows[-1][0].line_end)
    return SourceDocument(file=name, fmt=fmt, lines=lines, blocks=_blocks(items, tables), places=places,
                          confidence=confidence, ocr_pages=ocr_pages)


def _blocks(items: list[Item], tables: dict[int, Table]) -> list[Block]:
    """Paragraphs from runs of text lines (joining wraps) and the tables between them."""
    text_lines = [it for it in items if isinstance(it, TextLine)]
    right = max([t.x1 for t in text_lines] + [it.x1 for it in items if isinstance(it, PageTable)], default=0)
    left = min((t.x0 for t in text_lines), default=0)
    blocks: list[Block] = []
    run: list[TextLine] = []

    def flush() -> None:
        if run:
            text = join_wrapped([t.text for t in run])
            blocks.append(Paragraph(text, run[0].line_no, run[-1].line_no))
            run.clear()

    for index, item in enumerate(items):
        if isinstance(item, PageTable):
            flush()
            blocks.append(tables[index])
            continue
        if PAGE_NUMBER.match(item.text):
            continue  # a page number between two halves of a paragraph must not split it
        if run and not _is_wrap(run[-1], item, left, right):
            flush()
        run.append(item)
    flush()
    return blocks


def _is_wrap(above: TextLine, below: TextLine, left: float, right: float) -> bool:
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


def ruled_page_items(pieces: list[Piece], segments: list[Segment], page_no: int, tol: float) -> list[Item]:
    """A page's ruled tables laid on their grids (`tol`: how far apart, in points, two
    ruling lines may be and still be one) and its other pieces as text lines, top to
    bottom: the page of an OCR scan or an OFD file."""
    items: list[Item] = []
    for group in split_tables(segments, tol=tol):
        grid = ruled_grid(group, tol=tol)
        if grid is None:
            continue
        rows = fill(grid, [p for p in pieces if grid.contains(p.cx, p.cy)])
        if rows:
            items.append(PageTable(rows, page_no, grid.ys[0], grid.xs[-1], col_xs=list(grid.xs)))
            pieces = [p for p in pieces if not grid.contains(p.cx, p.cy)]
    items.extend(text_lines(pieces, page_no))
    items.sort(key=lambda it: it.top)
    return items


def text_lines(pieces: list[Piece], page_no: int) -> list[TextLine]:
    """Pieces grouped into lines by their vertical centre; a line is cut into fields
    where the gap between two pieces is wider than 0.6 of a character, as the PDF
    reader cuts its text lines (so aligned columns become borderless tables)."""
    rows: list[list[Piece]] = []
    for p in sorted(pieces, key=lambda p: (p.cy, p.x0)):
        height = max(p.bottom - p.top, 1e-6)
        if rows and abs(sum(q.cy for q in rows[-1]) / len(rows[-1]) - p.cy) < 0.5 * height:
            rows[-1].append(p)
        else:
            rows.append([p])
    out = []
    for row in rows:
        row.sort(key=lambda p: p.x0)
        size = sorted(p.em for p in row)[len(row) // 2]
        groups: list[list[Piece]] = []
        for p in row:
            if groups and p.x0 - max(q.x1 for q in groups[-1]) <= 0.6 * size:
                groups[-1].append(p)
            else:
                groups.append([p])
        fields = []
        for group in groups:
            scores = [p.score for p in group if p.score is not None]
            fields.append((group[0].x0, max(p.x1 for p in group), join_pieces(group), min(scores) if scores else None))
        text = "  ".join(f[2] for f in fields) if len(fields) >= 3 else join_pieces(row)
        scores = [p.score for p in row if p.score is not None]
        out.append(TextLine(text, page_no, min(p.top for p in row), min(p.x0 for p in row), max(p.x1 for p in row),
                            size, fields=fields, confidence=min(scores) if scores else None))
    return out
