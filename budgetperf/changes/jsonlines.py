"""Append-only JSON-lines files beside the store: the write log, the corrections,
the reference-table edits.

They live outside the store so that a rebuild (which publishes a brand-new store)
keeps them, and they are plain text so an operator can back them up, read and
move them. Appends are whole lines under an exclusive ``flock``, fsynced, so the
app and the CLI can append at the same time; a line torn by a crash is skipped
when reading. No streamlit here.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from pathlib import Path


def append_lines(path: str | Path, records: list[dict]) -> None:
    """Append one JSON object per record, durably. Raises OSError when the file
    cannot be written."""
    if not records:
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            os.write(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def read_lines(path: str | Path) -> list[dict]:
    """Every object in the file, in file order; unreadable lines are skipped."""
    out = []
    with contextlib.suppress(FileNotFoundError), Path(path).open(encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                data = json.loads(line)
            except ValueError:
                continue  # a line torn by a crash
            if isinstance(data, dict):
                out.append(data)
    return out


def records_of(cls, rows: list[dict]) -> list:
    """Dataclass records from dicts, ignoring keys the class does not know (a newer
    version's fields) and rows missing a required one."""
    fields = cls.__dataclass_fields__
    out = []
    for row in rows:
        try:
            out.append(cls(**{k: v for k, v in row.items() if k in fields}))
        except TypeError:
            continue
    return out
