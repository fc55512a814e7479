"""The same facts in many layouts: one project self-evaluation (its money block,
indicator table, total and grade) rendered as each of the table layouts real
reports arrive in, for the generality harness (`budgetperf.bench.generality`).

A layout changes how the facts are written, never the facts: every renderer
writes the same title, unit, year, money, indicator rows, total and grade, so
what extraction reads back can be scored against one truth (`rendered_truth`).

- text: markdown pipes, space-aligned columns, one cell per line (a Word table
  pasted as text), tab-separated, tab-separated with empty cells dropped (the
  columns shift), box-drawing characters (┌─┬─┐), a 二级指标 label wrapped onto
  the next row's line, a PDF text layer's word stream (names broken over lines,
  empty cells absent);
- Word: a plain table, level labels merged down their rows, the indicator table
  nested inside a cell of the form, the total and grade only in a text box;
- Excel: one sheet, indicators laid out across the columns (transposed), a
  summary sheet plus the project's own sheet;
- PDF: a ruled table, one breaking across pages with its header repeated, the
  score table on a page rotated 90°, the money block and the indicator table
  side by side.

Pure functions returning bytes; deterministic for the same facts.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from budgetperf.synth import MARKER
from budgetperf.synth.model import SynthIndicator, SynthProject, fmt_num
from budgetperf.synth.office import _stable_zip
from budgetperf.synth.text import aligned_table, flattened_table, pipe_table


@dataclass
class Facts:
    """What every layout writes: who, when, and one project."""

    unit: str
    year: int
    project: SynthProject
    region_name: str = ""
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------
# the truth a layout writes

def rendered_truth(facts: Facts, file: str) -> dict:
    """The answer-key document for a rendering: the fields every layout writes."""
    p = facts.project
    return {
        "file": file, "unit": facts.unit, "year": facts.year, "year_is_explicit": True,
        "projects": [{
            "name": p.name, "kind": p.kind, "code": None,
            "budget_initial": p.budget_initial, "budget_adjusted": p.budget_adjusted, "executed": p.executed,
            "execution_rate": p.execution_rate, "budget_weight": p.budget_weight, "budget_score": p.budget_score,
            "total_score": p.total_score, "grade": p.grade,
            "indicators": [{"level1": i.level1 or None, "level2": i.level2 or None, "name": i.name,
                            "target": i.target or None, "actual": i.actual or None, "weight": i.weight,
                            "score": i.score} for i in p.indicators],
        }],
    }


# ---------------------------------------------------------------------------
# grids

def title(facts: Facts) -> str:
    return f"{facts.year}年度{facts.unit}{facts.project.name}项目支出绩效自评表"


@dataclass(frozen=True)
class Style:
    """How values are written: amounts in 万元 (bare), in 元 with thousands
    separators, or with a 万元 suffix in the cell; weights and scores bare or
    with 分."""

    amounts: str = "wan"  # wan | yuan | wan_suffix
    points: str = "bare"  # bare | fen


PLAIN = Style()


def amount_text(wan: float | None, style: Style) -> str:
    if wan is None:
        return ""
    if style.amounts == "yuan":
        return f"{round(wan * 10000, 2):,.2f}"
    return fmt_num(wan) + ("万元" if style.amounts == "wan_suffix" else "")


def points_text(x: float | None, style: Style) -> str:
    return "" if x is None else fmt_num(x) + ("分" if style.points == "fen" else "")


def money_rows(p: SynthProject, style: Style = PLAIN) -> list[list[str]]:
    unit = "元" if style.amounts == "yuan" else "万元"
    return [[f"项目资金（{unit}）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["年度资金总额", amount_text(p.budget_initial, style), amount_text(p.budget_adjusted, style),
             amount_text(p.executed, style), points_text(p.budget_weight, style),
             f"{fmt_num(p.execution_rate)}%" if p.execution_rate is not None else "", points_text(p.budget_score, style)]]


INDICATOR_HEAD = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]


def indicator_rows(p: SynthProject, *, repeat_levels: bool = False, style: Style = PLAIN) -> list[list[str]]:
    """Header, one row per indicator (a level written once per group, as merged
    cells come out, unless `repeat_levels`), and the 总分 row."""
    rows = [list(INDICATOR_HEAD)]
    last1 = last2 = None
    for i in p.indicators:
        level1 = i.level1 if repeat_levels or i.level1 != last1 else ""
        level2 = i.level2 if repeat_levels or i.level2 != last2 or level1 else ""
        last1, last2 = i.level1, i.level2
        rows.append([level1 or "", level2 or "", i.name, i.target or "", i.actual or "", points_text(i.weight, style),
                     points_text(i.score, style)])
    rows.append(["总分", "", "", "", "", points_text(_total_weight(p), style), points_text(p.total_score, style)])
    return rows


def _total_weight(p: SynthProject) -> float | None:
    weights = [i.weight for i in p.indicators if i.weight is not None]
    if not weights:
        return None
    return round(sum(weights) + (p.budget_weight or 0), 4)


def form_rows(facts: Facts, style: Style = PLAIN, *, name_row: bool = True) -> list[list[str]]:
    """The whole self-evaluation form as one grid (name, unit, money, indicators, grade)."""
    p = facts.project
    rows = [["项目名称", p.name, "实施单位", facts.unit]] if name_row else []
    rows += [*money_rows(p, style), *indicator_rows(p, style=style)]
    if p.grade_as_written:
        rows.append(["评价等级", p.grade_as_written])
    return rows


def _padded(rows: list[list[str]]) -> list[list[str]]:
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def _text(facts: Facts, table: str) -> bytes:
    return "\n".join([title(facts), "", f"填报单位：{facts.unit}", "", table, "", MARKER, ""]).encode("utf-8")


# ---------------------------------------------------------------------------
# text layouts

def render_pipe(facts: Facts) -> bytes:
    return _text(facts, pipe_table(form_rows(facts)))


def render_pipe_yuan(facts: Facts) -> bytes:
    """Amounts in 元 with thousands separators (the money block's label says 元)."""
    return _text(facts, pipe_table(form_rows(facts, Style(amounts="yuan"))))


def render_pipe_wan_suffix(facts: Facts) -> bytes:
    """Amounts written with their unit in the cell (12.5万元) and points with 分."""
    return _text(facts, pipe_table(form_rows(facts, Style(amounts="wan_suffix", points="fen"))))


def render_name_line(facts: Facts) -> bytes:
    """The name on a line of its own that carries a second field
    (项目名称：X　　项目单位：Y), the table below without a name row."""
    p = facts.project
    head = f"项目名称：{p.name}　　项目单位：{facts.unit}"
    return "\n".join([title(facts), "", head, "", pipe_table(form_rows(facts, name_row=False)), "", MARKER, ""]
                     ).encode("utf-8")


def render_aligned(facts: Facts) -> bytes:
    return _text(facts, aligned_table(form_rows(facts)))


def render_cells(facts: Facts) -> bytes:
    return _text(facts, flattened_table(form_rows(facts)))


def render_tabs(facts: Facts) -> bytes:
    return _text(facts, "\n".join("\t".join(r) for r in _padded(form_rows(facts))))


def render_tabs_shifted(facts: Facts) -> bytes:
    """Tab-separated, empty cells dropped: where a merged level cell is blank the
    row's other cells move left (as text copied from some viewers comes out)."""
    return _text(facts, "\n".join("\t".join(c for c in r if c) for r in form_rows(facts)))


def render_boxdraw(facts: Facts) -> bytes:
    """A table drawn with box-drawing characters, columns padded by display width."""
    rows = _padded(form_rows(facts))
    widths = [max(_width(r[c]) for r in rows) + 2 for c in range(len(rows[0]))]

    def rule(left: str, mid: str, right: str) -> str:
        return left + mid.join("─" * w for w in widths) + right

    out = [rule("┌", "┬", "┐")]
    for k, row in enumerate(rows):
        out.append("│" + "│".join(" " + cell + " " * (w - 1 - _width(cell)) for cell, w in zip(row, widths)) + "│")
        out.append(rule("├", "┼", "┤") if k < len(rows) - 1 else rule("└", "┴", "┘"))
    return _text(facts, "\n".join(out))


def render_wrapped_level(facts: Facts) -> bytes:
    """Space-aligned, each 二级指标 label longer than four characters wrapped: its
    last two characters go down to the next line, beside the next indicator row
    when there is one (as a narrow column prints)."""
    rows = form_rows(facts)
    out: list[list[str]] = []
    carry = ""
    for row in rows:
        row = list(row)
        if len(row) == 7 and row[0] != "一级指标" and row[1] and len(row[1]) > 4 and row[0] != "总分":
            head, tail = row[1][:-2], row[1][-2:]
            row[1] = head
            if carry:
                out.append(["", carry] + [""] * 5)
            carry = tail
            out.append(row)
            continue
        if carry and len(row) == 7 and not row[1] and row[0] != "总分":
            row[1] = carry
            carry = ""
        elif carry:
            out.append(["", carry] + [""] * 5)
            carry = ""
        out.append(row)
    return _text(facts, aligned_table(out))


def render_word_stream(facts: Facts) -> bytes:
    """The indicator table as a PDF's text layer dumps it: the header's names
    separated by spaces, a group's level words on a line of their own, a long name
    broken every five characters onto lines of its own, the row's other cells on
    one line with the empty ones simply absent (the money block stays a table)."""
    p = facts.project
    lines = [" ".join(INDICATOR_HEAD), ""]
    last1 = last2 = None
    for i in p.indicators:
        levels = [x for x, last in ((i.level1, last1), (i.level2, last2)) if x and (x != last or i.level1 != last1)]
        last1, last2 = i.level1, i.level2
        if levels:
            lines += [" ".join(levels), ""]
        values = [c for c in (i.target, i.actual, points_text(i.weight, PLAIN), points_text(i.score, PLAIN)) if c]
        if len(i.name) > 6:
            for k in range(0, len(i.name), 5):
                lines += [i.name[k : k + 5], ""]
            lines += [" ".join(values), ""]
        else:
            lines += [" ".join([i.name, *values]), ""]
    total = [points_text(_total_weight(p), PLAIN), points_text(p.total_score, PLAIN)]
    lines += [" ".join(["总分", *[t for t in total if t]]), ""]
    if p.grade_as_written:
        lines += [f"评价等级：{p.grade_as_written}", ""]
    head = pipe_table([["项目名称", p.name, "实施单位", facts.unit], *money_rows(p)])
    return _text(facts, head + "\n\n" + "\n".join(lines))


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


# ---------------------------------------------------------------------------
# Word

def _docx_table(container, rows: list[list[str]]):
    rows = _padded(rows)
    table = container.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    return table


def _docx_bytes(d) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return _stable_zip(buf.getvalue())


def render_docx(facts: Facts) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(title(facts))
    d.add_paragraph(f"填报单位：{facts.unit}")
    _docx_table(d, form_rows(facts))
    d.add_paragraph(MARKER)
    return _docx_bytes(d)


def render_docx_merged(facts: Facts) -> bytes:
    """A Word table whose 一级指标 and 二级指标 cells are merged down over their
    group's rows (vertical merges), as the standard forms are drawn."""
    import docx

    d = docx.Document()
    d.add_paragraph(title(facts))
    d.add_paragraph(f"填报单位：{facts.unit}")
    rows = form_rows(facts)
    table = _docx_table(d, rows)
    first = next(k for k, r in enumerate(rows) if r and r[0] == "一级指标") + 1
    last = next(k for k, r in enumerate(rows) if r and r[0] == "总分") - 1
    for column in (0, 1):
        start = first
        for k in range(first + 1, last + 2):
            if k > last or rows[k][column]:
                if k - 1 > start:
                    table.cell(start, column).merge(table.cell(k - 1, column))
                start = k
    d.add_paragraph(MARKER)
    return _docx_bytes(d)


def render_docx_nested(facts: Facts) -> bytes:
    """A form whose cells hold further tables: the money block and the indicator
    table each sit inside one merged cell of an outer two-column table."""
    import docx

    p = facts.project
    d = docx.Document()
    d.add_paragraph(title(facts))
    outer = d.add_table(rows=4, cols=2)
    outer.style = "Table Grid"
    outer.cell(0, 0).text, outer.cell(0, 1).text = "项目名称", p.name
    outer.cell(1, 0).text, outer.cell(1, 1).text = "实施单位", facts.unit
    outer.cell(2, 0).text = "项目资金"
    _docx_table(outer.cell(2, 1), money_rows(p))
    outer.cell(3, 0).text = "绩效指标"
    _docx_table(outer.cell(3, 1), indicator_rows(p))
    if p.grade_as_written:
        d.add_paragraph(f"评价等级：{p.grade_as_written}")
    d.add_paragraph(MARKER)
    return _docx_bytes(d)


def render_docx_textbox(facts: Facts) -> bytes:
    """The total score and the grade only in a text box (a drawing shape), not in
    the table or the body text."""
    import docx
    from docx.oxml import parse_xml

    p = facts.project
    d = docx.Document()
    d.add_paragraph(title(facts))
    d.add_paragraph(f"填报单位：{facts.unit}")
    rows = form_rows(facts)
    rows = [r for r in rows if r[0] not in ("总分", "评价等级")]
    _docx_table(d, rows)
    words = f"自评总分：{fmt_num(p.total_score)}分" + (f"　评价等级：{p.grade_as_written}" if p.grade_as_written else "")
    anchor = d.add_paragraph()
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
          'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')
    run = parse_xml(
        f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" '
        'distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" '
        'allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0'
        '</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset>'
        '</wp:positionV><wp:extent cx="3000000" cy="400000"/><wp:wrapNone/><wp:docPr id="1" name="总分框"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="3000000" '
        'cy="400000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx>'
        f'<w:txbxContent><w:p><w:r><w:t>{words}</w:t></w:r></w:p></w:txbxContent></wps:txbx><wps:bodyPr/>'
        '</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice></mc:AlternateContent></w:r>')
    anchor._p.append(run)
    d.add_paragraph(MARKER)
    return _docx_bytes(d)


