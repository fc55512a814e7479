"""Render a synthetic document's truth as .docx (python-docx), .xlsx (openpyxl) or
.pdf (reportlab, CID font STSong-Light, so the text layer reads back as written).

Bytes are deterministic for a document: zip entries get fixed timestamps and
document dates, reportlab runs in invariant mode. Same approach as
`tests/fixtures/make_fixtures.py`.
"""

from __future__ import annotations

import io
import re
import zipfile

from budgetperf.synth import MARKER
from budgetperf.synth.model import SynthDocument, fmt_num
from budgetperf.synth.text import (
    _money_sentence,
    _selfeval_grid,
    _title,
    citation,
    grade_sentence,
    inferred_year_sentence,
    target_grid,
)

_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
_FIXED_DATE = b"2024-01-01T00:00:00Z"


def _stable_zip(data: bytes) -> bytes:
    """An OOXML package with fixed entry times and document dates."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + _FIXED_DATE, blob)
            dst.writestr(zipfile.ZipInfo(info.filename, _ZIP_TIME), blob, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _grid_with_title(doc: SynthDocument, grade_row: bool = False) -> tuple[list[list[str]], int]:
    """The self-evaluation grid padded to one width, under a title row (and the year
    row when the document states it). Returns (rows, number of leading title rows)."""
    p = doc.projects[0]
    grid = _selfeval_grid(p, doc, grade_row)
    width = max(len(r) for r in grid)
    head = [["项目支出绩效自评表"]]
    if doc.year_is_explicit:
        head.append([f"（{doc.year}年度）"] + ([""] * (width - 2) + ["单位：元"] if doc.layout["amount_unit"] == "元" else []))
    elif doc.layout["amount_unit"] == "元":
        head.append(["单位：元"])
    rows = [r + [""] * (width - len(r)) for r in head + grid]
    return rows, len(head)


def _level1_spans(rows: list[list[str]]) -> list[tuple[int, int]]:
    """Row ranges of merged first-level cells: a 一级指标 cell and the blank cells
    below it, up to the 总分 row."""
    spans = []
    start = None
    for r, row in enumerate(rows):
        if row[0] == "一级指标":
            start = None
            continue
        if row[0] in ("产出指标", "效益指标", "满意度指标"):
            if start is not None and r - 1 > start:
                spans.append((start, r - 1))
            start = r
        elif row[0] != "" and start is not None:
            if r - 1 > start:
                spans.append((start, r - 1))
            start = None
    return spans


def render_docx(doc: SynthDocument) -> bytes:
    import docx

    p = doc.projects[0]
    d = docx.Document()
    d.core_properties.author = "budgetperf synth"
    d.add_paragraph(_title(doc, p, "项目支出绩效评价报告"))
    d.add_paragraph("一、项目基本情况")
    d.add_paragraph(f"　　{p.name}项目由{doc.unit}组织实施，资金来源为{p.funding_source}。{_money_sentence(p, doc)}")
    if p.rename_note:
        d.add_paragraph(f"　　{p.rename_note}")
    if not doc.year_is_explicit:
        d.add_paragraph(inferred_year_sentence(doc))
    d.add_paragraph("附表：项目支出绩效自评表")
    rows, n_head = _grid_with_title(doc)
    width = len(rows[0])
    table = d.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    merges = [((r, 0), (r, width - 1)) for r in range(n_head) if sum(1 for c in rows[r] if c) == 1]
    merges += [((a, 0), (b, 0)) for a, b in _level1_spans(rows)]
    for (r1, c1), (r2, c2) in merges:
        table.cell(r1, c1).merge(table.cell(r2, c2))
    cells = table._cells  # one pass over the grid; table.cell(r, c) rescans it every call
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                cells[r * width + c].text = text
    d.add_paragraph("二、评价结论")
    d.add_paragraph(f"　　依据{citation(doc)}，经自评，{grade_sentence(p)}")
    d.add_paragraph(MARKER)
    buf = io.BytesIO()
    d.save(buf)
    return _stable_zip(buf.getvalue())


def _cell_value(text: str, doc: SynthDocument, column: str):
    """Numbers as numbers in a workbook (amounts, weights, scores); rates as
    percent-formatted fractions. Returns (value, number_format or None)."""
    if text == "":
        return None, None
    if column == "rate" and text.endswith("%"):
        return round(float(text[:-1]) / 100, 6), "0.00%"
    if column in ("amount", "number"):
        try:
            return float(text.replace(",", "")), ("#,##0.00" if column == "amount" and doc.layout["amount_unit"] == "元" else None)
        except ValueError:
            return text, None
    return text, None


def render_xlsx(doc: SynthDocument) -> bytes:
    import datetime as dt

    import openpyxl
    from openpyxl.utils import get_column_letter

    rows, n_head = _grid_with_title(doc, grade_row=True)  # a workbook has no prose to state the grade
    wb = openpyxl.Workbook()
    wb.properties.creator = "budgetperf synth"
    wb.properties.created = wb.properties.modified = dt.datetime(2024, 1, 1)
    ws = wb.active
    ws.title = "自评表"
    width = len(rows[0])
    kinds_by_header: list[str] = ["text"] * width
    for r, row in enumerate(rows, start=1):
        if row[0] in ("项目资金", "部门资金"):
            kinds_by_header = ["text", "amount", "amount", "amount", "number", "rate", "number"] + ["text"] * (width - 7)
        elif row[0] == "一级指标":
            kinds_by_header = ["number" if h in ("分值", "得分") else "text" for h in row]
        elif row[0] == "总分":
            kinds_by_header = ["number" if c else "text" for c in row]
        for c, text in enumerate(row, start=1):
            value, number_format = _cell_value(text, doc, kinds_by_header[c - 1] if r > n_head else "text")
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # a target written "=100%" is text, not a formula
            if number_format:
                cell.number_format = number_format
    for r in range(1, n_head + 1):
        if sum(1 for c in rows[r - 1] if c) == 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    for a, b in _level1_spans(rows):
        ws.merge_cells(start_row=a + 1, start_column=1, end_row=b + 1, end_column=1)
    ws.column_dimensions[get_column_letter(3)].width = 24
    note = doc.projects[0].rename_note
    if note:  # a workbook has no prose: the former name is a note under the table
        ws.cell(row=len(rows) + 2, column=1, value=f"备注：{note}")
    ws.cell(row=len(rows) + (3 if note else 2), column=1, value=MARKER)
    buf = io.BytesIO()
    wb.save(buf)
    return _stable_zip(buf.getvalue())


_FONT = "STSong-Light"


def render_pdf(doc: SynthDocument) -> bytes:
    """A 绩效目标表 with ruled lines and merged first-level cells."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import (
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    body = ParagraphStyle("body", fontName=_FONT, fontSize=11, leading=17, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=15, leading=22, alignment=1)
    cell = ParagraphStyle("cell", parent=body, fontSize=10, leading=14)
    p = doc.projects[0]
    grid = target_grid(p)
    def wrap(text: str):
        # a long name wraps inside its cell, as Word does, instead of running over the next one
        return Paragraph(text, cell) if len(text) > 7 else text

    rows = [
        ["项目名称", wrap(p.name), "", ""],
        ["项目编码", p.code, "", ""],
        ["主管部门", wrap(doc.unit), "实施单位", wrap(doc.unit)],
        ["预算数", fmt_num(p.budget_initial), "其中：财政拨款", fmt_num(p.budget_initial)],
        ["年度绩效目标", Paragraph(f"{p.rename_note or ''}完成{p.name}各项任务，提升公共服务水平。", cell), "", ""],
        *[[Paragraph(c, cell) if len(c) > 12 else c for c in row] for row in grid],
    ]
    spans = [("SPAN", (1, 0), (3, 0)), ("SPAN", (1, 1), (3, 1)), ("SPAN", (1, 4), (3, 4))]
    first = 5
    for a, b in _level1_spans([list(map(str, r)) if i >= first else ["x"] for i, r in enumerate(rows)]):
        spans.append(("SPAN", (0, a), (0, b)))
    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.6, "black"), ("FONT", (0, 0), (-1, -1), _FONT, 10),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *spans])
    heading = f"{doc.year}年度{doc.unit}项目绩效目标表" if doc.year_is_explicit else f"{doc.unit}项目绩效目标表"
    story = [
        Paragraph(heading, title), Spacer(1, 8),
        Paragraph("单位：万元", body), Spacer(1, 6),
        Table(rows, colWidths=[80, 110, 171, 90], style=style), Spacer(1, 10),
        Paragraph(MARKER, body),
    ]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, invariant=1, title="绩效目标表", author="budgetperf synth").build(story)
    return buf.getvalue()


def render_office(doc: SynthDocument) -> bytes:
    return {"docx": render_docx, "xlsx": render_xlsx, "pdf": render_pdf}[doc.fmt](doc)
