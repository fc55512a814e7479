"""Legacy office files: Excel 97-2003 (.xls) read natively; Word 97-2003 (.doc),
WPS 文字 (.wps) and WPS 表格 (.et) converted by LibreOffice, then read by the
.docx/.xlsx readers, so their tables and merged cells reach the parsers as the
newer formats' do.

- .xls: xlrd with formatting info, which gives the merged ranges and the number
  formats (so a cell formatted 0.00% holding 0.985 reads 98.5%, as `xlsx` renders
  it). Hidden sheets are skipped. A WPS .et saved in the Excel 97 format reads the
  same way; other .et files go through LibreOffice.
- .doc/.wps (and .et xlrd cannot open): `soffice --headless --convert-to` in a
  subprocess with a private profile directory per call (two conversions sharing a
  profile fail), a wall-clock timeout, an address-space limit (`prlimit`, which is
  safe in a threaded program unlike `preexec_fn`), a minimal environment and its
  own process group (killed whole afterwards: soffice is a script that starts
  soffice.bin). Success is judged by the converted file existing, never by the
  exit code: soffice exits 0 after failing to store.
- LibreOffice missing: a Chinese `ReadError` saying what to install.

Must not interpret the report.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from budgetperf.reading.blocks import Place, SourceDocument, join_wrapped, normalize_text
from budgetperf.reading.docx import read_docx
from budgetperf.reading.problems import OLE_MAGIC, ReadError
from budgetperf.reading.xlsx import format_number, grid_rows, read_xlsx, sheet_table

CONVERT_TIMEOUT_S = 120
CONVERT_MEMORY_BYTES = 2 << 30  # soffice converts a large report in ~250 MB; fails cleanly under ~500 MB
_SOFFICE_CANDIDATES = ("soffice", "libreoffice", "/usr/lib/libreoffice/program/soffice",
                       "/opt/libreoffice/program/soffice", "/Applications/LibreOffice.app/Contents/MacOS/soffice")

INSTALL_HINT_ZH = ("读取旧版 Word（.doc）与 WPS（.wps/.et）文件需要 LibreOffice，本机尚未安装。"
                   "Debian/Ubuntu 上运行 make system-deps（即 apt-get install libreoffice-core-nogui "
                   "libreoffice-writer-nogui libreoffice-calc-nogui）后重试；或在 Word/WPS 中另存为 .docx/.xlsx 后再上传。")


# ---------------------------------------------------------------------------
# .xls

def read_xls(data: bytes, name: str) -> SourceDocument:
    """Read an Excel 97-2003 workbook from bytes: one table per visible non-empty
    sheet, merged cells and percent formats kept.

    Raises `ReadError` for data that is not such a workbook or holds no values."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct.error, AssertionError …
        raise ReadError(f"corrupt .xls: {exc}",
                        "Excel 文件已损坏或不是有效的 .xls：请在 Excel/WPS 中打开后另存为 .xlsx 再上传") from exc
    lines: list[str] = []
    blocks = []
    places: dict[int, Place] = {}
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.visibility:  # 1 hidden, 2 very hidden: not what the report shows
                continue
            table = sheet_table(_sheet_rows(book, sheet), sheet.name, lines, places)
            if table is not None:
                blocks.append(table)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    if not lines:
        raise ReadError("workbook has no data", "Excel 文件中没有数据")
    return SourceDocument(file=name, fmt="xls", lines=lines, blocks=blocks, places=places)


def _sheet_rows(book, sheet) -> list[list[tuple[str, int, int, bool]]]:
    """(text, grid column, column span, is continuation) of the non-empty rows, the
    shape `xlsx.grid_rows` gives: a merged range shows its value once, rows below
    its top show one empty continuation cell."""
    texts = {(r, c): _render(book, sheet.cell(r, c)) for r in range(sheet.nrows) for c in range(sheet.ncols)}
    valued = [k for k, t in texts.items() if t]
    # xlrd's merged ranges are half-open
    merged = [(r_lo, r_hi - 1, c_lo, c_hi - 1) for r_lo, r_hi, c_lo, c_hi in sheet.merged_cells]
    return grid_rows(lambda r, c: texts.get((r, c), ""), valued, merged)


