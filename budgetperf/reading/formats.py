"""Which files are reports and how each is read: one registry (`FORMATS`) from
which every list of formats is drawn (the reader dispatch, the reports folder's
file filter, the upload widget, the messages naming what is supported, the
README's table).

A format names its suffixes, its Chinese label, its reader (bytes and display
name in, `SourceDocument` out), whether it is a zip package (checked for zip
bombs before it is opened), what it needs beyond the Python packages
(`needs`: LibreOffice, or the OCR engine) and whether it is a batch of reports
(.zip: expanded by `batches` before reading, never read as one report).
`read_document` checks the size limits, then hands the bytes to the reader, and
numbers the tables of what it returns (`blocks.number_tables`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from budgetperf.reading.blocks import SourceDocument, number_tables
from budgetperf.reading.docx import read_docx
from budgetperf.reading.html import read_html
from budgetperf.reading.legacy import read_sheet_legacy, read_word_legacy, read_xls
from budgetperf.reading.limits import check_file_size, check_zip_package
from budgetperf.reading.ocr import read_image
from budgetperf.reading.ofd import read_ofd
from budgetperf.reading.pdf import read_pdf
from budgetperf.reading.problems import ReadError
from budgetperf.reading.text import read_text_bytes
from budgetperf.reading.xlsx import read_xlsx


def _not_one_report(data: bytes, name: str) -> SourceDocument:
    raise ReadError("a .zip is a batch of reports: ingest or upload it to read its members",
                    "压缩包是一批报告：请通过「数据管理」页上传或 budgetperf ingest 导入，其中每个文件分别读取")


@dataclass(frozen=True)
class Format:
    """One readable file format."""

    label_zh: str
    suffixes: tuple[str, ...]
    read: Callable[[bytes, str], SourceDocument]
    is_zip_package: bool = False  # .docx/.xlsx/.ofd: declared sizes checked before unpacking
    package_kind: str = ""        # how the zip checks name it (Word/Excel/OFD)
    needs: str = ""               # what it needs beyond the pinned Python packages (README, messages)
    is_batch: bool = False        # .zip: several reports, each read on its own


FORMATS: tuple[Format, ...] = (
    Format("文本", (".txt", ".md"), read_text_bytes),
    Format("Word", (".docx",), read_docx, is_zip_package=True, package_kind="Word"),
    Format("PDF", (".pdf",), read_pdf, needs="扫描页：文字识别组件（requirements.txt 中的 rapidocr、onnxruntime）"),
    Format("Excel", (".xlsx",), read_xlsx, is_zip_package=True, package_kind="Excel"),
    Format("网页", (".html", ".htm", ".mhtml", ".mht"), read_html),
    Format("旧版 Excel", (".xls",), read_xls),
    Format("旧版 Word", (".doc",), read_word_legacy, needs="LibreOffice"),
    Format("WPS 文字", (".wps",), read_word_legacy, needs="LibreOffice"),
    Format("WPS 表格", (".et",), read_sheet_legacy, needs="LibreOffice（Excel 97 格式的 .et 不需要）"),
    Format("扫描图片", (".png", ".jpg", ".jpeg", ".tif", ".tiff"), read_image,
           needs="文字识别组件（requirements.txt 中的 rapidocr、onnxruntime）"),
    Format("OFD", (".ofd",), read_ofd, is_zip_package=True, package_kind="OFD"),
    Format("压缩包", (".zip",), _not_one_report, is_batch=True),
)
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(s for f in FORMATS for s in f.suffixes)
# What a single report can be (a build reads these from the reports folder).
REPORT_SUFFIXES: tuple[str, ...] = tuple(s for f in FORMATS if not f.is_batch for s in f.suffixes)
_BY_SUFFIX = {s: f for f in FORMATS for s in f.suffixes}


def format_for(suffix: str) -> Format | None:
    """The format a file suffix (any case) is read as, or None."""
    return _BY_SUFFIX.get(suffix.lower())


def is_batch(suffix: str) -> bool:
    """Whether files of this suffix are batches of reports (.zip)."""
    fmt = format_for(suffix)
    return fmt is not None and fmt.is_batch


def supported_list_zh() -> str:
    """The readable suffixes for a message: 「.txt、.md、.docx、.pdf、…」."""
    return "、".join(SUPPORTED_SUFFIXES)


def unsupported(suffix: str) -> ReadError:
    """Why a file of this suffix is not read, in both languages."""
    shown = suffix or "（无扩展名）"
    return ReadError(f"unsupported file type {suffix!r} (supported: {', '.join(SUPPORTED_SUFFIXES)})",
                     f"不支持的文件类型 {shown}（支持 {supported_list_zh()}）")


def is_report_file(path: Path) -> bool:
    """Whether a file in the reports folder is one a build reads (batches are
    expanded when they are taken in, so the folder holds their members)."""
    fmt = format_for(path.suffix)
    return path.is_file() and fmt is not None and not fmt.is_batch


def read_bytes(data: bytes, name: str, suffix: str | None = None) -> SourceDocument:
    """Read report bytes by the format of `suffix` (default: `name`'s); a name
    without a suffix is read as text. Checks size and zip limits first."""
    suffix = Path(name).suffix if suffix is None else suffix
    fmt = format_for(suffix) if suffix else FORMATS[0]
    if fmt is None:
        raise unsupported(suffix)
    check_file_size(len(data))
    if not data.strip():
        raise ReadError("file is empty", "文件为空，没有可提取的内容")
    if fmt.is_zip_package:
        check_zip_package(data, fmt.package_kind)
    return number_tables(fmt.read(data, name))


def read_document(path: str | Path, display_name: str | None = None) -> SourceDocument:
    """Read any supported report file into a `SourceDocument`.

    `display_name` is what provenance records as the file (defaults to the file
    name). A file without a suffix is read as text.
    """
    path = Path(path)
    name = display_name or path.name
    if not path.is_file():
        raise ReadError(f"no such file: {path}", f"找不到文件：{path}")
    if path.suffix and format_for(path.suffix) is None:
        raise unsupported(path.suffix)
    check_file_size(path.stat().st_size)  # before anything is read or unpacked
    return read_bytes(path.read_bytes(), name, path.suffix)
