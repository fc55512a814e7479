"""Readers: a file on disk to a `SourceDocument` (text lines + ordered blocks).

One reader per format; `read_document` picks it by extension. Readers do I/O and
format decoding only: they never interpret what a report says (that is the
parsers' job) and never touch the store.

Bad input raises `ReadError` with a Chinese message for the UI and an English
one for logs. Files over the size limits (`budgetperf.limits`) are refused before
they are read or unpacked.
"""

from __future__ import annotations

from pathlib import Path

from budgetperf.reading.blocks import SourceDocument


class ReadError(Exception):
    """A file that cannot be read as a report (empty, binary, corrupt, unsupported)."""

    def __init__(self, message_en: str, message_zh: str):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_zh = message_zh


def corrupt_package(exc: Exception, kind_zh: str, suffix: str) -> ReadError:
    """A .docx/.xlsx that cannot be opened, said in words a user can act on (the
    library's own English message stays in message_en for the log and the CLI)."""
    import zipfile

    if isinstance(exc, zipfile.BadZipFile):
        why = "文件不完整或不是该格式（可能下载不完整、被截断，或只是改了扩展名）"
    elif isinstance(exc, KeyError):
        why = "文件缺少必要的组成部分（可能由不兼容的软件生成）"
    elif type(exc).__module__.startswith(("lxml", "xml")) or "XML" in type(exc).__name__:
        why = "文件内部内容已损坏"
    else:
        why = "文件无法打开"
    app = "Word/WPS " if suffix == ".docx" else "Excel/WPS "
    return ReadError(f"corrupt {suffix}: {exc}",
                     f"{kind_zh}文件已损坏或不是有效的 {suffix}：{why}。请在 {app}中打开后重新另存为 {suffix} 再上传")


SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".xlsx")
# Legacy binary .doc/.xls files are OLE compound files, not zip packages: readers
# name the format the user must save as instead of reporting a corrupt zip.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_document(path: str | Path, display_name: str | None = None) -> SourceDocument:
    """Read any supported report file into a `SourceDocument`.

    `display_name` is what provenance records as the file (defaults to the file name).
    """
    path = Path(path)
    name = display_name or path.name
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ReadError(f"no such file: {path}", f"找不到文件：{path}")
    from budgetperf.reading import (
        limits,  # size limits before anything is read or unpacked
    )

    limits.check_file_size(path.stat().st_size)
    data = path.read_bytes()
    if not data.strip():
        raise ReadError("file is empty", "文件为空，没有可提取的内容")
    if suffix in (".docx", ".xlsx"):
        limits.check_zip_package(data, "Word" if suffix == ".docx" else "Excel")
    if suffix in (".txt", ".md", ""):
        from budgetperf.reading.text import read_text_bytes

        return read_text_bytes(data, name)
    if suffix == ".docx":
        from budgetperf.reading.docx import read_docx

        return read_docx(data, name)
    if suffix == ".pdf":
        from budgetperf.reading.pdf import read_pdf

        return read_pdf(data, name)
    if suffix == ".xlsx":
        from budgetperf.reading.xlsx import read_xlsx

        return read_xlsx(data, name)
    raise ReadError(
        f"unsupported file type {suffix!r} (supported: {', '.join(SUPPORTED_SUFFIXES)})",
        f"不支持的文件类型 {suffix}（支持 .txt、.docx、.pdf、.xlsx）",
    )
