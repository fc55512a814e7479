"""A .zip of reports, as a bureau receives them in batches: its members, each
checked with the limits of a single upload before it is unpacked
(`limits.check_batch`, `limits.check_batch_member`).

`members` returns one `Member` per file of the archive, in the archive's order:
its name (decoded: archives made on Chinese Windows store GBK names without saying
so), its bytes, or the reason it is not read (a nested archive, an encrypted member,
a path climbing out of the archive, a member too large or expanding like a bomb, a
type that is not a report). Folders and the metadata files archivers add
(__MACOSX/, .DS_Store, Thumbs.db) are skipped. Reading and storing each member is
the caller's (`storing.intake`), so every member gets its own line in the result.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from budgetperf.reading.limits import check_batch, check_batch_member, check_file_size, max_unpacked_bytes
from budgetperf.reading.problems import ReadError

_JUNK = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass(frozen=True)
class Member:
    """One file of a batch: its path in the archive, its file name, and its bytes
    or why it is not read."""

    path: str
    name: str
    data: bytes | None = None
    problem: ReadError | None = None


def _decoded_name(info: zipfile.ZipInfo) -> str:
    """The member's path as its author wrote it. Without the UTF-8 flag, zipfile
    decodes names as cp437; Windows archivers in China write GBK there (and some
    write UTF-8 without the flag)."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _is_junk(path: str) -> bool:
    name = PurePosixPath(path.replace("\\", "/")).name
    return path.startswith("__MACOSX/") or "/__MACOSX/" in path or name in _JUNK or name.startswith("._")


def members(data: bytes, batch_name: str) -> list[Member]:
    """The members of a .zip batch (see module docstring). Raises `ReadError` when the
    archive itself cannot be read or breaks the batch limits."""
    if len(data) > max_unpacked_bytes():
        check_file_size(len(data))  # says which setting to raise
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ReadError(f"corrupt .zip {batch_name}: {exc}",
                        "压缩包已损坏或不是 .zip 文件（可能下载不完整，或是 .rar/.7z 改了扩展名），无法解开") from exc
    files = [i for i in infos if not i.is_dir() and not _is_junk(_decoded_name(i))]
    check_batch(files)
    out = []
    for info in files:
        path = _decoded_name(info)
        name = PurePosixPath(path.replace("\\", "/")).name
        try:
            check_batch_member(info, path)
            with archive.open(info) as handle:
                # never more than declared: zipfile stops at the declared size and
                # checks the CRC, so a member cannot hide a bomb behind a small size
                content = handle.read(info.file_size + 1)
        except ReadError as exc:
            out.append(Member(path, name, problem=exc))
            continue
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
            out.append(Member(path, name, problem=ReadError(
                f"cannot unpack {path!r}: {exc}", "无法从压缩包中解出这个文件（压缩包损坏或使用了不支持的压缩方式）")))
            continue
        out.append(Member(path, name, data=content))
    if not out:
        raise ReadError("the archive holds no files", "压缩包中没有文件")
    return out