# ---------------------------------------------------------------------------
# Excel

def _workbook():
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    wb.properties.creator = "budgetperf synth"
    wb.properties.created = wb.properties.modified = dt.datetime(2024, 1, 1)
    return wb


def _put(ws, rows: list[list[str]], start: int = 1) -> None:
    for r, row in enumerate(rows, start=start):
        for c, text in enumerate(row, start=1):
            if text == "":
                continue
            try:
                value = float(text) if text.replace(".", "", 1).lstrip("-").isdigit() else text
            except ValueError:
                value = text
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value[:1] in "=+-@":
                cell.data_type = "s"


def _xlsx_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return _stable_zip(buf.getvalue())


def render_xlsx(facts: Facts) -> bytes:
    wb = _workbook()
    ws = wb.active
    ws.title = "自评表"
    _put(ws, [[title(facts)], [f"填报单位：{facts.unit}"], *form_rows(facts)])
    ws.cell(row=ws.max_row + 2, column=1, value=MARKER)
    return _xlsx_bytes(wb)


def render_xlsx_transposed(facts: Facts) -> bytes:
    """Indicators laid out across the columns: one row per field (一级指标, 二级指标,
    三级指标, 年度指标值, 实际完成值, 分值, 得分), one column per indicator."""
    p = facts.project
    wb = _workbook()
    ws = wb.active
    ws.title = "自评表"
    grid = indicator_rows(p, repeat_levels=True)
    header, body, total = grid[0], grid[1:-1], grid[-1]
    transposed = [[head] + [row[k] for row in body] for k, head in enumerate(header)]
    rows = [[title(facts)], ["项目名称", p.name, "实施单位", facts.unit], *money_rows(p), [], *transposed,
            ["总分", fmt_num(p.total_score)]]
    if p.grade_as_written:
        rows.append(["评价等级", p.grade_as_written])
    _put(ws, rows)
    ws.cell(row=ws.max_row + 2, column=1, value=MARKER)
    return _xlsx_bytes(wb)


