"""Tables: typed values with Chinese headers and display formats (numbers stay
numbers, so sorting and exports see numbers), server-side paging and sorting kept in
the URL, and every table's rows (all of them, not the page) as XLSX and CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from budgetperf import charts, vocabulary
from budgetperf.app import store_cache
from budgetperf.app.frame import export_filename, record_export
from budgetperf.app.sidebar import filter_note
from budgetperf.app.store_cache import query
from budgetperf.export import packs
from budgetperf.understanding import findings, linking

# The column kept visible while a wide table scrolls sideways: one only (the first
# of these a table has), or on a phone the pinned columns fill the width and the
# figures beside them cannot be reached.
_KEY_COLUMNS = ("project_name", "indicator_name", "doc_name", "item", "rule", "region")


_INT_COLUMNS = {"year", "earlier_year", "later_year", "line_start", "line_end", "line_no", "year_line", "rank"}


_COUNT_COLUMNS = {"projects", "projects_undisclosed", "checks", "errors", "warnings", "indicators", "quantified",
                  "findings", "docs", "regions", "line_count", "review_reasons", "docs_review"}


_SCORE_COLUMNS = {"score", "weight", "total_score", "max_score", "lost_points", "avg_score", "earlier_total_score",
                  "total_weight", "lost_item_points"}


# Text marks, not emoji: a server or PC without an emoji font shows emoji as boxes.
STATUS_MARKS = {"低于警戒线": "▼ 低于警戒线", "达标": "● 达标", "超过预算": "▲ 超过预算",
                charts.UNDISCLOSED: "○ 未披露"}


def column_config(columns: Sequence[str]) -> dict:
    """st.column_config for query columns: numbers stay numbers (so sorting is
    numeric) and get their look here: 万元 with thousands separators, percent,
    scores; key columns pinned."""
    config = {}
    key = next((c for c in _KEY_COLUMNS if c in columns), None)
    for column in columns:
        label = charts.LABELS.get(column, column)
        pinned = True if column == key else None
        if column.endswith("_wan"):
            config[column] = st.column_config.NumberColumn(label, format="%,.2f 万元")
        elif column.endswith("_pct"):
            config[column] = st.column_config.NumberColumn(label, format="%.2f%%")
        elif column in _INT_COLUMNS:
            config[column] = st.column_config.NumberColumn(label, format="%d")
        elif column in _COUNT_COLUMNS:
            config[column] = st.column_config.NumberColumn(label, format="%,d")
        elif column in _SCORE_COLUMNS:
            config[column] = st.column_config.NumberColumn(label, format="%g")
        elif column.startswith(("is_", "has_")) or column.endswith("_is_explicit") or column == "target_is_numeric":
            config[column] = st.column_config.CheckboxColumn(label)
        elif column in ("doc_kinds",):
            config[column] = st.column_config.ListColumn(label)
        elif column in ("message_zh", "snippet", "text", "example_message", "help"):
            # sized to the text: a reviewer reads the whole message, not its first 40 characters
            config[column] = st.column_config.TextColumn(label, width=None)
        else:
            config[column] = st.column_config.TextColumn(label, pinned=pinned)
    return config


# Columns a table may ask for that are worded from another column (a code → its
# Chinese words): computed here, for the table and its XLSX alike, never in a page.
# a programme link's stored strength → the evidence it stands for (`understanding.linking`)
_EVIDENCE_BY_STRENGTH = {strength: linking.EVIDENCE_ZH[kind] for kind, strength in linking.STRENGTH.items()}


def link_evidence(strength: object) -> str | None:
    """The evidence behind a programme link, in words, from its stored strength."""
    return None if charts.is_missing(strength) else _EVIDENCE_BY_STRENGTH.get(round(float(strength), 2))


DERIVED = {
    "status": ("execution_rate_pct", vocabulary.execution_status),
    "link_evidence": ("similarity", link_evidence),
    "rule": ("kind", findings.rule_title),
    "help": ("kind", findings.rule_help),
    "reason": ("code", findings.review_label),
}


def with_derived(df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """`df` with the `DERIVED` columns among `columns` that it lacks, filled from
    their source columns."""
    missing = {c: DERIVED[c] for c in columns if c in DERIVED and c not in df and DERIVED[c][0] in df}
    if not missing:
        return df
    return df.assign(**{c: [word(v) for v in df[source]] for c, (source, word) in missing.items()})


def table_frame(df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """`df[columns]` ready for st.dataframe: values typed (lists kept, codes in
    Chinese), missing columns empty."""
    out = pd.DataFrame(index=df.index)
    for column in columns:
        values = df[column] if column in df else pd.Series([None] * len(df), index=df.index, dtype=object)
        if column == "field":
            values = values.map(lambda v: charts.FIELD_LABELS.get(str(v), str(v)))
        elif column == "entity":
            values = values.map(lambda v: charts.ENTITY_LABELS.get(str(v), str(v)))
        elif column == "kind" and "severity" not in df:
            values = values.map(lambda v: charts.KIND_LABELS.get(str(v), str(v)))
        elif column == "doc_kinds":
            values = values.map(lambda v: [charts.DOC_KIND_LABELS.get(str(x), str(x)) for x in v]
                                if charts.is_listlike(v) else v)
        elif column == "status":
            values = values.map(lambda v: STATUS_MARKS.get(v, v))
        out[column] = values
    return out.reset_index(drop=True)


def show_table(df: pd.DataFrame, columns: Sequence[str], export_name: str, *, height: int | str = "auto",
               selectable: bool = False, key: str | None = None,
               export_rows: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> int | None:
    """Show `df`'s `columns` with Chinese headers and display formats (values stay
    typed); record them for export; offer every row as XLSX and CSV (a page of a
    paged query: every row of the whole result, fetched on click). A table that is
    one page of several cannot be sorted by its headers (that would sort the page
    only): the sort picker above it sorts the whole result in SQL. With
    ``selectable=True`` one row can be selected; returns its position in `df` (or None).
    `export_rows` reshapes every row before it is exported as it reshaped the page
    shown (editor names hidden from a viewer, `audit.with_viewer_names`)."""
    columns = [c for c in columns]
    paged = df.attrs.get("paged")
    df = with_derived(df, columns)
    shown = table_frame(df, columns)
    record_export(export_name, None, df[[c for c in columns if c in df]])
    kwargs = dict(hide_index=True, width="stretch", height=height, column_config=column_config(columns),
                  placeholder="—")
    is_part = bool(paged) and paged["total"] > len(df)
    holder = st.container(key=f"nosort_{paged['key']}" if is_part else None)
    with holder:
        if not selectable:
            st.dataframe(shown, key=key, **kwargs)
            row = None
        else:
            event = st.dataframe(shown, key=key or f"table.{export_name}", on_select="rerun",
                                 selection_mode="single-row", **kwargs)
            rows = event.selection.rows if event else []
            row = rows[0] if rows and rows[0] < len(df) else None
    def source() -> pd.DataFrame:  # every row of a paged table, fetched when a download is asked for
        rows = store_cache.query_all(paged["name"], **paged["params"])()
        return export_rows(rows) if export_rows else rows

    download_all(export_name, source if paged else df, columns, paged["total"] if paged else len(df), key=key or export_name)
    return row


PAGE_SIZE = 50
ORDERS = {"asc": "从低到高", "desc": "从高到低"}


def url_key(name: str) -> str:
    """The URL prefix of a paged query's sort, order and page (``?projects.sort=…``):
    the query's own name (``execution/projects`` → ``projects``)."""
    return name.rsplit("/", 1)[-1]


