"""Telling a damaged store file apart from an outdated or a missing one, so people are
told what is true and what to do: a corrupt file is rebuilt from the reports folder
(originals, corrections and the write log live outside it), an outdated one is
rebuilt by this version, a missing one was never built.

`open_checked(path)` opens the store read-only and reads what every page needs
first (its schema stamp, the documents); `is_corruption(exc)` recognises DuckDB's words
for a damaged file in an error raised later, by any query. No streamlit here; the
CLI (`info`, `check`) and the app (`app.store_cache`) say the messages.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from budgetperf.errors import UserError
from budgetperf.storing import schema, store

# What DuckDB says when the bytes of a store file are not what it wrote.
_CORRUPTION_WORDS = ("not a valid duckdb database", "corrupt", "checksum", "could not read enough bytes",
                     "invalid block", "failed to deserialize", "serialization error")


class StoreCorrupt(UserError):
    """The store file is damaged (not a DuckDB file, truncated, a block's checksum wrong)."""


class StoreOutdated(UserError):
    """The store was built by another version of this program."""


def is_corruption(exc: BaseException) -> bool:
    """Whether a DuckDB error (or one wrapping it) says the file itself is damaged."""
    while exc is not None:
        text = str(exc).lower()
        if isinstance(exc, duckdb.Error) and any(word in text for word in _CORRUPTION_WORDS):
            return True
        exc = getattr(exc, "error", None) or exc.__cause__ or exc.__context__
    return False


def corrupt(path: str | Path, exc: BaseException | None = None) -> StoreCorrupt:
    """The error for a damaged store file, in both languages."""
    return StoreCorrupt(
        f"the store file {path} is corrupt ({exc}); rebuild it with `budgetperf build`",
        f"数据库文件已损坏，无法读取（{path}）。报告原件、人工更正和写入记录都在数据库之外，不受影响："
        "运行 `budgetperf build` 从报告文件夹重新生成即可。",
    )


def outdated(path: str | Path) -> StoreOutdated:
    return StoreOutdated(
        f"the store {path} was built by another version of budgetperf; rebuild it with `budgetperf build`",
        f"数据库（{path}）由另一版本的程序生成，与当前版本不匹配：运行 `budgetperf build` 重新生成即可。",
    )


def open_checked(path: str | Path) -> tuple[store.Snapshot, bool]:
    """Open the store read-only and read its stamp and its documents: (the snapshot,
    whether it was built by another version of this program). Raises StoreCorrupt
    for a damaged file and FileNotFoundError when there is none."""
    path = Path(path)
    try:
        con = store.connect(path, read_only=True)
    except duckdb.Error as exc:
        raise corrupt(path, exc) from exc
    try:
        row = con.execute("select value from store_meta where key = 'schema_version'").fetchone()
        con.execute("select count(*) from documents").fetchone()
    except duckdb.Error as exc:
        con.close()
        if is_corruption(exc):
            raise corrupt(path, exc) from exc
        return store.connect(path, read_only=True), True  # tables of an older (or no) version
    except BaseException:
        con.close()
        raise
    return con, (row[0] if row else None) != schema.schema_version()
