"""Meeting packs: a page's charts as PNGs (one ZIP), an XLSX workbook and a PPTX deck.

PNGs are rendered server-side by kaleido 1.x in Debian's chromium. One export
browser is started on first use and kept (three tabs render in parallel); every
call goes through one lock, because kaleido's shared server hands results back
through a single queue and is not thread-safe: two sessions exporting at once
would otherwise get each other's images.

Every cell is written through `write_cell`: a report's or a user's words are
text, never a formula (OWASP CSV injection: ``=HYPERLINK(…)`` and the ``+``, ``-``,
``@`` leaders), in every workbook this program writes (the 导出 pack, a table's
XLSX, the 修改记录 export) and in every CSV (`build_csv`).

Pure of streamlit: the app's 导出 panel and the CLI call these functions.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import tempfile
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go

from budgetperf import settings
from budgetperf.charts.safe import plain
from budgetperf.errors import UserError

PNG_WIDTH, PNG_HEIGHT, PNG_SCALE = 960, 540, 2
INSTALL_HINT_ZH = (
    "服务器暂时不能批量生成图片（缺少 Chromium 浏览器组件），请联系数据管理员安装。"
    "在此之前，每张图右上角工具栏的相机按钮仍可直接下载单张 PNG，XLSX 导出也不受影响。"
)
INSTALL_HINT_EN = "chromium not found: install it with `apt-get install -y chromium fonts-noto-cjk` or set BUDGETPERF_CHROMIUM"


class ChromiumMissingError(UserError):
    """PNG rendering needs a Chromium the server does not have."""

    def __init__(self) -> None:
        super().__init__(INSTALL_HINT_EN, INSTALL_HINT_ZH)


@dataclass(frozen=True)
class ChartExport:
    """One chart as exported: a file-safe name, its Chinese title (plain text), the
    figure, the data behind it (columns already in Chinese display names), the source
    line, the filters it shows (plain text, one item a line) and what it draws
    (`charts.export_table`: categories and series in one unit; None for a figure
    built without one)."""

    name: str
    title: str
    figure: go.Figure
    data: pd.DataFrame
    source_note: str = ""
    context: str = ""  # the filters and years the chart shows (its subtitle)
    table: dict | None = None


@dataclass(frozen=True)
class Summary:
    """A page's headline and key figures, for the deck's second slide: the sentence
    and (label, value, change) per KPI card; `notes` go to that slide's speaker
    notes (on 总览: the reports' own explanations of the regions and projects it
    flags, for whoever presents the slide)."""

    headline: str
    figures: tuple[tuple[str, str, str], ...] = ()
    notes: tuple[str, ...] = ()


_UNSAFE = re.compile(r'[\\/:*?"<>|\s\[\]]+')


def export_filename(page: str, chart: str, regions: list[str] | None, years: list[int] | None, ext: str = "") -> str:
    """A meaningful, file-system safe name: 预算执行_执行率_甲县-乙市_2021.png."""
    region_part = "-".join(regions) if regions else "全部地区"
    year_part = "-".join(str(y) for y in sorted(years)) if years else "全部年度"
    name = _UNSAFE.sub("_", f"{page}_{chart}_{region_part}_{year_part}").strip("_")
    return f"{name[:120]}.{ext}" if ext else name[:120]


# Query columns that are plumbing, not figures a meeting wants to see.
_PLUMBING = {"line_start", "line_end", "snippet", "year_line", "files", "doc_kinds", "doc_id", "project_id",
             "check_id", "customdata"}


def chart_exports(items, labels: dict[str, str], source_note) -> list[ChartExport]:
    """`ChartExport`s for the figures a page showed: `items` are (export_name, fig, df)
    as recorded by the page; tables without a figure are skipped. `labels` maps query
    columns to Chinese headers (charts.LABELS); `source_note(df)` is the one source
    line (charts.source_line: document names or 「来源：N 份报告」)."""
    out = []
    for name, fig, df in items:
        if fig is None:
            continue
        title = plain(fig.layout.title.text or "") or name
        subtitle = plain(fig.layout.title.subtitle.text if fig.layout.title.subtitle else "", line_break="\n")
        # the colour key's squares are drawn marks, not words
        subtitle = "\n".join(line for line in subtitle.splitlines() if not line.startswith("■"))
        data = pd.DataFrame()
        note = "来源：—"
        if df is not None:
            keep = [c for c in df.columns if c in labels and c not in _PLUMBING]
            data = df[keep].rename(columns=labels)
            note = source_note(df)
        meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
        out.append(ChartExport(name, title, fig, data, note, subtitle, meta.get("table")))
    return out


# ---------------------------------------------------------------------------
# PNG via kaleido

_RENDER_LOCK = threading.Lock()
_browser_started = False


def chromium_path() -> str | None:
    """The export browser if it exists (setting BUDGETPERF_CHROMIUM, or on PATH)."""
    configured = settings.get("BUDGETPERF_CHROMIUM")
    if configured and os.path.isfile(configured) and os.access(configured, os.X_OK):
        return configured
    return shutil.which(configured or "chromium") or shutil.which("chromium")


def is_export_browser_running() -> bool:
    return _browser_started


def start_export_browser() -> None:
    """Start the shared kaleido server (idempotent). MathJax is off: it would be
    fetched from a CDN, and the server has no internet."""
    global _browser_started
    import kaleido

    path = chromium_path()
    if path is None:
        raise ChromiumMissingError()
    if not _browser_started:
        kaleido.start_sync_server(n=3, path=path, mathjax=False, timeout=60, silence_warnings=True)
        _browser_started = True


def stop_export_browser() -> None:
    global _browser_started
    import kaleido

    with _RENDER_LOCK:
        if _browser_started:
            kaleido.stop_sync_server(silence_warnings=True)
            _browser_started = False


# Rendered PNGs by figure content: a ZIP then a PPTX of the same page, or several
# people exporting the same view, render each figure once. Bounded (~100 KB each).
_PNG_CACHE: OrderedDict[str, bytes] = OrderedDict()
_PNG_CACHE_SIZE = 64


def _figure_key(figure: go.Figure, scale: int) -> str:
    payload = figure.to_json() + f"|{scale}|{PNG_WIDTH}x{PNG_HEIGHT}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def clear_png_cache() -> None:
    with _RENDER_LOCK:
        _PNG_CACHE.clear()


def render_pngs(charts: list[ChartExport], scale: int = PNG_SCALE) -> list[bytes]:
    """All charts as PNG bytes; figures not rendered before go in one batch through
    one browser session."""
    import kaleido

    if not charts:
        return []
    keys = [_figure_key(chart.figure, scale) for chart in charts]
    with _RENDER_LOCK, tempfile.TemporaryDirectory(prefix="budgetperf-png-") as tmp:
        missing = {key: chart for key, chart in zip(keys, charts) if key not in _PNG_CACHE}
        if missing:
            start_export_browser()
            jobs = [
                {"fig": chart.figure, "path": os.path.join(tmp, f"{i:02d}.png"),
                 "opts": {"format": "png", "scale": scale, "width": PNG_WIDTH, "height": PNG_HEIGHT}}
                for i, chart in enumerate(missing.values())
            ]
            kaleido.write_fig_from_object_sync(jobs)
            for key, job in zip(missing, jobs):
                with open(job["path"], "rb") as fh:
                    _PNG_CACHE[key] = fh.read()
        out = []
        for key in keys:
            _PNG_CACHE.move_to_end(key)
            out.append(_PNG_CACHE[key])
        while len(_PNG_CACHE) > _PNG_CACHE_SIZE:
            _PNG_CACHE.popitem(last=False)
        return out


def build_zip(charts: list[ChartExport], pngs: list[bytes], prefix: str) -> bytes:
    """One ZIP holding one PNG per chart, named `<prefix>_<nn>_<chart>.png`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:  # PNG is compressed already
        for i, (chart, png) in enumerate(zip(charts, pngs), start=1):
            zf.writestr(f"{prefix}_{i:02d}_{_UNSAFE.sub('_', chart.name)}.png", png)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# cells: text is text, never a formula

