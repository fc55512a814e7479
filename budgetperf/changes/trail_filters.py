"""The 修改记录 page's filters over the audit trail (`storing.committing.trail_frame`: one row per
correction, undo and reference-table edit with 时间, 编辑, 文件, 对象, 字段, 原值, 新值,
原因, 状态, id).

The trail is a few thousand rows at most (people type them), so it is filtered in
pandas, not in SQL. Pure functions; no streamlit, no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

COLUMNS = ["时间", "编辑", "文件", "对象", "字段", "原值", "新值", "原因", "状态", "id"]


@dataclass(frozen=True)
class TrailFilter:
    editors: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    file: str = ""
    text: str = ""

    @property
    def is_active(self) -> bool:
        return bool(self.editors or self.fields or self.start or self.end or self.file.strip() or self.text.strip())


def dates(times: pd.Series) -> pd.Series:
    """The calendar day of each time, as the person who made the change saw it (an
    ISO text keeps its own UTC offset; its date part is that local day)."""
    if pd.api.types.is_datetime64_any_dtype(times):
        return times.dt.date
    return pd.to_datetime(times.astype("string").str.slice(0, 10), errors="coerce").dt.date


def options(trail: pd.DataFrame, column: str) -> list[str]:
    """The distinct values of a column (editors, fields), for the pickers."""
    if trail.empty or column not in trail:
        return []
    return sorted({str(v) for v in trail[column].dropna() if str(v).strip()})


def apply(trail: pd.DataFrame, f: TrailFilter) -> pd.DataFrame:
    """The rows of `trail` that pass `f`, newest first. `text` looks in every text
    column (object, value, reason …), `file` in the file name; both ignore case."""
    if trail.empty:
        return trail
    keep = pd.Series(True, index=trail.index)
    if f.editors:
        keep &= trail["编辑"].isin(list(f.editors))
    if f.fields:
        keep &= trail["字段"].isin(list(f.fields))
    if f.start or f.end:
        days = dates(trail["时间"])
        if f.start:
            keep &= days.map(lambda d: d is not None and not pd.isna(d) and d >= f.start)
        if f.end:
            keep &= days.map(lambda d: d is not None and not pd.isna(d) and d <= f.end)
    if f.file.strip():
        keep &= trail["文件"].fillna("").astype(str).str.contains(f.file.strip(), case=False, regex=False)
    if f.text.strip():
        text = trail[[c for c in COLUMNS if c in trail and c != "时间"]].fillna("").astype(str).agg(" ".join, axis=1)
        keep &= text.str.contains(f.text.strip(), case=False, regex=False)
    out = trail[keep]
    return out.sort_values("时间", ascending=False, kind="stable") if "时间" in out else out


def summary(shown: pd.DataFrame, total: int) -> str:
    """「显示 12 / 共 340 条」 with the editors and days they span."""
    if shown.empty:
        return f"没有符合条件的记录（共 {total:,} 条）"
    editors = shown["编辑"].nunique() if "编辑" in shown else 0
    return f"显示 {len(shown):,} / 共 {total:,} 条，涉及 {editors} 位编辑"


def export_frame(shown: pd.DataFrame, columns: Sequence[str] = COLUMNS) -> pd.DataFrame:
    """The rows to export, with the columns in the page's order (missing ones empty)."""
    out = pd.DataFrame(index=shown.index)
    for column in columns:
        values = shown[column] if column in shown else None
        if isinstance(values, pd.Series) and isinstance(values.dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_localize(None)  # local wall time: Excel has no time zones
        out[column] = values
    return out.reset_index(drop=True)
