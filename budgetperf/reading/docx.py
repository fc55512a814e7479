"""Word (.docx) reports: body paragraphs and tables, in document order.

Owns turning a .docx into `SourceDocument` lines and blocks. `lines` is a rendering
of the body: one line per non-empty paragraph and one line per table row (cells
joined by a tab), so provenance line numbers point at a paragraph or a row.

Merged cells are rendered the way Word's own text export shows them: a
horizontally merged cell (gridSpan) is one cell, and a vertically merged
continuation cell (vMerge continue) is an empty cell. Each cell also carries its
grid position (`col`, `col_span`, `is_continuation`), so parsers can line data up
under a header whose cells are merged differently and know that a blank
first-level cell is the merged one above. Headers, footers, footnotes and text
boxes are not read. Must not interpret what the report says.
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
            text = _paragraph_text(element)
            if text:
                lines.append(text)
                blocks.append(Paragraph(text, len(lines), len(lines)))
        else:
            rows: list[tuple[Cell, ...]] = []
            for grid_cells in _table_grid_rows(element):
                texts = [c[0] for c in grid_cells]
                if not any(texts):
                    continue
                lines.append("\t".join(texts))
                rows.append(tuple(Cell(t, len(lines), len(lines), col, span, cont)
                                  for t, col, span, cont in grid_cells))
            if rows:
                blocks.append(Table(tuple(rows), rows[0][0].line_start, rows[-1][0].line_end))
    if not lines:
        raise ReadError("docx has no text", "Word 文件中没有可读的文字内容")
    return SourceDocument(file=name, fmt="docx", lines=lines, blocks=blocks)


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


def _table_grid_rows(tbl) -> list[list[tuple[str, int, int, bool]]]:
    """(text, grid column, column span, is vertical-merge continuation) per w:tc and
    row; "" for a continuation. `w:gridBefore` (cells skipped at a row's start) shifts
    the columns as Word draws them."""
    rows = []
    for tr in tbl.xpath("./w:tr | ./w:sdt/w:sdtContent/w:tr"):
        before = tr.xpath("./w:trPr/w:gridBefore/@w:val")
        col = int(before[0]) if before else 0
        cells = []
        for tc in tr.xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc"):
            is_continuation = tc.tcPr is not None and tc.tcPr.vMerge_val == "continue"
            span = tc.grid_span or 1
            cells.append(("" if is_continuation else _cell_text(tc), col, span, is_continuation))
            col += span
        rows.append(cells)
    return rows


def _table_rows(tbl) -> list[list[str]]:
    """Cell texts per row (a nested table's rows, flattened into its parent cell)."""
    return [[text for text, *_ in row] for row in _table_grid_rows(tbl)]


def _cell_text(tc) -> str:
    """A cell's paragraphs joined as one wrapped value; a nested table is flattened
    row by row with its cells separated by a space."""
    parts = []
    for element in _iter_block_elements(tc):
        if element.tag == _P:
            parts.append(_paragraph_text(element))
        else:
            parts.extend(" ".join(t for t in row if t) for row in _table_rows(element))
    return join_wrapped(parts)
