"""Size limits for report files, checked before a reader opens them.

- every file: at most ``BUDGETPERF_MAX_FILE_MB`` (default 20 MB; real reports are
  well under 5 MB, a scanned-looking 67 MB text is a paste accident);
- .docx/.xlsx (zip packages): the sizes the zip *declares* are checked before any
  member is decompressed: the unpacked total must stay under
  ``BUDGETPERF_MAX_UNPACKED_MB``, no member may expand more than `MAX_RATIO` times
  (XML of real reports compresses 5–30×; a zip bomb 1000× and more), and the
  package may hold at most `MAX_MEMBERS` files. Python's zipfile (used by
  python-docx and openpyxl) never returns more bytes than a member declares, so a
  bomb cannot hide behind false sizes.

Each check raises `ReadError` with a Chinese message for the UI and an English one
for logs. No I/O beyond what it is given; the readers call it.
"""

from __future__ import annotations

import io
import zipfile

from budgetperf import settings
from budgetperf.reading.problems import ReadError

MB = 1024 * 1024
# A member may expand this many times; only members above RATIO_FLOOR bytes are
# judged (tiny XML parts legitimately compress 100× and more).
MAX_RATIO = 200
RATIO_FLOOR = 1 * MB
MAX_MEMBERS = 10_000


def max_file_bytes() -> int:
    return int(settings.get_float("BUDGETPERF_MAX_FILE_MB") * MB)


def max_unpacked_bytes() -> int:
    return int(settings.get_float("BUDGETPERF_MAX_UNPACKED_MB") * MB)


def _mb(n: int) -> str:
    return f"{n / MB:.1f} MB"


def check_file_size(size: int) -> None:
    """Refuse a file larger than BUDGETPERF_MAX_FILE_MB."""
    limit = max_file_bytes()
    if size > limit:
        raise ReadError(
            f"file is {_mb(size)}, over the {_mb(limit)} limit (BUDGETPERF_MAX_FILE_MB)",
            f"文件大小 {_mb(size)}，超过上限 {_mb(limit)}。一份评价报告通常不超过几 MB，"
            "请检查是否误把多份内容合并成一个文件；确需导入请调整设置 BUDGETPERF_MAX_FILE_MB。",
        )


def check_zip_package(data: bytes, kind: str) -> None:
    """Refuse a .docx/.xlsx whose declared unpacked size or compression ratio is a
    zip bomb's. A file that is not a zip at all passes: the reader reports it as
    corrupt in its own words. `kind` names the format in the message (Word/Excel)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    if len(members) > MAX_MEMBERS:
        raise ReadError(
            f"zip package has {len(members)} members (limit {MAX_MEMBERS})",
            f"{kind} 文件内部包含 {len(members)} 个部件，超过 {MAX_MEMBERS} 个，疑似异常文件，未读取。",
        )
    total = sum(m.file_size for m in members)
    limit = max_unpacked_bytes()
    if total > limit:
        raise ReadError(
            f"unpacks to {_mb(total)}, over the {_mb(limit)} limit (BUDGETPERF_MAX_UNPACKED_MB; zip bomb?)",
            f"{kind} 文件解压后有 {_mb(total)}，超过上限 {_mb(limit)}，疑似压缩炸弹，未读取"
            "（确需导入请调整设置 BUDGETPERF_MAX_UNPACKED_MB）。",
        )
    for m in members:
        if m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            ratio = m.file_size / max(m.compress_size, 1)
            raise ReadError(
                f"member {m.filename!r} expands {ratio:.0f}x (limit {MAX_RATIO}x; zip bomb?)",
                f"{kind} 文件中的部件 {m.filename} 压缩比高达 {ratio:.0f} 倍（正常文件不超过 {MAX_RATIO} 倍），"
                "疑似压缩炸弹，未读取。",
            )
