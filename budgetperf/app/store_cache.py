"""The store as the app reads it: one read-only snapshot shared by every session
(``st.cache_resource``), reopened when a write publishes a new file, and named-query
results cached per store version (``st.cache_data``), so readers never wait on writers
and a page rerun costs a cache lookup. Also the notices shown when there is no store
or it does not match this version of the app.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from budgetperf import settings
from budgetperf.storing import health, publish, schema, store


class StoreMissing(Exception):
    """The store file does not exist (no build yet)."""


def store_path() -> Path:
    """Where the store is (setting BUDGETPERF_DB)."""
    return Path(settings.get("BUDGETPERF_DB"))


def store_version(path: Path | None = None) -> tuple[int, int, int] | None:
    """The store file's identity (inode, mtime_ns, size), or None when it is missing.
    Every write publishes a new file (`publish.publish`), so this changes with each."""
    return publish.file_version(path or store_path())


def store_exists() -> bool:
    """Whether the store file exists."""
    return store_version() is not None


@dataclass
class _OpenStore:
    path: str
    version: tuple[int, int, int] | None
    con: store.Snapshot
    schema_version: str | None = None  # the store's stamp (`schema.stored_schema_version`)


def _is_current(opened: _OpenStore) -> bool:
    # A write publishes a new file: drop this snapshot and open the new one.
    return store_version(Path(opened.path)) == opened.version


def _close(opened: _OpenStore) -> None:
    # A snapshot is its own DuckDB instance, so the new one never depends on this
    # closing; a query another session still runs on it keeps it busy (DuckDB then
    # refuses to close), and it is freed when that query lets go of it.
    try:
        opened.con.close()
    except duckdb.Error:
        pass


@st.cache_resource(validate=_is_current, on_release=_close, show_spinner=False)
def _open_store(path: str) -> _OpenStore:
    publish.recover_pending(path)  # a write a killed writer left half-done is finished (or undone) first
    version = store_version(Path(path))  # before opening: a publish in between only causes a reopen
    con = store.connect(path, read_only=True)
    cursor = con.cursor()
    try:
        stamp = schema.stored_schema_version(cursor)
    finally:
        cursor.close()
    return _OpenStore(path, version, con, stamp)


@st.cache_data(show_spinner=False, max_entries=1024)
def _run_cached(name: str, params: dict, path: str, version: tuple[int, int, int]) -> pd.DataFrame:
    # `version` is in the cache key only: a newly published store misses the old entries.
    return store.run_query(name, con=_open_store(path).con, **params)


def query(name: str, **params) -> pd.DataFrame:
    """Run named query `name` (queries/<name>.sql) with `params`, cached per store version.

    Raises StoreMissing when there is no store file. A query that races a publish
    (its snapshot closed underneath it) is retried once on the new snapshot.
    """
    path = store_path()
    version = store_version(path)
    if version is None:
        raise StoreMissing(str(path))
    try:
        df = _run_cached(name, params, str(path), version)
    except store.QueryError as exc:
        if not isinstance(exc.error, duckdb.ConnectionException):
            raise
        _open_store.clear()
        df = _run_cached(name, params, str(path), store_version(path) or version)
    except duckdb.Error as exc:  # the file would not even open: said by query_error_notice
        raise store.QueryError(name, params, exc) from exc
    return df


# ---------------------------------------------------------------------------
# figures shared by every session: a room opening the same link builds each chart once

_FIGURES: OrderedDict[tuple, go.Figure] = OrderedDict()
_FIGURES_LOCK = threading.Lock()
FIGURE_CACHE_SIZE = 256  # ~100 KB a figure


def frame_key(df: pd.DataFrame | None) -> object:
    """A digest of a frame's content (columns, index and values): equal frames, equal
    keys, whatever query or slice they came from. About a millisecond for a chart's
    rows."""
    if df is None:
        return None
    try:
        values = pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes()
    except TypeError:  # list columns (DuckDB arrays) do not hash: their pickled bytes do
        values = pickle.dumps(df, protocol=5)
    return hashlib.sha1(repr(list(df.columns)).encode() + values).hexdigest()


def cached_figure(key: tuple, build: Callable[[], go.Figure]) -> go.Figure:
    """The figure for `key` (its builder, its data's `frame_key`, its arguments and
    the filters it states), built once per process and store version and then
    shared, read-only, by every session (`display.chart`). Plotly builds a figure
    in 10–300 ms; a page of six charts for twenty people is 120 builds saved."""
    with _FIGURES_LOCK:
        fig = _FIGURES.get(key)
        if fig is not None:
            _FIGURES.move_to_end(key)
            return fig
    fig = build()  # outside the lock: another session may build the same one meanwhile
    with _FIGURES_LOCK:
        _FIGURES[key] = fig
        while len(_FIGURES) > FIGURE_CACHE_SIZE:
            _FIGURES.popitem(last=False)
    return fig


def missing_store_notice() -> None:
    """Say the store is missing, in words for the person looking at the dashboard
    (shown instead of pages): no command lines, whom to ask."""
    st.error(
        "还没有可显示的数据：数据库尚未生成或已被移走。请联系数据管理员导入评价报告并生成数据库，"
        "完成后刷新本页即可。",
        icon=":material/database:",
    )
    with st.expander("技术信息（给数据管理员）"):
        st.code(f"数据库文件：{store_path()}\n生成方法：make run，或 python -m budgetperf build", language=None)


def is_outdated_store() -> bool:
    """Whether the published store was built by another version of this program
    (its schema stamp differs from this one's)."""
    try:
        return _open_store(str(store_path())).schema_version != schema.schema_version()
    except duckdb.Error:
        return False  # it does not open at all: damaged, not outdated


def query_error_notice(exc: store.QueryError) -> None:
    """A query failed: an outdated store (built by an older version) says to rebuild
    it; anything else is a fault of the program, said as such, with the details
    for the administrator folded away (never the server's paths and traceback)."""
    if health.is_corruption(exc):
        st.error("数据库文件已损坏，暂时无法显示数据。请联系数据管理员重新生成数据库（报告原件和人工更正都不受影响）。",
                 icon=":material/database:")
        hint = health.corrupt(store_path(), exc.error).message_zh
    elif is_outdated_store():
        st.error("数据库由旧版本生成，与当前看板不匹配，需要重新生成：请联系数据管理员。", icon=":material/database:")
        hint = "重新生成：python -m budgetperf build"
    else:
        st.error("本页的一项查询出错，暂时无法显示。请换一个筛选条件或稍后再试；如果一直出现，请把下面的技术信息发给数据管理员。",
                 icon=":material/error:")
        hint = "这是程序的问题，不是数据库过旧：请保留此信息并报告维护人员。"
    with st.expander("技术信息（给数据管理员）"):
        st.code(f"查询 {exc.name} 失败：{type(exc.error).__name__}: {exc.error}\n{hint}", language=None)


def program_error_notice() -> None:
    """A page failed for a reason of the program's own (not a query, not the store):
    said in Chinese, with no server path or traceback (those go to the log)."""
    st.error("本页出错，暂时无法显示。请换一个筛选条件或稍后再试；如果一直出现，请告诉数据管理员出错的时间和页面。",
             icon="⚠️")


def query_later(name: str, **params) -> Callable[[], pd.DataFrame]:
    """A callable running named query `name` when called (a download's data, built on
    click), outside the script: it opens its own read-only connection."""
    path = str(store_path())

    def fetch() -> pd.DataFrame:
        con = store.connect(path, read_only=True)
        try:
            return store.run_query(name, con=con, **params)
        finally:
            con.close()
    return fetch


def query_all(name: str, **params) -> Callable[[], pd.DataFrame]:
    """A callable fetching every row of a paged query (for an XLSX of the whole list)."""
    return query_later(name, **params, limit=None, offset=0)

