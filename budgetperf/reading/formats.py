"""Which files are reports and how each is read: one registry (`FORMATS`) from
which every list of formats is drawn (the reader dispatch, the reports folder's
file filter, the upload widget, the messages naming what is supported).

A format names its suffixes, its Chinese label, its reader (bytes and display
name in, `SourceDocument` out) and whether it is a zip package (checked for zip
bombs before it is opened). `read_document` checks the size limits, then hands
the bytes to the reader. Legacy formats that have no reader here say what to save
them as (`LEGACY_SAVE_AS`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from budgetperf.reading.blocks import SourceDocument
from budgetperf.reading.docx import read_docx
from budgetperf.reading.limits import check_file_size, check_zip_package
from budgetperf.reading.pdf import read_pdf
from budgetperf.reading.problems import ReadError
from budgetperf.reading.text import read_text_bytes
from budgetperf.reading.xlsx import read_xlsx


@dataclass(frozen=True)
class Format:
    """One readable file format."""

    label_zh: str
    suffixes: tuple[str, ...]
    read: Callable[[bytes, str], SourceDocument]
    is_zip_package: bool = False  # .docx/.xlsx: declared sizes checked before unpacking
    package_kind: str = ""        # how the zip checks name it (Word/Excel)


FORMATS: tuple[Format, ...] = (
    Format("文本", (".txt", ".md"), read_text_bytes),
    Format("Word", (".docx",), read_docx, is_zip_package=True, package_kind="Word"),
    Format("PDF", (".pdf",), read_pdf),
    Format("Excel", (".xlsx",), read_xlsx, is_zip_package=True, package_kind="Excel"),
)
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(s for f in FORMATS for s in f.suffixes)
# Older office formats users often have, with what to save them as.
LEGACY_SAVE_AS = {
    ".doc": "这是旧版 Word（.doc）文件，请在 Word/WPS 中另存为 .docx 后再上传",
    ".wps": "这是 WPS 文字（.wps）文件，请在 WPS 中另存为 .docx 后再上传",
    ".xls": "这是旧版 Excel（.xls）文件，请在 Excel/WPS 中另存为 .xlsx 后再上传",
    ".et": "这是 WPS 表格（.et）文件，请在 WPS 中另存为 .xlsx 后再上传",
}
_BY_SUFFIX = {s: f for f in FORMATS for s in f.suffixes}


def format_for(suffix: str) -> Format | None:
    """The format a file suffix (any case) is read as, or None."""
    return _BY_SUFFIX.get(suffix.lower())


def supported_list_zh() -> str:
    """The readable suffixes for a message: 「.txt、.md、.docx、.pdf、.xlsx」."""
    return "、".join(SUPPORTED_SUFFIXES)


def unsupported(suffix: str) -> ReadError:
    """Why a file of this suffix is not read, in both languages."""
    if suffix.lower() in LEGACY_SAVE_AS:
        return ReadError(f"{suffix} files are not supported; save as a newer format", LEGACY_SAVE_AS[suffix.lower()])
    shown = suffix or "（无扩展名）"
    return ReadError(f"unsupported file type {suffix!r} (supported: {', '.join(SUPPORTED_SUFFIXES)})",
                     f"不支持的文件类型 {shown}（支持 {supported_list_zh()}）")


def is_report_file(path: Path) -> bool:
    """Whether a file in the reports folder is one a build reads."""
    return path.is_file() and format_for(path.suffix) is not None


def read_document(path: str | Path, display_name: str | None = None) -> SourceDocument:
    """Read any supported report file into a `SourceDocument`.

    `display_name` is what provenance records as the file (defaults to the file
    name). A file without a suffix is read as text.
    """
    path = Path(path)
    name = display_name or path.name
    fmt = format_for(path.suffix) if path.suffix else FORMATS[0]
    if not path.is_file():
        raise ReadError(f"no such file: {path}", f"找不到文件：{path}")
    if fmt is None:
        raise unsupported(path.suffix)
    check_file_size(path.stat().st_size)  # before anything is read or unpacked
    data = path.read_bytes()
    if not data.strip():
        raise ReadError("file is empty", "文件为空，没有可提取的内容")
    if fmt.is_zip_package:
        check_zip_package(data, fmt.package_kind)
    return fmt.read(data, name)
