"""Excel (.xlsx) reports: each sheet's used range as one table.

Owns turning a workbook into `SourceDocument` lines and blocks with openpyxl. Every
non-empty sheet becomes one `Table` block; every non-empty row becomes one line
of `lines` (cells joined by a tab), which provenance line numbers point at.

Cells are rendered as a person reading the sheet sees them, in the shape Word's text
export gives a table: a merged range shows its value once (the other cells of its
top row are dropped), rows below the top of a merged range show one empty cell,
integral floats lose ".0" and percent-formatted numbers keep a "%" (with all the
decimals stored, not only those the format displays, so 0.8972 reads 89.72%).
Each cell carries its grid column (`col`, counted from the first used column),
the width of a merged range (`col_span`) and whether it stands in for a range
merged from above (`is_continuation`).
Formulas are read from the cached values Excel saved; a formula without a cached
value (a file written by a tool that never calculated it) is shown as its text,
which is what such a cell holds for a reader (a target typed as `=100%`).
Known limitation: number formats other than percent (thousands separators,
decimals shown) are not applied.
Must not interpret the report.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from budgetperf.reading.blocks import (
    Block,
    Cell,
    Place,
    SourceDocument,
    Table,
    join_wrapped,
    normalize_text,
)
from budgetperf.reading.problems import OLE_MAGIC, ReadError, corrupt_package


def read_xlsx(data: bytes, name: str) -> SourceDocument:
    """Read an .xlsx report from bytes: one table per non-empty sheet.

    Raises `ReadError` for data that is not a workbook or has no cell values.
    """
    import openpyxl

    if data.startswith(OLE_MAGIC):
        raise ReadError("legacy .xls file: save it as .xlsx", "这是旧版 Excel（.xls）文件，请在 Excel/WPS 中另存为 .xlsx 后再上传")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
        # A second, formula-preserving load only when some sheet has formulas.
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=False) if _has_formulas(data) else None
    except Exception as exc:  # zipfile, lxml and openpyxl each raise their own types
        raise corrupt_package(exc, "Excel ", ".xlsx") from exc

    lines: list[str] = []
    blocks: list[Block] = []
    places: dict[int, Place] = {}
    formula_sheets = formulas.worksheets if formulas is not None else [None] * len(workbook.worksheets)
    for sheet, formula_sheet in zip(workbook.worksheets, formula_sheets):
        table = sheet_table(_sheet_rows(sheet, formula_sheet), sheet.title, lines, places)
        if table is not None:
            blocks.append(table)
    if not lines:
        raise ReadError("workbook has no data", "Excel 文件中没有数据")
    return SourceDocument(file=name, fmt="xlsx", lines=lines, blocks=blocks, places=places)


def _sheet_rows(sheet, formula_sheet=None) -> list[list[tuple[str, int, int, bool]]]:
    """(text, grid column, column span, is continuation) of the cells of the non-empty
    rows, over the range that holds values (a sheet's own dimensions also count cells
    that only carry formatting)."""

    def text_of(r: int, c: int) -> str:
        text = _render(sheet.cell(row=r, column=c))
        if not text and formula_sheet is not None:
            raw = formula_sheet.cell(row=r, column=c).value
            if isinstance(raw, str) and raw.startswith("="):
                text = normalize_text(raw).strip()  # a formula never calculated: show what was typed
        return text

    valued = [(c.row, c.column) for row in sheet.iter_rows() for c in row if text_of(c.row, c.column)]
    merged = [(rng.min_row, rng.max_row, rng.min_col, rng.max_col) for rng in sheet.merged_cells.ranges]
    return grid_rows(text_of, valued, merged)


GridRow = list[tuple[str, int, int, bool]]


def grid_rows(text_of: Callable[[int, int], str], valued: list[tuple[int, int]],
              merged: list[tuple[int, int, int, int]]) -> list[GridRow]:
    """(text, grid column, column span, is continuation) of the cells of a sheet's
    non-empty rows, over the range of the `valued` (row, column) cells, whatever
    library read the sheet. `merged` ranges are (first row, last row, first column,
    last column), inclusive: a range shows its value once (the other cells of its
    top row are dropped), rows below its top show one empty continuation cell."""
    if not valued:
        return []
    first_col = min(col for _, col in valued)
    last_col = max(col for _, col in valued)
    hidden: dict[tuple[int, int], str] = {}
    widths: dict[tuple[int, int], int] = {}
    for r_lo, r_hi, c_lo, c_hi in merged:
        for r in range(r_lo, r_hi + 1):
            widths[(r, c_lo)] = c_hi - c_lo + 1
            for c in range(c_lo, c_hi + 1):
                if (r, c) != (r_lo, c_lo):
                    hidden[(r, c)] = "blank" if r > r_lo and c == c_lo else "drop"
    out = []
    for r in range(min(r for r, _ in valued), max(r for r, _ in valued) + 1):
        cells = []
        for c in range(first_col, last_col + 1):
            shadow = hidden.get((r, c))
            if shadow == "drop":
                continue
            if shadow == "blank":
                cells.append(("", c - first_col, widths.get((r, c), 1), True))
            else:
                cells.append((text_of(r, c), c - first_col, widths.get((r, c), 1), False))
        if any(text for text, *_ in cells):
            out.append(cells)
    return out


def sheet_table(rows: list[GridRow], sheet: str, lines: list[str], places: dict[int, Place]) -> Table | None:
    """Append a sheet's rows to the document's `lines` (cells joined by a tab, each
    line placed on its sheet) and return them as one table (None without rows)."""
    cells: list[tuple[Cell, ...]] = []
    for grid_cells in rows:
        lines.append("\t".join(c[0] for c in grid_cells))
        places[len(lines)] = Place(sheet=sheet)
        cells.append(tuple(Cell(t, len(lines), len(lines), col, span, cont) for t, col, span, cont in grid_cells))
    if not cells:
        return None
    return Table(tuple(cells), cells[0][0].line_start, cells[-1][0].line_end)


def _has_formulas(data: bytes) -> bool:
    """True when a worksheet of the package holds a formula element (`<f>`)."""
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return any(re.search(rb"<(?:\w+:)?f[ >]", package.read(name))
                   for name in package.namelist() if name.startswith("xl/worksheets/") and name.endswith(".xml"))


def _render(cell) -> str:
    """A cell's value as text the way the sheet shows it (see module docstring)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if "%" in (cell.number_format or ""):
            return format_number(value * 100) + "%"
        return format_number(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return join_wrapped([normalize_text(part) for part in str(value).splitlines()])


def format_number(value: int | float) -> str:
    """`35.0` -> `35`, `98.69` -> `98.69`, `0.8972 * 100` -> `89.72` (float noise
    from the multiplication is rounded away)."""
    if isinstance(value, int):
        return str(value)
    value = round(value, 10)
    return str(int(value)) if value.is_integer() else repr(value)