def render_xlsx_sheets(facts: Facts) -> bytes:
    """A summary sheet (one line for the project: budget, executed, rate, score,
    grade, with a 合计 row) and the project's own sheet with its form: the same
    project twice in the workbook, to be read once."""
    p = facts.project
    wb = _workbook()
    summary = wb.active
    summary.title = "汇总"
    _put(summary, [[f"{facts.year}年度{facts.unit}项目支出绩效自评结果汇总表"],
                   ["序号", "项目名称", "预算数", "执行数", "执行率", "自评得分", "评价等级", "主管部门"],
                   ["1", p.name, fmt_num(p.budget_adjusted or p.budget_initial), fmt_num(p.executed),
                    f"{fmt_num(p.execution_rate)}%" if p.execution_rate is not None else "", fmt_num(p.total_score),
                    p.grade_as_written or "", facts.unit],
                   ["合计", "", fmt_num(p.budget_adjusted or p.budget_initial), fmt_num(p.executed)]])
    sheet = wb.create_sheet(p.name[:28] or "项目")
    _put(sheet, [[title(facts)], [f"填报单位：{facts.unit}"], *form_rows(facts)])
    sheet.cell(row=sheet.max_row + 2, column=1, value=MARKER)
    return _xlsx_bytes(wb)


# ---------------------------------------------------------------------------
# PDF