# What a spreadsheet takes as the start of a formula (OWASP CSV injection).
FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r")


def write_cell(ws, row: int, column: int, value):
    """Write one cell, the one way this module does: numbers, dates and booleans as
    themselves; every string as a string, never a formula (openpyxl would store
    ``=…`` as one), with Excel's quote prefix when it starts like a formula, so
    editing the cell keeps it text."""
    value = _cell_value(value)
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_LEADERS):
            cell.quotePrefix = True
    return cell


def csv_text(value) -> str:
    """A CSV field's text: a string that starts like a formula gets a leading ``'``
    (a CSV has no cell types: the quote is how a spreadsheet is told it is text)."""
    value = _cell_value(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_LEADERS) else value
    return str(value)


def build_csv(df: pd.DataFrame) -> bytes:
    """A table as CSV for a spreadsheet: UTF-8 with a byte-order mark (Excel reads the
    Chinese), headers as given, numbers as numbers, text never a formula."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_text(str(c)) for c in df.columns])
    for row in df.itertuples(index=False):
        writer.writerow([csv_text(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# ---------------------------------------------------------------------------
# XLSX via openpyxl

_HEADER_ROW = 4


def _number_format(column: str) -> str | None:
    if "万元" in column:
        return '#,##0.00" 万元"'
    if "%" in column or "率" in column:
        return '0.00"%"'
    if "分" in column or "得分" in column or "分值" in column:
        return "0.0"
    return None


def _display_width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", title)[:28] or "图表"
    name, k = base, 2
    while name in used:
        name = f"{base[:26]}{k}"
        k += 1
    used.add(name)
    return name


def _header(cell) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    cell.font = Font(bold=True, color="FFFFFF")
    cell.fill = PatternFill("solid", fgColor="1F5FA8")
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _write_frame(ws, df: pd.DataFrame, header_row: int, *, first_column: int = 1) -> None:
    """`df` from `header_row` (styled header), number formats by column name, widths
    fitted to CJK text (never narrower than a column already is)."""
    from openpyxl.utils import get_column_letter

    df = df.reset_index(drop=True)
    for col, name in enumerate(df.columns, start=first_column):
        _header(write_cell(ws, header_row, col, str(name)))
    for r, row in enumerate(df.itertuples(index=False), start=header_row + 1):
        for c, value in enumerate(row, start=first_column):
            write_cell(ws, r, c, value)
    for c, name in enumerate(df.columns, start=first_column):
        fmt = _number_format(str(name))
        if fmt and pd.api.types.is_numeric_dtype(df[name]) and not pd.api.types.is_bool_dtype(df[name]):
            for r in range(header_row + 1, header_row + 1 + len(df)):
                ws.cell(row=r, column=c).number_format = fmt
        width = max([_display_width(name)] + [_display_width(_cell_value(v)) for v in df[name].tolist()[:500]])
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, min(60, max(8, width + 2)))


def write_table_sheet(ws, title: str, notes: list[str], df: pd.DataFrame, header_row: int = _HEADER_ROW) -> None:
    """Fill one worksheet: the title, note lines under it, then `df` (headers already
    Chinese) from `header_row` with a styled frozen header, an autofilter, 万元 and
    percent number formats and column widths fitted to CJK text."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    df = df.reset_index(drop=True)
    write_cell(ws, 1, 1, title).font = Font(bold=True, size=14)
    for row, note in enumerate(notes, start=2):
        write_cell(ws, row, 1, note)
    _write_frame(ws, df, header_row)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if len(df.columns) and len(df):
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(df.columns))}{header_row + len(df)}"


