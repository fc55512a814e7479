"""Every write as one journaled step, so that the reports folder, the logs people's
changes live in (corrections, finding statuses, reference edits, the write log) and
the store agree whatever moment a writer dies at. The model is SQLite's atomic
commit: one commit point, and a journal that says how to finish or undo the rest.

Under the writer lock (`publish.publish`), in this order:

1. **intent**: the draft of the new store is complete and on disk; what the write
   does besides replacing the store (an `Intent`: originals to place, each staged
   beside its target first, old ones to archive, records to append to the logs) is
   written to ``<store>.journal`` with the identity of the draft file, durably;
2. **publish**: the draft replaces the store (``os.replace``): the commit point;
3. **commit**: the files are moved and the records appended, then the journal is
   removed.

A write that stops before the commit point never happened: `recover` removes what
it staged. One that stops after it happened: `recover` makes the moves still to be
made and appends the records not yet in their logs (each file is checked for the
exact records first, so none is appended twice). Which of the two is decided by the
store itself: is the published file the draft the journal names (same device,
inode and size)? The next writer recovers under the lock before it writes; the app
and the CLI also recover at start when no writer holds the lock
(`publish.recover_pending`).

Tests stop a writer at each step: ``BUDGETPERF_TEST_DIE_AT=<step>`` makes
`checkpoint(step)` kill the process there with SIGKILL, as the kernel or a person
would (steps: draft, intent, publish, commit, end). No streamlit here.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import hashlib
import json
import os
import shutil
import signal
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from budgetperf.changes.jsonlines import append_lines, read_lines

DIE_AT = "BUDGETPERF_TEST_DIE_AT"
STEPS = ("draft", "intent", "publish", "commit", "end")


def checkpoint(step: str) -> None:
    """Die here, by SIGKILL, when the test environment names this step."""
    if os.environ.get(DIE_AT) == step:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class Intent:
    """What one write does besides replacing the store, in the order it is done.

    `moves` are (kind, source, target): "archive" never overwrites its target (an
    old original going to the archive), "place" does (a staged original going
    into the reports folder). `appends` are (log file, records as dicts). `staged`
    are the files this write made before the commit point (removed if it never
    publishes). `problem` says, after the write, what could not be finished (the
    write stands; recovery finishes it)."""

    moves: list[list[str]] = field(default_factory=list)
    appends: list[list] = field(default_factory=list)
    staged: list[str] = field(default_factory=list)
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    draft: list[int] | None = None  # [st_dev, st_ino, st_size] of the draft that becomes the store
    problem: str | None = None

    def archive(self, source: Path, target: Path) -> None:
        self.moves.append(["archive", str(source), str(target)])

    def place(self, staged: Path, target: Path) -> None:
        self.moves.append(["place", str(staged), str(target)])

    def append(self, path: str | Path, records: list[dict]) -> None:
        if records:
            self.appends.append([str(path), list(records)])

    def stage(self, data: bytes, target: Path) -> Path:
        """Write `data` durably beside `target` (``.<name>.<random>.part``, which no
        reader takes for a report) and plan to put it in place."""
        staged = target.with_name(f".{target.name}.{os.urandom(4).hex()}.part")
        self.staged.append(str(staged))
        with open(staged, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        self.place(staged, target)
        return staged

    @property
    def is_empty(self) -> bool:
        return not (self.moves or self.appends or self.staged)


def journal_path(db_path: str | Path) -> Path:
    """The journal beside the store (``data/budgetperf.duckdb.journal``)."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".journal")