_FONT = "STSong-Light"


def _pdf_styles():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    body = ParagraphStyle("body", fontName=_FONT, fontSize=10, leading=15, wordWrap="CJK")
    return body, ParagraphStyle("cell", parent=body, fontSize=8, leading=11)


def _pdf_table(rows: list[list[str]], cell_style, widths=None):
    from reportlab.platypus import Paragraph, Table, TableStyle

    rows = _padded(rows)
    data = [[Paragraph(c, cell_style) if len(c) > 6 else c for c in row] for row in rows]
    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.6, "black"), ("FONT", (0, 0), (-1, -1), _FONT, 8),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    return Table(data, colWidths=widths, style=style)


def _pdf_build(story, pagesize, on_page=None) -> bytes:
    from reportlab.platypus import SimpleDocTemplate

    buf = io.BytesIO()
    template = SimpleDocTemplate(buf, pagesize=pagesize, invariant=1, title="绩效自评表", author="budgetperf synth",
                                 leftMargin=30, rightMargin=30)
    if on_page:
        template.build(story, onFirstPage=on_page, onLaterPages=on_page)
    else:
        template.build(story)
    return buf.getvalue()


def render_pdf(facts: Facts) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, Spacer

    body, cell = _pdf_styles()
    story = [Paragraph(title(facts), body), Paragraph(f"填报单位：{facts.unit}", body), Spacer(1, 6),
             _pdf_table(form_rows(facts), cell), Spacer(1, 6), Paragraph(MARKER, body)]
    return _pdf_build(story, A4)


