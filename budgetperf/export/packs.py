"""Meeting packs: a page's charts as PNGs (one ZIP), an XLSX workbook and a PPTX deck.

PNGs are rendered server-side by kaleido 1.x in Debian's chromium. One export
browser is started on first use and kept (three tabs render in parallel); every
call goes through one lock, because kaleido's shared server hands results back
through a single queue and is not thread-safe: two sessions exporting at once
would otherwise get each other's images.

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
    """One chart as exported: a file-safe name, its Chinese title, the figure, the data
    behind it (columns already in Chinese display names), the source line and the
    filters it shows."""

    name: str
    title: str
    figure: go.Figure
    data: pd.DataFrame
    source_note: str = ""
    context: str = ""  # the filters and years the chart shows (its subtitle)


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
_TAGS = re.compile(r"<[^>]+>")


def chart_exports(items, labels: dict[str, str], source_note) -> list[ChartExport]:
    """`ChartExport`s for the figures a page showed: `items` are (export_name, fig, df)
    as recorded by the page; tables without a figure are skipped. `labels` maps query
    columns to Chinese headers (charts.LABELS); `source_note(df)` is the one source
    line (charts.source_line: document names or 「来源：N 份报告」)."""
    out = []
    for name, fig, df in items:
        if fig is None:
            continue
        title = _TAGS.sub(" ", (fig.layout.title.text or "")).strip() or name
        subtitle = fig.layout.title.subtitle.text if fig.layout.title.subtitle else ""
        data = pd.DataFrame()
        note = "来源：—"
        if df is not None:
            keep = [c for c in df.columns if c in labels and c not in _PLUMBING]
            data = df[keep].rename(columns=labels)
            note = source_note(df)
        out.append(ChartExport(name, title, fig, data, note, subtitle or ""))
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


def write_table_sheet(ws, title: str, notes: list[str], df: pd.DataFrame, header_row: int = _HEADER_ROW) -> None:
    """Fill one worksheet: the title, note lines under it, then `df` (headers already
    Chinese) from `header_row` with a styled frozen header, an autofilter, 万元 and
    percent number formats and column widths fitted to CJK text."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    df = df.reset_index(drop=True)
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    for row, note in enumerate(notes, start=2):
        ws.cell(row=row, column=1, value=note)
    for col, name in enumerate(df.columns, start=1):
        cell = ws.cell(row=header_row, column=col, value=str(name))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F5FA8")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(df.itertuples(index=False), start=header_row + 1):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=_cell_value(value))
    for c, name in enumerate(df.columns, start=1):
        fmt = _number_format(str(name))
        if fmt and pd.api.types.is_numeric_dtype(df[name]) and not pd.api.types.is_bool_dtype(df[name]):
            for r in range(header_row + 1, header_row + 1 + len(df)):
                ws.cell(row=r, column=c).number_format = fmt
        width = max([_display_width(name)] + [_display_width(_cell_value(v)) for v in df[name].tolist()[:500]])
        ws.column_dimensions[get_column_letter(c)].width = min(60, max(8, width + 2))
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


def build_xlsx(charts: list[ChartExport], filters_note: str, corrections: pd.DataFrame | None = None) -> bytes:
    """A workbook with one formatted sheet per chart and a native Excel chart of it.

    Each sheet (`write_table_sheet`): title, the filters and source on top, a frozen
    header with an autofilter, 万元/percent number formats, fitted column widths;
    then a bar chart of the numeric columns against the first text column. The
    figures are the store's, so corrected values are in them; `corrections`
    (`review/corrections` rows under the same filters) adds a 更正记录 sheet saying
    which values a person corrected, from what, and why.
    """
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for chart in charts:
        ws = wb.create_sheet(_sheet_title(chart.title, used))
        df = chart.data.reset_index(drop=True)
        write_table_sheet(ws, chart.title, [
            f"筛选条件：{filters_note}", f"{chart.source_note}（导出时间 {datetime.now():%Y-%m-%d %H:%M}）",
        ], df)
        numeric = [i for i, name in enumerate(df.columns, start=1) if _is_value_column(df[name], str(name))]
        labels = [i for i, name in enumerate(df.columns, start=1)
                  if not pd.api.types.is_numeric_dtype(df[name]) or pd.api.types.is_bool_dtype(df[name])]
        if numeric and len(df):
            bar = BarChart()
            bar.title = chart.title
            bar.height, bar.width = 9, 18
            for c in numeric[:4]:
                bar.add_data(Reference(ws, min_col=c, min_row=_HEADER_ROW, max_row=_HEADER_ROW + len(df)), titles_from_data=True)
            if labels:
                bar.set_categories(Reference(ws, min_col=labels[0], min_row=_HEADER_ROW + 1, max_row=_HEADER_ROW + len(df)))
            ws.add_chart(bar, f"{get_column_letter(len(df.columns) + 2)}{_HEADER_ROW}")
    if not charts:
        ws = wb.create_sheet("说明")
        ws["A1"] = "当前筛选下没有可导出的图表"
        ws["A2"] = f"筛选条件：{filters_note}"
    if corrections is not None and not corrections.empty:
        ws = wb.create_sheet(_sheet_title(CORRECTIONS_SHEET, used))
        write_table_sheet(ws, "人工更正记录", [
            f"筛选条件：{filters_note}",
            "以上各表中的数值已是更正后的数值；本表列出每处更正的原值、更正后的值、更正人和原因。"],
            corrections_table(corrections))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _is_value_column(series: pd.Series, name: str) -> bool:
    """Numbers to plot: not years, line numbers or flags."""
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return False
    return not (name.endswith("年度") or name in ("行号", "起始行", "结束行", "行数"))


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

def build_pptx(charts: list[ChartExport], pngs: list[bytes], filters_note: str, deck_title: str) -> bytes:
    """A 16:9 deck: a cover (title, filters, date), then one slide per chart.

    The chart's PNG already carries its title, the filters and years it shows and
    its one source line, so the slide is the picture alone, large, with no text
    box repeating them; the slide's notes hold the same words for search and for
    the presenter."""
    from pptx import Presentation
    from pptx.util import Emu, Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    cover = prs.slides.add_slide(blank)
    _textbox(cover, deck_title, Inches(0.8), Inches(2.6), Inches(11.7), Inches(1.2), Pt(36), bold=True)
    _textbox(cover, f"筛选条件：{filters_note}", Inches(0.8), Inches(3.9), Inches(11.7), Inches(0.8), Pt(16))
    _textbox(cover, f"{datetime.now():%Y 年 %m 月 %d 日}导出", Inches(0.8), Inches(4.6), Inches(11.7), Inches(0.6),
             Pt(14))
    margin = Inches(0.3)
    for chart, png in zip(charts, pngs):
        slide = prs.slides.add_slide(blank)
        width = prs.slide_width - 2 * margin
        height = Emu(int(width * PNG_HEIGHT / PNG_WIDTH))
        if height > prs.slide_height - 2 * margin:
            height = prs.slide_height - 2 * margin
            width = Emu(int(height * PNG_WIDTH / PNG_HEIGHT))
        slide.shapes.add_picture(io.BytesIO(png), int((prs.slide_width - width) / 2),
                                 int((prs.slide_height - height) / 2), width, height)
        slide.notes_slide.notes_text_frame.text = "\n".join(
            p for p in (chart.title, chart.context, chart.source_note) if p)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _textbox(slide, text, left, top, width, height, size, bold=False):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size = size
    run.font.bold = bold
    run.font.name = "Noto Sans CJK SC"
