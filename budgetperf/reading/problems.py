"""What can be wrong with a file before it is a report: `ReadError` (a Chinese
message for the user, an English one for the log) and the wording for the common
cases (a corrupt Office package, a legacy binary Office file)."""

from __future__ import annotations

import zipfile

from budgetperf.errors import UserError


class ReadError(UserError):
    """A file that cannot be read as a report (empty, binary, corrupt, unsupported)."""


# Legacy binary .doc/.xls files are OLE compound files, not zip packages: readers
# name the format the user must save as instead of reporting a corrupt zip.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def corrupt_package(exc: Exception, kind_zh: str, suffix: str) -> ReadError:
    """A .docx/.xlsx that cannot be opened, said in words a user can act on (the
    library's own English message stays in message_en for the log and the CLI)."""
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