def identity(path: Path) -> list[int]:
    st = os.stat(path)
    return [st.st_dev, st.st_ino, st.st_size]


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # durability only; some file systems refuse
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write(db_path: Path, intent: Intent, draft: Path) -> None:
    """Record the intent, naming the draft, durably and atomically (a reader sees the
    whole journal or none)."""
    intent.draft = identity(draft)
    target = journal_path(db_path)
    temporary = target.with_name(target.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as f:
        json.dump(asdict(intent), f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, target)
    _fsync_dir(target.parent)


def _same_bytes(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    return hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def _rename(source: Path, target: Path) -> None:
    """Rename, or across file systems copy (to a temporary name, then renamed, so the
    target is whole or absent) and remove the source."""
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        partial = target.with_name(f".{target.name}.{os.urandom(4).hex()}.part")
        shutil.copyfile(source, partial)
        os.replace(partial, target)
        source.unlink()


def _move(kind: str, source: Path, target: Path) -> None:
    """One move, made so that making it again does nothing more."""
    if not source.exists():
        return  # made already
    if kind == "archive" and target.exists():
        if _same_bytes(source, target):
            source.unlink()  # copied across file systems; the removal was not made
        return  # the source is a new file placed since: leave it
    target.parent.mkdir(parents=True, exist_ok=True)
    _rename(source, target)


def _append_missing(path: Path, records: list[dict]) -> None:
    """Append the records the file does not hold yet (exact copies count)."""
    held = collections.Counter(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in read_lines(path))
    missing = []
    for record in records:
        key = json.dumps(record, sort_keys=True, ensure_ascii=False)
        if held[key]:
            held[key] -= 1
        else:
            missing.append(record)
    append_lines(path, missing)


def commit(db_path: Path, intent: Intent) -> str | None:
    """Finish a published write: moves, then appends, then the journal goes. Returns
    what could not be done, in Chinese (the journal then stays, and the recovery
    finishes it once the cause is mended)."""
    folders = set()
    try:
        for kind, source, target in intent.moves:
            _move(kind, Path(source), Path(target))
            folders |= {Path(source).parent, Path(target).parent}
    except OSError as exc:
        return (f"已写入数据库，但原件未能移入报告文件夹（{exc.filename or ''}：{exc.strerror or exc}）；"
                "问题解决后，下一次写入或应用启动时会自动补完")
    for folder in folders:
        _fsync_dir(folder)
    checkpoint("commit")
    for path, records in intent.appends:
        try:
            _append_missing(Path(path), records)
        except OSError as exc:
            return (f"已写入数据库，但写入记录未能保存（{path}：{exc.strerror or exc}）；"
                    "问题解决后，下一次写入或应用启动时会自动补上")
    checkpoint("end")
    with contextlib.suppress(FileNotFoundError):
        journal_path(db_path).unlink()
    _fsync_dir(Path(db_path).parent)
    return None


def roll_back(db_path: Path, intent: Intent) -> None:
    """Undo a write that did not publish: remove what it staged, and its journal."""
    for staged in intent.staged:
        Path(staged).unlink(missing_ok=True)
    journal_path(db_path).unlink(missing_ok=True)


def read(db_path: Path) -> Intent | None:
    """The journal of a write that did not finish, or None."""
    path = journal_path(db_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return Intent()  # unreadable: it was replaced into place whole, so this is not ours to finish
    fields = Intent.__dataclass_fields__
    return Intent(**{k: v for k, v in data.items() if k in fields})


def is_published(db_path: Path, intent: Intent) -> bool:
    """Whether the store is the draft this journal names."""
    try:
        return intent.draft is not None and identity(db_path) == list(intent.draft)
    except FileNotFoundError:
        return False


class Unfinished(Exception):
    """A published write whose moves or appends still cannot be made (say, its log
    is not writable): later writes wait for it, so no record is ever lost."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


def recover(db_path: Path) -> str | None:
    """Finish or undo the write a dead (or thwarted) writer left; the caller holds
    the writer lock. Returns "forward", "back", or None when there was nothing to
    do; raises Unfinished when a published write still cannot be finished."""
    db_path = Path(db_path)
    journal_path(db_path).with_name(journal_path(db_path).name + ".tmp").unlink(missing_ok=True)
    intent = read(db_path)
    if intent is None:
        return None
    if is_published(db_path, intent):
        problem = commit(db_path, intent)
        if problem:
            raise Unfinished(problem)
        return "forward"
    roll_back(db_path, intent)
    return "back"
