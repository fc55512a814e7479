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

- .zip batches of reports: at most `MAX_BATCH_MEMBERS` members and the unpacked
  total above; each member as large as one report may be, with a single report's
  ratio limit, and no nested archive, encrypted member, link or climbing path
  (`check_batch`, `check_batch_member`; `batches` applies them).

Each check raises `ReadError` with a Chinese message for the UI and an English one
for logs. No I/O beyond what it is given; the readers call it.
"""

from __future__ import annotations

import io
import re
import stat
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


# ---------------------------------------------------------------------------
# .zip batches of reports: the archive as a whole, then each member, with the same
# limits a single upload has (size, zip bomb) plus the ones only archives need.

MAX_BATCH_MEMBERS = 1000
NESTED_ARCHIVES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz")


def check_batch(members: list[zipfile.ZipInfo]) -> None:
    """Refuse a batch with more members than MAX_BATCH_MEMBERS or whose members
    declare more than BUDGETPERF_MAX_UNPACKED_MB in all (checked before unpacking)."""
    if len(members) > MAX_BATCH_MEMBERS:
        raise ReadError(f"batch has {len(members)} members (limit {MAX_BATCH_MEMBERS})",
                        f"压缩包内有 {len(members)} 个文件，超过 {MAX_BATCH_MEMBERS} 个的上限，请分批上传。")
    total = sum(m.file_size for m in members)
    limit = max_unpacked_bytes()
    if total > limit:
        raise ReadError(f"batch unpacks to {_mb(total)}, over the {_mb(limit)} limit (BUDGETPERF_MAX_UNPACKED_MB)",
                        f"压缩包解压后有 {_mb(total)}，超过上限 {_mb(limit)}，疑似压缩炸弹或内容过多，未读取"
                        "（确需导入请分批上传，或调整设置 BUDGETPERF_MAX_UNPACKED_MB）。")


def check_batch_member(member: zipfile.ZipInfo, path: str) -> None:
    """Refuse one member of a batch: an archive inside the archive (not unpacked:
    one level only), an encrypted or linked member, a path that climbs out of the
    archive, a member larger than a single report may be, or one that expands like
    a zip bomb. `path` is the member's decoded name."""
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    if path.startswith(("/", "\\")) or ".." in parts or (parts and re.match(r"^[A-Za-z]:", parts[0])):
        raise ReadError(f"unsafe path in the archive: {path!r}",
                        "压缩包中的文件路径不安全（绝对路径或含「..」），未读取")
    if path.lower().endswith(NESTED_ARCHIVES):
        raise ReadError("an archive inside the archive is not unpacked",
                        "压缩包中又是压缩包：只解开一层，请把其中的报告直接放进压缩包后再上传")
    if member.flag_bits & 0x1:
        raise ReadError("encrypted member", "文件在压缩包中加了密码，无法读取")
    if stat.S_ISLNK(member.external_attr >> 16):
        raise ReadError("symbolic link in the archive", "压缩包中的这个条目是链接而不是文件，未读取")
    check_file_size(member.file_size)
    if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
        ratio = member.file_size / max(member.compress_size, 1)
        raise ReadError(f"member expands {ratio:.0f}x (limit {MAX_RATIO}x; zip bomb?)",
                        f"压缩比高达 {ratio:.0f} 倍（正常文件不超过 {MAX_RATIO} 倍），疑似压缩炸弹，未读取。")
