"""The one write path of the store: serialize writers, publish a new file atomically.

Every write (``build``, ``ingest``, an upload or a deletion in the app) goes through
`publish`. It

1. takes the writer lock, a ``flock`` on ``<store>.lock`` beside the store, waiting
   up to ``BUDGETPERF_LOCK_TIMEOUT`` seconds (a second writer waits its turn; the
   kernel drops the lock when a writer dies, even by ``kill -9``);
2. finishes or undoes what a killed writer left (its journal, ``<store>.*.tmp`` drafts);
3. copies the current store to a draft ``<store>.<random>.tmp`` in the same
   directory (or starts an empty one for a rebuild) and lets the caller change it
   with an ordinary read-write DuckDB connection;
4. checkpoints and closes the draft, fsyncs it, journals what else the write does
   (`journal`: originals to place or archive, records for the logs), then
   ``os.replace``\\s the draft onto the store path (the commit point), fsyncs the
   directory and carries out the journal.

Readers are never blocked: the app holds a read-only snapshot of the file it opened
(`store.connect`), keeps reading it while a draft is written, and reopens when the
file's identity (`file_version`) changes. Nothing is ever written to the published
file in place, so a crash at any step leaves the previous store whole; a failed
write removes its draft and raises `StoreWriteError` with a plain Chinese message
(disk full, no permission, store busy).

This module knows nothing about documents: `store.py` supplies the changes. It must
not import streamlit.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import duckdb

from budgetperf import settings
from budgetperf.errors import UserError
from budgetperf.storing import health, journal, schema

T = TypeVar("T")

# How often a waiting writer retries the lock.
_POLL_SECONDS = 0.05


class StoreWriteError(UserError):
    """A write could not be published; the previous store is untouched."""


class StoreBusyError(StoreWriteError):
    """Another writer held the lock for longer than the timeout."""


def lock_path(db_path: str | Path) -> Path:
    """The writer lock file beside the store (``data/budgetperf.duckdb.lock``)."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


