"""The write log: who changed the store, when, what, and with what outcome.

One JSON object per line in ``BUDGETPERF_WRITE_LOG`` (default
``data/write_log.jsonl``), beside the store rather than in it, so it survives
``build`` (which publishes a brand-new store) and can be backed up with the
reports. Appends are whole lines under an ``flock`` and fsynced; a line torn by a
crash is skipped when reading.

Entries are `WriteEntry` records. Any module that writes may `append` its own
actions (``add``, ``delete``, ``build`` today; corrections later) with its own
``action`` name; readers must accept actions they do not know. No streamlit here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path

from budgetperf import settings, vocabulary
from budgetperf.changes.jsonlines import append_lines, read_lines, records_of

# Chinese labels for the page and the CLI.
ACTION_ZH = {"add": "导入", "delete": "删除", "build": "重建", "correct": "更正", "reference": "修改参考表",
             "duplicate": "判定重复"}
# A file's outcomes are the vocabulary's (the upload page and the CLI say the same);
# a write log entry adds the outcomes of whole-store writes.
OUTCOME_ZH = {**vocabulary.OUTCOME_ZH, "built": "已重建", "corrected": "已更正", "undone": "已撤销",
              "same": "同一份报告", "distinct": "不是同一份"}


@dataclass
class WriteEntry:
    """One line of the write log."""

    action: str  # add | delete | build | (later) correct …
    editor: str  # the editor's name in the app; "命令行:<user>" from the CLI
    outcome: str  # added | unchanged | replaced | failed | deleted | built …
    file: str | None = None
    doc_id: str | None = None
    detail: str | None = None  # the reason of a failure, or what changed
    via: str = "app"  # app | cli
    at: str = field(default_factory=lambda: dt.datetime.now().astimezone().isoformat(timespec="seconds"))
    extra: dict = field(default_factory=dict)


def log_path() -> Path:
    """Where the log is (setting BUDGETPERF_WRITE_LOG)."""
    return Path(settings.get("BUDGETPERF_WRITE_LOG"))


def append(entries: list[WriteEntry], path: str | Path | None = None) -> None:
    """Append entries as lines, durably. Raises OSError when the log cannot be written
    (callers that already published say so instead of failing the write)."""
    append_lines(path or log_path(), [asdict(e) for e in entries])


def append_or_problem(entries: list[WriteEntry], done_zh: str = "已写入数据库") -> str | None:
    """Append after a write that already took effect: a log that cannot be written
    does not undo it, it is reported (None when all went well)."""
    try:
        append(entries)
    except OSError as exc:
        return f"{done_zh}，但写入记录未能保存（{log_path()}：{exc.strerror or exc}）"
    return None


def read(path: str | Path | None = None, limit: int | None = None) -> list[WriteEntry]:
    """Entries oldest first (the last `limit` when given); unreadable lines skipped."""
    entries = records_of(WriteEntry, read_lines(path or log_path()))
    return entries[-limit:] if limit else entries