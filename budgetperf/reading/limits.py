"""Size limits for report files, checked before and while a reader opens them.

- every file: at most ``BUDGETPERF_MAX_FILE_MB`` (default 20 MB; real reports are
  well under 5 MB, a scanned-looking 67 MB text is a paste accident);
- .docx/.xlsx (zip packages): the sizes the zip *declares* are checked first: the
  unpacked total must stay under ``BUDGETPERF_MAX_UNPACKED_MB``, no member may
  expand more than `MAX_RATIO` times (XML of real reports compresses 5–30×; a zip
  bomb 1000× and more), and the package may hold at most `MAX_MEMBERS` files.
  Then every member is inflated once in `CHUNK`-sized pieces and counted: one that
  holds more than it declares is refused. Python's zipfile (used by python-docx and
  openpyxl) trusts the declared size only after inflating a whole member in one
  call, so a member that lies about its size would otherwise be held whole (a
  2 MB .docx reached 2.2 GB). Only stored and deflated members are accepted
  (bzip2 and lzma inflate without a bound per call);
- .pdf: content streams are inflated against one budget per document
  (`InflateBudget`, the same ``BUDGETPERF_MAX_UNPACKED_MB``), checked piece by
  piece, so a stream bomb is refused before it is held (pdf.py hands it to pdfminer).

- .zip batches of reports: at most `MAX_BATCH_MEMBERS` members and the unpacked
  total above; each member as large as one report may be, with a single report's
  ratio limit, and no nested archive, encrypted member, link or climbing path
  (`check_batch`, `check_batch_member`; `batches` applies them).

Each check raises `ReadError` with a Chinese message for the UI and an English one
for logs. No I/O beyond what it is given; the readers call it. Heavy files that
pass every cap (a huge but honest table) are bounded by the worker process that
extracts uploads and ingests (`storing.isolation`: memory and CPU time).
"""

from __future__ import annotations

import io
import struct
import threading
import re
import stat
import zipfile
import zlib
from contextlib import contextmanager

from budgetperf import settings
from budgetperf.reading.problems import ReadError

MB = 1024 * 1024
# A member may expand this many times; only members above RATIO_FLOOR bytes are
# judged (tiny XML parts legitimately compress 100× and more).
MAX_RATIO = 200
RATIO_FLOOR = 1 * MB
MAX_MEMBERS = 10_000
# Inflate in pieces of this size: the most a check holds at once.
CHUNK = 1 * MB
_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def max_file_bytes() -> int:
    return int(settings.get_float("BUDGETPERF_MAX_FILE_MB") * MB)


def max_unpacked_bytes() -> int:
    return int(settings.get_float("BUDGETPERF_MAX_UNPACKED_MB") * MB)


def _mb(n: int) -> str:
    return f"{n / MB:.1f} MB"


def _size(n: int) -> str:
    return _mb(n) if n >= MB else f"{n / 1024:.1f} KB"


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
    _check_real_sizes(data, members, kind)


def _member_data(data: bytes, member: zipfile.ZipInfo) -> memoryview:
    """The raw (compressed) bytes of a member, found through its local header."""
    start = member.header_offset
    header = data[start:start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"no local header for {member.filename!r}")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    begin = start + 30 + name_len + extra_len
    return memoryview(data)[begin:begin + member.compress_size]


def inflated_size(raw: bytes | memoryview, stop_after: int, wbits: int = -15) -> int:
    """How many bytes a deflate stream inflates to, counted piece by piece (never more
    than CHUNK held); counting stops once it passes `stop_after`. Raises zlib.error
    for data that is not deflate."""
    inflater = zlib.decompressobj(wbits)
    total = 0
    for pos in range(0, len(raw), CHUNK):
        piece = raw[pos:pos + CHUNK]
        while piece:
            total += len(inflater.decompress(piece, CHUNK))
            if total > stop_after:
                return total
            piece = inflater.unconsumed_tail
        if inflater.eof:
            break
    return total


def _check_real_sizes(data: bytes, members: list[zipfile.ZipInfo], kind: str) -> None:
    """Refuse a member that holds more than it declares, or is packed in a way whose
    inflating has no bound. A member that holds less, or is damaged, is left to the
    reader, which says the file is corrupt."""
    for m in members:
        if m.compress_type not in _ZIP_METHODS:
            raise ReadError(
                f"member {m.filename!r} uses compression method {m.compress_type} (only stored/deflate are read)",
                f"{kind} 文件中的部件 {m.filename} 使用了不常见的压缩方式，未读取。请在 Word/WPS/Excel 中打开后重新另存再上传。",
            )
        if m.compress_type == zipfile.ZIP_STORED:
            continue  # stored: its bytes are in the file, which is within the size limit
        try:
            real = inflated_size(_member_data(data, m), m.file_size)
        except (zipfile.BadZipFile, zlib.error, ValueError):
            continue
        if real > m.file_size:
            raise ReadError(
                f"member {m.filename!r} inflates past the {m.file_size} bytes it declares (zip bomb?)",
                f"{kind} 文件中的部件 {m.filename} 实际解压后比它声明的大小（{_size(m.file_size)}）更大，"
                "疑似压缩炸弹，未读取。",
            )


# ---------------------------------------------------------------------------
# PDF streams

class InflateBudget(threading.local):
    """Bytes a document's streams may still inflate to (None: no budget, outside a
    read). One per thread: the app reads files in several sessions at once."""

    left: int | None = None
    exceeded: bool = False


BUDGET = InflateBudget()


@contextmanager
def inflate_budget():
    """Give the streams of one document BUDGETPERF_MAX_UNPACKED_MB to inflate to;
    `stream_bomb()` says why when they wanted more."""
    BUDGET.left, BUDGET.exceeded = max_unpacked_bytes(), False
    try:
        yield BUDGET
    finally:
        BUDGET.left = None


def stream_bomb() -> ReadError:
    limit = max_unpacked_bytes()
    return ReadError(
        f"pdf streams inflate past {_mb(limit)} (BUDGETPERF_MAX_UNPACKED_MB; stream bomb?)",
        f"PDF 文件中的内容解压后超过 {_mb(limit)}，疑似压缩炸弹，未读取（确需导入请调整设置 BUDGETPERF_MAX_UNPACKED_MB）。",
    )


def spend(n: int) -> None:
    """Take `n` inflated bytes from the budget; raise once it is spent."""
    if BUDGET.left is None:
        return
    if n > BUDGET.left:
        BUDGET.exceeded = True
        raise stream_bomb()
    BUDGET.left -= n


def inflate(data: bytes, wbits: int = 15, *, complete: bool = True) -> bytes:
    """zlib-inflate `data` within the budget, holding no more than the budget allows.
    `complete=False` keeps what came out of a stream cut short (a damaged checksum)
    instead of raising zlib.error, as readers do for broken streams."""
    if BUDGET.left is None:
        return zlib.decompress(data, wbits) if complete else zlib.decompressobj(wbits).decompress(data)
    inflater = zlib.decompressobj(wbits)
    out = inflater.decompress(data, BUDGET.left + 1)
    spend(len(out))
    if complete and not inflater.eof:
        raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
    return out


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