def file_version(path: str | Path) -> tuple[int, int, int] | None:
    """The identity of the file at `path` now: (inode, mtime_ns, size), or None when
    it is missing. A publish replaces the file, so the identity changes even when
    two writes land within one timestamp tick."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def lock_timeout() -> float:
    """Seconds a writer waits for another one (setting BUDGETPERF_LOCK_TIMEOUT)."""
    return settings.get_float("BUDGETPERF_LOCK_TIMEOUT")


@contextlib.contextmanager
def writer_lock(db_path: str | Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the store's writer lock; wait up to `timeout` seconds for it.

    Raises `StoreBusyError` when another writer keeps it longer, and `StoreWriteError`
    when the lock file cannot be created (folder missing or read-only).
    """
    db_path = Path(db_path)
    timeout = lock_timeout() if timeout is None else timeout
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path(db_path), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise os_error(exc, db_path.parent) from exc
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusyError(
                        f"the store is being written by another process; gave up after {timeout:g} s",
                        f"数据库正被另一个写入任务占用（命令行或其他用户正在导入、删除或重建），"
                        f"已等待 {timeout:g} 秒仍未完成，请稍后重试。",
                    ) from None
                time.sleep(_POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def os_error(exc: OSError, where: str | Path) -> StoreWriteError:
    """A StoreWriteError that says in plain words why a file operation failed."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        zh = f"磁盘空间不足（或超出文件大小限制），无法写入 {where}。请清理磁盘后重试，原有数据未受影响。"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        zh = f"没有写入权限：{where}。请检查该目录的权限（或是否为只读磁盘），原有数据未受影响。"
    else:
        zh = f"写入失败（{exc.strerror or exc}）：{where}。原有数据未受影响。"
    return StoreWriteError(f"cannot write {where}: {exc}", zh)


def duckdb_error(exc: duckdb.Error, where: Path) -> StoreWriteError:
    """A StoreWriteError that says in plain words why DuckDB could not write."""
    text = str(exc)
    lowered = text.lower()
    if "no space left" in lowered or "file too large" in lowered or "disk quota" in lowered:
        return os_error(OSError(errno.ENOSPC, text), where)
    if "permission denied" in lowered or "read-only file system" in lowered:
        return os_error(OSError(errno.EACCES, text), where)
    if health.is_corruption(exc):  # the published store itself is damaged: rebuilding mends it
        return StoreWriteError(f"store write failed: {text}", health.corrupt(where, exc).message_zh)
    return StoreWriteError(f"store write failed: {text}", f"写入数据库失败：{text}。原有数据未受影响。")


def draft_paths(db_path: Path) -> list[Path]:
    """Drafts (and their WAL files) of this store left in its folder."""
    return sorted(db_path.parent.glob(f"{db_path.name}.*.tmp")) + sorted(db_path.parent.glob(f"{db_path.name}.*.tmp.wal"))


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_store(src: Path, dst: Path) -> None:
    """Copy the published store (and a WAL an older version left beside it, which
    DuckDB replays when it opens the draft)."""
    shutil.copyfile(src, dst)
    wal = src.with_name(src.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, dst.with_name(dst.name + ".wal"))


def _refresh_marts(con: duckdb.DuckDBPyConnection, finding_statuses: dict | None = None) -> None:
    """Lay the finding statuses over and rebuild the pages' mart tables in the draft
    before it is published, so readers never see marts older than the rows
    (`schema.refresh_derived`; a draft without the store's tables, e.g. a test's, is
    left alone). `finding_statuses` are those the write itself is about to keep."""
    if con.execute("select count(*) from information_schema.tables where table_name = 'documents'").fetchone()[0]:
        schema.create_schema(con)  # a store of an older version gets its new tables first
        schema.refresh_derived(con, finding_statuses)


def _recover(db_path: Path) -> str | None:
    """What a killed writer left, under the lock: its journal finished or undone,
    its drafts removed."""
    outcome = journal.recover(db_path)
    for stale in draft_paths(db_path):
        _remove(stale)
    return outcome


def recover_pending(db_path: str | Path) -> str | None:
    """Finish or undo the write a dead writer left, if there is one and no writer
    holds the lock now (the app and the CLI call this when they start; every write
    does it anyway under the lock). Returns what was done (`journal.recover`)."""
    db_path = Path(db_path)
    if not journal.journal_path(db_path).exists() and not draft_paths(db_path):
        return None
    try:
        with writer_lock(db_path, timeout=0):
            return _recover(db_path)
    except StoreWriteError:
        return None  # a writer is at work: it recovers, or it is the journal's own writer
    except (journal.Unfinished, OSError):
        return None  # still cannot be finished: the next write says why


def publish(db_path: str | Path, apply: Callable[[duckdb.DuckDBPyConnection], T], *, fresh: bool = False,
            plan: Callable[[T, journal.Intent], None] | None = None,
            is_changed: Callable[[T], bool] | None = None, timeout: float | None = None,
            finding_statuses: Callable[[], dict] | None = None) -> T:
    """Change the store through a draft and publish it atomically; return `apply`'s result.

    `apply(con)` gets a read-write connection to a copy of the current store (an
    empty file with `fresh=True` or when there is no store yet) and makes its changes;
    it may run its own transactions. `plan(result, intent)` then says what else the
    write does (`journal.Intent`: originals staged and moved, records appended to
    the logs); it is journaled before the draft replaces the store and carried out
    after, and recovered if this process dies in between (`journal`). What could
    not be finished after the commit point is in `intent.problem` (the write
    stands). An exception before the commit point removes the draft and what was
    staged and leaves the store as it was; OS and DuckDB I/O errors come back as
    `StoreWriteError` with a Chinese message. When `is_changed(result)` says the
    draft holds no change, it is dropped and the store keeps its identity (so
    readers do not reopen for nothing). `finding_statuses` overrides the statuses
    laid over the findings, read under the lock (a write that keeps new ones).
    """
    db_path = Path(db_path)
    with writer_lock(db_path, timeout):
        try:
            _recover(db_path)  # a writer killed half-way; we hold the lock
        except journal.Unfinished as exc:
            raise StoreWriteError(f"an earlier write cannot be finished: {exc.problem}",
                                  f"上一次写入的收尾还未完成，请先解决：{exc.problem.replace('已写入数据库，但', '')}") from exc
        except OSError as exc:
            raise os_error(exc, db_path.parent) from exc
        draft = db_path.with_name(f"{db_path.name}.{os.urandom(6).hex()}.tmp")
        intent = journal.Intent()
        published = False
        try:
            try:
                if not fresh and db_path.exists():
                    _copy_store(db_path, draft)
                con = duckdb.connect(str(draft))
            except OSError as exc:
                raise os_error(exc, db_path.parent) from exc
            try:
                result = apply(con)
                if is_changed is None or is_changed(result):
                    _refresh_marts(con, finding_statuses() if finding_statuses else None)
                con.execute("checkpoint")
            finally:
                con.close()
            if is_changed is not None and not is_changed(result):
                return result
            _fsync_file(draft)
            journal.checkpoint("draft")
            if plan is not None:
                plan(result, intent)
            if not intent.is_empty:
                journal.write(db_path, intent, draft)
                journal.checkpoint("intent")
            os.replace(draft, db_path)
            published = True
            with contextlib.suppress(OSError):  # published; this only hastens durability
                _fsync_dir(db_path.parent)
            journal.checkpoint("publish")
            if not intent.is_empty:
                intent.problem = journal.commit(db_path, intent)
            return result
        except OSError as exc:
            raise os_error(exc, db_path.parent) from exc
        except duckdb.Error as exc:
            raise duckdb_error(exc, db_path.parent) from exc
        finally:
            if not published:
                journal.roll_back(db_path, intent)
            for leftover in (draft, draft.with_name(draft.name + ".wal")):
                _remove(leftover)