def _render(book, cell) -> str:
    """A cell as the sheet shows it (see `xlsx._render`)."""
    import xlrd

    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERR")
    if kind == xlrd.XL_CELL_DATE:
        try:
            when = xlrd.xldate_as_datetime(value, book.datemode)
        except (ValueError, OverflowError):
            return format_number(value)
        return when.date().isoformat() if when.time() == dt.time() else when.isoformat(sep=" ")
    if kind == xlrd.XL_CELL_NUMBER:
        fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key) if cell.xf_index is not None else None
        if fmt is not None and "%" in fmt.format_str:
            return format_number(value * 100) + "%"
        return format_number(value)
    return join_wrapped([normalize_text(part) for part in str(value).splitlines()])


# ---------------------------------------------------------------------------
# LibreOffice conversion

def soffice_path() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    for candidate in _SOFFICE_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def convert(data: bytes, suffix: str, target: str, *, timeout: float = CONVERT_TIMEOUT_S) -> bytes:
    """`data` (a file of `suffix`) converted by LibreOffice to `target` ("docx" or
    "xlsx"); raises `ReadError` when LibreOffice is missing, times out or produces
    nothing."""
    soffice = soffice_path()
    if soffice is None:
        raise ReadError("LibreOffice (soffice) is not installed; it converts .doc/.wps/.et", INSTALL_HINT_ZH)
    with tempfile.TemporaryDirectory(prefix="budgetperf-lo-") as folder:
        work = Path(folder)
        source = work / f"report{suffix}"
        source.write_bytes(data)
        outdir = work / "out"
        command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--invisible",
                   "--nologo", "--nodefault", "--norestore", "--nolockcheck",
                   "--convert-to", target, "--outdir", str(outdir), str(source)]
        prlimit = shutil.which("prlimit")
        if prlimit:
            command = [prlimit, f"--as={CONVERT_MEMORY_BYTES}", f"--cpu={int(timeout)}", "--core=0", "--", *command]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(work), "LANG": "C.UTF-8",
               "SAL_USE_VCLPLUGIN": "svp", "TMPDIR": str(work)}
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            proc.communicate()
            raise ReadError(f"LibreOffice conversion timed out after {timeout:g}s",
                            f"旧版文件转换超时（{timeout:g} 秒），文件可能过大或已损坏；请另存为 .docx/.xlsx 后再上传") from None
        finally:
            _kill_group(proc)
        produced = [p for p in outdir.glob(f"*.{target}") if p.stat().st_size > 0] if outdir.is_dir() else []
        if not produced:
            detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
            raise ReadError(f"LibreOffice could not convert the file (exit {proc.returncode}: {' '.join(detail)})",
                            f"旧版文件无法转换（文件可能已损坏或受密码保护）；请在 Word/WPS 中打开后另存为 .{target} 再上传")
        return produced[0].read_bytes()


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def read_word_legacy(data: bytes, name: str) -> SourceDocument:
    """Read a .doc or .wps report: converted to .docx by LibreOffice, then read as one."""
    if not data.startswith(OLE_MAGIC) and not data.lstrip()[:1] == b"{":  # OLE or RTF saved as .doc
        raise ReadError("not a Word 97-2003/WPS file", "文件不是有效的旧版 Word/WPS 文档（可能只是改了扩展名），无法读取")
    doc = read_docx(convert(data, Path(name).suffix.lower() or ".doc", "docx"), name)
    doc.fmt = Path(name).suffix.lower().lstrip(".") or "doc"
    return doc


def read_sheet_legacy(data: bytes, name: str) -> SourceDocument:
    """Read a .et (or an .xls xlrd cannot open): as Excel 97 when it is one, else
    converted to .xlsx by LibreOffice and read as one."""
    fmt = Path(name).suffix.lower().lstrip(".") or "et"
    if data.startswith(OLE_MAGIC):
        try:
            doc = read_xls(data, name)
            doc.fmt = fmt
            return doc
        except ReadError:
            pass  # a variant xlrd does not know: LibreOffice may
    doc = read_xlsx(convert(data, f".{fmt}", "xlsx"), name)
    doc.fmt = fmt
    return doc