def paged_query(name: str, export_name: str, *, sorts: dict[str, str] | None = None, page_size: int = PAGE_SIZE,
                key: str | None = None, **params) -> pd.DataFrame:
    """Run a paged named query (params ``limit``/``offset``, optional ``sort``/
    ``descending``) with a sort picker (`sorts`: column → Chinese label) and a
    page picker drawn above the table; returns the page (its ``total_rows`` column
    counts every row). Sorting is in SQL, over all rows, not just the page; sort,
    order and page are in the URL (``?projects.sort=budget_wan&projects.order=desc
    &projects.page=2``), so a shared link shows the same rows. `show_table` reads
    ``df.attrs["paged"]`` to export every row and to turn header sorting off."""
    key = key or url_key(name)
    sort, descending = None, False
    controls = st.container(horizontal=True, wrap=True, vertical_alignment="bottom", key=f"pager_{key}")
    if sorts:
        with controls:
            sort = st.selectbox("排序", list(sorts), format_func=sorts.get, key=f"{key}.sort", width=220,
                                bind="query-params")
            order = st.segmented_control("方向", list(ORDERS), format_func=ORDERS.get, default="asc",
                                         key=f"{key}.order", label_visibility="collapsed", bind="query-params")
        sort, descending = sort or next(iter(sorts)), order == "desc"
        params.update(sort=sort, descending=descending)
    page_key = f"{key}.page"
    page = page_number(page_key)
    df = query(name, **params, limit=page_size, offset=(page - 1) * page_size)
    total = int(df["total_rows"].iloc[0]) if not df.empty else 0
    pages = max(1, -(-total // page_size))
    if page > pages:  # filters changed under the page number (or a link named too far a page): the first page
        st.session_state[page_key] = 1
        page = 1
        df = query(name, **params, limit=page_size, offset=0)
    with controls:
        if pages > 1:
            st.number_input("页", min_value=1, max_value=pages, step=1, key=page_key, width=110, bind="query-params")
        first = (page - 1) * page_size + 1
        if total:
            st.caption(f"第 {first:,}–{min(total, page * page_size):,} 行，共 {total:,} 行")
    df.attrs["paged"] = {"name": name, "params": dict(params), "total": total, "key": key}
    return df


def page_number(page_key: str) -> int:
    """The page asked for: the widget's state, else the URL; anything but a whole
    number from 1 on is page 1."""
    raw = st.session_state.get(page_key)
    if raw is None:
        raw = st.query_params.get(page_key)
    try:
        page = int(str(raw).strip()) if raw not in (None, "") else 1
    except ValueError:
        return 1
    return page if 1 <= page <= 1_000_000 else 1


def export_frame(df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """`df[columns]` as a spreadsheet gets it: derived columns filled, Chinese headers,
    values typed (numbers stay numbers)."""
    return with_derived(df, columns).reindex(columns=list(columns)).rename(columns=charts.LABELS)


def table_xlsx(df: pd.DataFrame, columns: Sequence[str], *, sheet: str, title: str, note: str) -> bytes:
    """An XLSX of `df[columns]` with Chinese headers, formatted like the 导出 workbooks
    (`packs.build_table_xlsx`: title and filter note on top, frozen header, widths);
    no chart, which a findings list has no use for."""
    return packs.build_table_xlsx(export_frame(df, columns), sheet=sheet, title=title, filters_note=note)


def table_csv(df: pd.DataFrame, columns: Sequence[str]) -> bytes:
    """A CSV of `df[columns]` with Chinese headers (`packs.build_csv`: text never a formula)."""
    return packs.build_csv(export_frame(df, columns))


def download_all(export_name: str, source: pd.DataFrame | Callable[[], pd.DataFrame], columns: Sequence[str],
                 total: int, *, key: str) -> None:
    """「导出全部 N 行」: every row of a table as XLSX and as CSV, built only when
    clicked (`source` may be a callable fetching all rows of a paged query)."""
    if not total:
        return
    stem = export_filename(export_name)
    with st.popover(f"导出全部 {total:,} 行", width="content"):
        download_xlsx("XLSX", xlsx_builder(source, columns, sheet=export_name, title=export_name), stem,
                      key=f"xlsx.{key}")
        st.download_button("CSV", data=csv_builder(source, columns), file_name=f"{stem}.csv", key=f"csv.{key}",
                           on_click="ignore", mime="text/csv")


def download_xlsx(label: str, build: Callable[[], bytes], file_stem: str, key: str) -> None:
    """A download button for an XLSX built only when clicked (deferred callable, no rerun)."""
    st.download_button(
        label, data=build, file_name=f"{file_stem}.xlsx", key=key, on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def xlsx_builder(df: pd.DataFrame | Callable[[], pd.DataFrame], columns: Sequence[str], *, sheet: str,
                 title: str) -> Callable[[], bytes]:
    """A no-argument callable for `download_xlsx`: inputs bound now (the download
    callback runs without script context, so it must not read session state). `df`
    may be a callable returning the frame (all rows, fetched only on click)."""
    def build(source=df.copy() if isinstance(df, pd.DataFrame) else df, note=filter_note()) -> bytes:
        frame = source() if callable(source) else source
        return table_xlsx(frame, list(columns), sheet=sheet, title=title, note=note)
    return build


def csv_builder(df: pd.DataFrame | Callable[[], pd.DataFrame], columns: Sequence[str]) -> Callable[[], bytes]:
    """As `xlsx_builder`, for a CSV."""
    def build(source=df.copy() if isinstance(df, pd.DataFrame) else df) -> bytes:
        frame = source() if callable(source) else source
        return table_csv(frame, list(columns))
    return build