def build_table_xlsx(df: pd.DataFrame, *, sheet: str, title: str, filters_note: str) -> bytes:
    """A one-sheet workbook of a table (no chart): a findings list, an indicator list."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\[\]:*?/\\]", "", sheet)[:31] or "表"
    # Row 4 stays blank between the notes and the table.
    write_table_sheet(ws, title, [f"筛选条件：{filters_note}", f"导出时间：{datetime.now():%Y-%m-%d %H:%M}"], df,
                      header_row=5)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# The 更正记录 sheet: review/corrections columns → Chinese headers.
CORRECTION_COLUMNS = {
    "made_at": "时间", "editor": "编辑", "doc_name": "文档", "file": "文件", "project_name": "项目",
    "indicator_name": "指标", "label_zh": "字段", "extracted_value": "原值（抽取）", "new_value": "更正后",
    "reason": "原因",
}
CORRECTIONS_SHEET = "更正记录"


def corrections_table(rows: pd.DataFrame | None) -> pd.DataFrame:
    """`review/corrections` rows as the 更正记录 sheet shows them."""
    if rows is None or rows.empty:
        return pd.DataFrame(columns=list(CORRECTION_COLUMNS.values()))
    return rows[[c for c in CORRECTION_COLUMNS if c in rows]].rename(columns=CORRECTION_COLUMNS)


def chart_frame(table: dict) -> pd.DataFrame:
    """A chart's `export_table` as the rows its native chart reads: the category
    column (what the chart's axis names) and one column per series, each headed
    with the unit (「预算（万元）」)."""
    unit = table.get("unit") or ""
    columns = {table.get("category") or "类别": table["categories"]}
    for series in table["series"]:
        columns[f"{series['name']}（{unit}）" if unit else series["name"]] = series["values"]
    return pd.DataFrame(columns)


def _native_chart(ws, table: dict, header_row: int, rows: int, anchor: str, title: str):
    """The native Excel chart of what the figure draws: categories from the first
    column (display names), the series beside it, one unit on the value axis; a
    heatmap's grid gets a colour scale on its cells instead."""
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.chart.data_source import AxDataSource, StrRef
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.utils import get_column_letter

    n_series = len(table["series"])
    if not rows or not n_series:
        return None
    if table.get("kind") == "grid":
        cells = f"B{header_row + 1}:{get_column_letter(1 + n_series)}{header_row + rows}"
        ws.conditional_formatting.add(cells, ColorScaleRule(start_type="min", start_color="F2B8B5", mid_type="percentile",
                                                            mid_value=50, mid_color="FFF3C4", end_type="max",
                                                            end_color="8BC34A"))
        return None
    kind = table.get("kind")
    chart = LineChart() if kind == "line" else BarChart()
    if kind != "line":
        chart.type = "bar" if kind == "barh" else "col"
        chart.grouping = "clustered"
        chart.overlap = -10
    chart.title = title
    chart.y_axis.title = table.get("unit") or ""
    chart.x_axis.title = table.get("category") or ""
    chart.height, chart.width = 9 + (0.35 * rows if kind == "barh" else 0), 18
    data = Reference(ws, min_col=2, max_col=1 + n_series, min_row=header_row, max_row=header_row + rows)
    chart.add_data(data, titles_from_data=True)
    # the categories are words: a string reference (openpyxl's set_categories makes
    # a numeric one, which Excel may show as 1, 2, 3)
    categories = Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + rows)
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(categories)))
    if kind == "barh":
        chart.x_axis.scaling.orientation = "maxMin"  # the first category on top, as on screen
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    ws.add_chart(chart, anchor)
    return chart


