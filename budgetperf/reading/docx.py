"""Word (.docx) reports: body paragraphs and tables, in document order.

Owns turning a .docx into `SourceDocument` lines and blocks. `lines` is a rendering
of the body: one line per non-empty paragraph and one line per table row (cells
joined by a tab), so provenance line numbers point at a paragraph or a row.

Merged cells are rendered the way Word's own text export shows them: a
horizontally merged cell (gridSpan) is one cell, and a vertically merged
continuation cell (vMerge continue) is an empty cell. Each cell also carries its
grid position (`col`, `col_span`, `is_continuation`), so parsers can line data up
under a header whose cells are merged differently and know that a blank
first-level cell is the merged one above. A table nested inside a cell is a table
of its own, placed after the row that holds it (a form whose cells hold the money
block and the indicator table); text boxes anchored in the body (a total score or
a grade drawn in a box) are read as paragraphs after their anchor. Headers,
footers and footnotes are not read. Must not interpret what the report says.
"""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn

from budgetperf.reading.blocks import (
    Block,
    Cell,
    Paragraph,
    SourceDocument,
    Table,
    join_wrapped,
    normalize_text,
)
from budgetperf.reading.problems import OLE_MAGIC, ReadError, corrupt_package

# Runs of a paragraph, including accepted tracked insertions and simple fields,
# which python-docx's own `Paragraph.text` leaves out.
_RUNS = "w:r | w:hyperlink | w:ins/w:r | w:smartTag/w:r | w:fldSimple/w:r | w:sdt/w:sdtContent/w:r"
_P, _TBL, _SDT, _SDT_CONTENT, _CUSTOM_XML = map(qn, ("w:p", "w:tbl", "w:sdt", "w:sdtContent", "w:customXml"))


def read_docx(data: bytes, name: str) -> SourceDocument:
    """Read a .docx report from bytes into paragraphs and tables in body order.

    Raises `ReadError` for data that is not a Word document or has no text.
    """
    if data.startswith(OLE_MAGIC):
        raise ReadError("legacy .doc file: save it as .docx", "这是旧版 Word（.doc）文件，请在 Word/WPS 中另存为 .docx 后再上传")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # zipfile, lxml and python-docx each raise their own types
        raise corrupt_package(exc, "Word ", ".docx") from exc

    lines: list[str] = []
    blocks: list[Block] = []
    for element in _iter_block_elements(document.element.body):
        if element.tag == _P:
            _add_paragraph(_paragraph_text(element), lines, blocks)
            for text in _text_box_paragraphs(element):
                _add_paragraph(text, lines, blocks)
        else:
            _add_table(element, lines, blocks)
    if not lines:
        raise ReadError("docx has no text", "Word 文件中没有可读的文字内容")
    return SourceDocument(file=name, fmt="docx", lines=lines, blocks=blocks)


def _add_paragraph(text: str, lines: list[str], blocks: list[Block]) -> None:
    if text:
        lines.append(text)
        blocks.append(Paragraph(text, len(lines), len(lines)))


def _add_table(tbl, lines: list[str], blocks: list[Block]) -> None:
    """One table's rows as a Table block; a table nested in a cell ends the block
    so far and follows as its own, then the outer rows go on in a new block."""
    rows: list[tuple[Cell, ...]] = []

    def flush() -> None:
        if rows:
            blocks.append(Table(tuple(rows), rows[0][0].line_start, rows[-1][0].line_end))
            rows.clear()

    for grid_cells, nested in _table_grid_rows(tbl, with_nested=True):
        texts = [c[0] for c in grid_cells]
        if any(texts):
            lines.append("\t".join(texts))
            rows.append(tuple(Cell(t, len(lines), len(lines), col, span, cont) for t, col, span, cont in grid_cells))
        if nested:
            flush()
            for inner in nested:
                _add_table(inner, lines, blocks)
    flush()


def _text_box_paragraphs(p) -> list[str]:
    """Paragraphs of the text boxes anchored in a body paragraph (the modern shape,
    not its legacy fallback copy), in order."""
    texts = []
    for box in p.xpath(".//w:txbxContent[not(ancestor::*[local-name()='Fallback'])]"):
        for inner in box.iterchildren(_P):
            if text := _paragraph_text(inner):
                texts.append(text)
    return texts


def _iter_block_elements(parent):
    """w:p and w:tbl children in order, looking inside content controls (w:sdt)."""
    for child in parent.iterchildren():
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in (_SDT, _CUSTOM_XML):
            content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if content is not None:
                yield from _iter_block_elements(content)


def _paragraph_text(p) -> str:
    text = "".join(run.text for run in p.xpath(_RUNS))
    # A soft line break inside a paragraph is a wrap, not a new line of the report.
    return join_wrapped([normalize_text(part) for part in text.split("\n")])


def _table_grid_rows(tbl, with_nested: bool = False):
    """(text, grid column, column span, is vertical-merge continuation) per w:tc and
    row; "" for a continuation. `w:gridBefore` (cells skipped at a row's start) shifts
    the columns as Word draws them. With `with_nested`, each row comes with the
    tables nested in its cells, and those cells keep only their own paragraphs."""
    rows = []
    for tr in tbl.xpath("./w:tr | ./w:sdt/w:sdtContent/w:tr"):
        before = tr.xpath("./w:trPr/w:gridBefore/@w:val")
        col = int(before[0]) if before else 0
        cells, nested = [], []
        for tc in tr.xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc"):
            is_continuation = tc.tcPr is not None and tc.tcPr.vMerge_val == "continue"
            span = tc.grid_span or 1
            inner = [e for e in _iter_block_elements(tc) if e.tag == _TBL] if with_nested else []
            text = "" if is_continuation else _cell_text(tc, flatten_tables=not inner)
            cells.append((text, col, span, is_continuation))
            nested += inner
            col += span
        rows.append((cells, nested) if with_nested else cells)
    return rows


def _table_rows(tbl) -> list[list[str]]:
    """Cell texts per row (a nested table's rows, flattened into its parent cell)."""
    return [[text for text, *_ in row] for row in _table_grid_rows(tbl)]


def _cell_text(tc, flatten_tables: bool = True) -> str:
    """A cell's paragraphs joined as one wrapped value; a nested table is flattened
    row by row with its cells separated by a space (unless it is read on its own)."""
    parts = []
    for element in _iter_block_elements(tc):
        if element.tag == _P:
            parts.append(_paragraph_text(element))
        elif flatten_tables:
            parts.extend(" ".join(t for t in row if t) for row in _table_rows(element))
    return join_wrapped(parts)