def render_pdf_pages(facts: Facts) -> bytes:
    """The indicator table breaking across two pages, its header row repeated at
    the top of the second (the money block and a long note fill the first page)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, Spacer

    body, cell = _pdf_styles()
    p = facts.project
    rows = indicator_rows(p)
    indicators = _pdf_table(rows, cell)
    indicators.repeatRows = 1
    head = [["项目名称", p.name, "实施单位", facts.unit], *money_rows(p)]
    story = [Paragraph(title(facts), body), Paragraph(f"填报单位：{facts.unit}", body), Spacer(1, 6),
             _pdf_table(head, cell), Spacer(1, A4[1] - 320), indicators]  # room for three rows
    if p.grade_as_written:
        story.append(Paragraph(f"评价等级：{p.grade_as_written}", body))
    story += [Spacer(1, 6), Paragraph(MARKER, body)]
    return _pdf_build(story, A4)


def render_pdf_rotated(facts: Facts) -> bytes:
    """The whole form on a landscape page stored as a portrait page turned 90°
    (the page's /Rotate is 90), as scanners and some exporters leave it."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import Paragraph, Spacer

    body, cell = _pdf_styles()
    story = [Paragraph(title(facts), body), Paragraph(f"填报单位：{facts.unit}", body), Spacer(1, 6),
             _pdf_table(form_rows(facts), cell), Spacer(1, 6), Paragraph(MARKER, body)]
    return _pdf_build(story, landscape(A4), on_page=lambda canvas, _doc: canvas.setPageRotation(90))


def render_pdf_side(facts: Facts) -> bytes:
    """Two tables side by side on one page: the name and money block on the left,
    the indicator table on the right."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import Paragraph, Spacer, Table

    body, cell = _pdf_styles()
    p = facts.project
    left_rows = [["项目名称", p.name], ["实施单位", facts.unit]]
    money = money_rows(p)
    left_rows += [[h, v] for h, v in zip(money[0], money[1])]
    if p.grade_as_written:
        left_rows.append(["评价等级", p.grade_as_written])
    left = _pdf_table(left_rows, cell, widths=[80, 110])
    right = _pdf_table(indicator_rows(p), cell, widths=[52, 60, 110, 70, 70, 34, 34])
    layout = Table([[left, right]], colWidths=[205, 470])
    story = [Paragraph(title(facts), body), Spacer(1, 6), layout, Spacer(1, 6), Paragraph(MARKER, body)]
    return _pdf_build(story, landscape(A4))


# ---------------------------------------------------------------------------
# many projects in one document

@dataclass
class ManyFacts:
    """A unit's list of projects: names with their money, scores and grades."""

    unit: str
    year: int
    projects: list[SynthProject]


def _budget(p: SynthProject) -> float | None:
    return p.budget_adjusted if p.budget_adjusted is not None else p.budget_initial


def many_truth(facts: ManyFacts, file: str, *, with_results: bool) -> dict:
    """The answer-key document of a list: each project's name and the one budget the
    list gives (and, for a results list, executed, rate, score and grade)."""
    projects = []
    for p in facts.projects:
        entry = {"name": p.name, "kind": "evaluation", "budget_initial": _budget(p), "indicators": []}
        if with_results:
            entry.update(executed=p.executed, execution_rate=p.execution_rate, total_score=p.total_score,
                         grade=p.grade)
        projects.append(entry)
    return {"file": file, "unit": facts.unit, "year": facts.year, "year_is_explicit": True, "projects": projects}


def render_results_list(facts: ManyFacts) -> bytes:
    """An Excel list of evaluation results: one project per row (budget, executed,
    rate, score, grade, 主管部门) and a 合计 row."""
    wb = _workbook()
    ws = wb.active
    ws.title = "评价结果"
    rows = [[f"{facts.year}年度{facts.unit}项目支出绩效评价结果汇总表"], [f"填报单位：{facts.unit}"],
            ["序号", "项目名称", "主管部门", "预算数（万元）", "执行数（万元）", "执行率", "自评得分", "评价等级"]]
    for k, p in enumerate(facts.projects, start=1):
        rows.append([str(k), p.name, facts.unit, fmt_num(_budget(p)), fmt_num(p.executed),
                     f"{fmt_num(p.execution_rate)}%" if p.execution_rate is not None else "",
                     fmt_num(p.total_score), p.grade_as_written or ""])
    total_budget = sum(_budget(p) or 0 for p in facts.projects)
    total_executed = sum(p.executed or 0 for p in facts.projects)
    rows.append(["合计", "", "", fmt_num(round(total_budget, 4)), fmt_num(round(total_executed, 4)), "", "", ""])
    _put(ws, rows)
    ws.cell(row=ws.max_row + 2, column=1, value=MARKER)
    return _xlsx_bytes(wb)


def render_appendix(facts: ManyFacts) -> bytes:
    """A unit's report whose appendix lists its projects with their amounts (a
    numbered table and a 合计 row)."""
    total = round(sum(_budget(p) or 0 for p in facts.projects), 4)
    rows = [["序号", "项目名称", "预算金额（万元）"]]
    rows += [[str(k), p.name, fmt_num(_budget(p))] for k, p in enumerate(facts.projects, start=1)]
    rows.append(["合计", "", fmt_num(total)])
    text = [f"{facts.unit}{facts.year}年度项目支出绩效自评报告", "",
            "一、基本情况",
            f"{facts.year}年，我单位共安排项目{len(facts.projects)}个，预算合计{fmt_num(total)}万元，项目明细见附件。", "",
            "二、自评结论", "各项目均按计划实施，绩效目标基本完成。", "",
            "附件：项目明细", "", pipe_table(rows), "", MARKER, ""]
    return "\n".join(text).encode("utf-8")


# ---------------------------------------------------------------------------
# target tables (绩效目标表): planned targets, no results

def target_truth(facts: Facts, file: str) -> dict:
    """The answer-key document of a target table: the project's budget and each
    indicator's levels, name and annual target."""
    p = facts.project
    return {"file": file, "unit": facts.unit, "year": facts.year, "year_is_explicit": True,
            "projects": [{"name": p.name, "kind": "target", "budget_initial": _budget(p),
                          "indicators": [{"level1": i.level1 or None, "level2": i.level2 or None, "name": i.name,
                                          "target": i.target or None, "actual": None, "weight": None, "score": None}
                                         for i in p.indicators]}]}


def _target_head(facts: Facts) -> list[str]:
    p = facts.project
    return [f"{facts.year}年度{facts.unit}项目支出绩效目标表", "", f"项目名称：{p.name}",
            f"填报单位：{facts.unit}", f"预算数：{fmt_num(_budget(p))}万元", ""]


def render_target_midterm(facts: Facts) -> bytes:
    """A target table with a 中期 (multi-year) target column beside the 年度 one."""
    rows = [["一级指标", "二级指标", "三级指标", "中期指标值", "年度指标值"]]
    last = None
    for i in facts.project.indicators:
        rows.append([i.level1 if i.level1 != last else "", i.level2, i.name, f"三年累计{i.target}" if i.target else "",
                     i.target or ""])
        last = i.level1
    return "\n".join([*_target_head(facts), pipe_table(rows), "", MARKER, ""]).encode("utf-8")


def render_target_regions(facts: Facts) -> bytes:
    """A target table with a column per region beside the total (合计) the target is."""
    rows = [["一级指标", "二级指标", "三级指标", "合计", "甲镇", "乙镇", "丙镇"]]
    last = None
    for i in facts.project.indicators:
        rows.append([i.level1 if i.level1 != last else "", i.level2, i.name, i.target or "", "按分配", "按分配", "按分配"])
        last = i.level1
    return "\n".join([*_target_head(facts), pipe_table(rows), "", MARKER, ""]).encode("utf-8")


TARGET_LAYOUTS: dict[str, tuple[str, Callable[[Facts], bytes]]] = {
    "target_midterm": (".txt", render_target_midterm),
    "target_regions": (".txt", render_target_regions),
}


MANY_LAYOUTS: dict[str, tuple[str, Callable[[ManyFacts], bytes], bool]] = {
    "results_list": (".xlsx", render_results_list, True),
    "appendix": (".txt", render_appendix, False),
}

# ---------------------------------------------------------------------------

LAYOUTS: dict[str, tuple[str, Callable[[Facts], bytes]]] = {
    "pipe": (".txt", render_pipe),
    "pipe_yuan": (".txt", render_pipe_yuan),
    "pipe_wan_suffix": (".txt", render_pipe_wan_suffix),
    "name_line": (".txt", render_name_line),
    "aligned": (".txt", render_aligned),
    "cells": (".txt", render_cells),
    "tabs": (".txt", render_tabs),
    "tabs_shifted": (".txt", render_tabs_shifted),
    "boxdraw": (".txt", render_boxdraw),
    "wrapped_level": (".txt", render_wrapped_level),
    "word_stream": (".txt", render_word_stream),
    "docx": (".docx", render_docx),
    "docx_nested": (".docx", render_docx_nested),
    "docx_merged": (".docx", render_docx_merged),
    "docx_textbox": (".docx", render_docx_textbox),
    "xlsx": (".xlsx", render_xlsx),
    "xlsx_transposed": (".xlsx", render_xlsx_transposed),
    "xlsx_sheets": (".xlsx", render_xlsx_sheets),
    "pdf": (".pdf", render_pdf),
    "pdf_pages": (".pdf", render_pdf_pages),
    "pdf_rotated": (".pdf", render_pdf_rotated),
    "pdf_side": (".pdf", render_pdf_side),
}


def zip_names(data: bytes) -> list[str]:  # a helper for tests of the office renderers
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.namelist()


__all__ = ["LAYOUTS", "MANY_LAYOUTS", "TARGET_LAYOUTS", "target_truth", "Facts", "ManyFacts", "SynthIndicator", "SynthProject", "many_truth",
           "rendered_truth"]