def build_workbook(charts: list[ChartExport], filters_note: str, corrections: pd.DataFrame | None = None):
    """The 导出 workbook (openpyxl, unsaved): one sheet per chart, then 更正记录.

    Each chart's sheet: its title, the filters and the source on top; then the
    table the chart draws (`ChartExport.table`: its categories as a reader sees
    them, never file names; one column per series, all in the one unit of the
    value axis; bands and plan dates labelled as on screen) with the native Excel
    chart of it beside; then every row of the data behind it (明细). A chart built
    without a table gets its data alone. The figures are the store's, so corrected
    values are in them; `corrections` (`review/corrections` rows under the same
    filters) adds a 更正记录 sheet saying which values a person corrected, from
    what, and why."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    stamp = f"{datetime.now():%Y-%m-%d %H:%M}"
    for chart in charts:
        ws = wb.create_sheet(_sheet_title(chart.title, used))
        detail = chart.data.reset_index(drop=True)
        notes = [f"筛选条件：{filters_note}", f"{chart.source_note}（导出时间 {stamp}）"]
        if not chart.table:
            write_table_sheet(ws, chart.title, notes, detail)
            continue
        drawn = chart_frame(chart.table)
        write_cell(ws, 1, 1, chart.title).font = Font(bold=True, size=14)
        for row, note in enumerate(notes, start=2):
            write_cell(ws, row, 1, note)
        _write_frame(ws, drawn, _HEADER_ROW)
        ws.freeze_panes = ws.cell(row=_HEADER_ROW + 1, column=1)
        _native_chart(ws, chart.table, _HEADER_ROW, len(drawn), f"{get_column_letter(len(drawn.columns) + 2)}"
                      f"{_HEADER_ROW}", chart.title)
        if not detail.empty:
            # below the chart (about 20 rows tall) and the drawn table, whichever is longer
            start = _HEADER_ROW + max(len(drawn), 20) + 3
            write_cell(ws, start - 1, 1, f"明细（{len(detail):,} 行）").font = Font(bold=True)
            _write_frame(ws, detail, start)
            ws.auto_filter.ref = f"A{start}:{get_column_letter(len(detail.columns))}{start + len(detail)}"
    if not charts:
        ws = wb.create_sheet("说明")
        write_cell(ws, 1, 1, "当前筛选下没有可导出的图表")
        write_cell(ws, 2, 1, f"筛选条件：{filters_note}")
    if corrections is not None and not corrections.empty:
        ws = wb.create_sheet(_sheet_title(CORRECTIONS_SHEET, used))
        write_table_sheet(ws, "人工更正记录", [
            f"筛选条件：{filters_note}",
            "以上各表中的数值已是更正后的数值；本表列出每处更正的原值、更正后的值、更正人和原因。"],
            corrections_table(corrections))
    return wb


def build_xlsx(charts: list[ChartExport], filters_note: str, corrections: pd.DataFrame | None = None) -> bytes:
    """`build_workbook`, saved."""
    buffer = io.BytesIO()
    build_workbook(charts, filters_note, corrections).save(buffer)
    return buffer.getvalue()


def _cell_value(value):
    """A DataFrame value as openpyxl accepts it: lists joined (DuckDB list columns),
    missing values empty, numpy scalars and timestamps as Python objects."""
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and getattr(value, "ndim", 0) == 1):
        return "、".join(map(str, list(value)))
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
        return None if isinstance(value, float) and pd.isna(value) else value
    return value


# ---------------------------------------------------------------------------
# PPTX via python-pptx

_TITLE_ONLY, _TITLE_SLIDE = 5, 0  # layouts of python-pptx's default template


def _place_title(slide, prs, top, height, size):
    from pptx.util import Inches, Pt

    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(0.5), top, prs.slide_width - Inches(1.0), height
    for paragraph in title.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.name = "Noto Sans CJK SC"
    return title


def build_pptx(charts: list[ChartExport], pngs: list[bytes], filters_note: str, deck_title: str,
               summary: Summary | None = None) -> bytes:
    """A 16:9 deck: a cover (title, filters, date); the page's headline and key
    figures (`summary`, when the page has them); then one slide per chart.

    Every slide has a real title placeholder (a screen reader, the outline view and
    a deck's table of contents read it): the chart's title above its picture. The
    picture carries the filters, years and source as well; the slide's notes hold
    the same words as plain text, one item a line (never markup)."""
    from pptx import Presentation
    from pptx.util import Emu, Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    cover = prs.slides.add_slide(prs.slide_layouts[_TITLE_SLIDE])
    cover.shapes.title.text = plain(deck_title)
    _place_title(cover, prs, Inches(2.3), Inches(1.4), 36)
    subtitle = cover.placeholders[1]
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = (Inches(0.8), Inches(3.9), prs.slide_width
                                                                    - Inches(1.6), Inches(1.4))
    subtitle.text = f"筛选条件：{plain(filters_note)}\n{datetime.now():%Y 年 %m 月 %d 日}导出"
    if summary is not None:
        _summary_slide(prs, summary, filters_note)
    title_height = Inches(0.9)
    margin = Inches(0.3)
    for chart, png in zip(charts, pngs):
        slide = prs.slides.add_slide(prs.slide_layouts[_TITLE_ONLY])
        slide.shapes.title.text = chart.title
        _place_title(slide, prs, Inches(0.15), title_height, 24)
        room_top = Inches(0.15) + title_height
        width = prs.slide_width - 2 * margin
        height = Emu(int(width * PNG_HEIGHT / PNG_WIDTH))
        if height > prs.slide_height - room_top - margin:
            height = prs.slide_height - room_top - margin
            width = Emu(int(height * PNG_WIDTH / PNG_HEIGHT))
        slide.shapes.add_picture(io.BytesIO(png), int((prs.slide_width - width) / 2), int(room_top), width, height)
        slide.notes_slide.notes_text_frame.text = "\n".join(
            p for p in (chart.title, chart.context, chart.source_note) if p)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _summary_slide(prs, summary: Summary, filters_note: str) -> None:
    """The headline as the slide's title, the key figures as a table under it."""
    from pptx.util import Inches, Pt

    slide = prs.slides.add_slide(prs.slide_layouts[_TITLE_ONLY])
    slide.shapes.title.text = plain(summary.headline)
    _place_title(slide, prs, Inches(0.3), Inches(1.5), 26)
    figures = [f for f in summary.figures if f[1]]
    if figures:
        rows, cols = len(figures) + 1, 3
        shape = slide.shapes.add_table(rows, cols, Inches(0.8), Inches(2.0), prs.slide_width - Inches(1.6),
                                       Inches(0.45) * rows)
        table = shape.table
        for c, head in enumerate(("关键数据", "数值", "同比")):
            table.cell(0, c).text = head
        for r, (label, value, change) in enumerate(figures, start=1):
            for c, text in enumerate((label, value, change or "—")):
                table.cell(r, c).text = plain(text)
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(16)
                        run.font.name = "Noto Sans CJK SC"
    slide.notes_slide.notes_text_frame.text = "\n".join(
        [plain(summary.headline), *(f"{plain(a)}：{plain(b)}" + (f"（{plain(c)}）" if c else "")
                                    for a, b, c in figures), f"筛选条件：{plain(filters_note)}",
         # report text is already plain: kept as written (plain() would drop a "<…>")
         *(["报告中的说明：", *map(str, summary.notes)] if summary.notes else [])])
