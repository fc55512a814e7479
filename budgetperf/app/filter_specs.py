"""The shared sidebar filters: names, Chinese labels, and their mapping to query params.

Owns the filter vocabulary every page uses: the six filters (年度, 地区, 层级,
单位/部门, 项目, 文档类型), how a widget's value becomes a named-query parameter
("全部" = nothing selected = ``None``, never ``[]``, which would match nothing),
and how the current filters are described in Chinese (empty states, export notes).

Pure: no streamlit, no DuckDB. `app.sidebar` renders the widgets from `FILTERS`;
the widget key is also the URL query parameter and the SQL parameter name, so
``?regions=三门峡市&years=2021`` reproduces a view and binds ``$regions``/``$years``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class FilterSpec:
    """One shared filter: widget key (= URL param = SQL param), label, options column."""

    key: str
    label: str
    column: str  # column of the `common/filter_options` query holding the options
    # Filters whose options narrow to rows matching the filters above them (a long
    # list of units or projects is only usable once region/year are chosen).
    is_cascading: bool = False


FILTERS: tuple[FilterSpec, ...] = (
    FilterSpec("years", "年度", "year"),
    FilterSpec("regions", "地区", "region"),
    FilterSpec("levels", "层级", "level_zh"),
    FilterSpec("units", "单位/部门", "unit", is_cascading=True),
    FilterSpec("projects", "项目", "project_name", is_cascading=True),
    FilterSpec("doc_types", "文档类型", "doc_type_zh"),
)
FILTER_KEYS: tuple[str, ...] = tuple(f.key for f in FILTERS)
_BY_KEY = {f.key: f for f in FILTERS}

# Fixed orders for the small vocabularies, so the options read naturally.
LEVEL_ORDER = ("县", "区", "市", "省", "未知")
DOC_TYPE_ORDER = ("评价", "目标")


# A year a report can be about; anything else in a link is not a year.
YEAR_RANGE = (1949, 2100)
# A name longer than this, or with control characters, is no region, unit or project.
MAX_VALUE_CHARS = 200


def valid_year(value: object) -> int | None:
    """`value` as a year when it is one: ASCII digits (``²`` passes ``isdigit`` and
    fails ``int``) within `YEAR_RANGE` (a 40-digit number overflows the store's
    integers); else None."""
    if isinstance(value, bool):
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None
    year = int(text)
    return year if YEAR_RANGE[0] <= year <= YEAR_RANGE[1] else None


def valid_value(key: str, value: object) -> object | None:
    """A filter value as the query takes it, or None when it cannot be one (a
    year that is not a year, a name too long or with control characters)."""
    if value is None or value == "":
        return None
    if key == "years":
        return valid_year(value)
    text = str(value)
    if len(text) > MAX_VALUE_CHARS or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return None
    return text


def invalid_values(state: Mapping[str, object]) -> list[tuple[str, str]]:
    """(label, value) of every filter value that is not valid (from a link): what
    the page says it ignored."""
    out = []
    for spec in FILTERS:
        value = state.get(spec.key)
        values = [value] if isinstance(value, str) else list(value or [])
        out += [(spec.label, str(v)) for v in values if v not in (None, "") and valid_value(spec.key, v) is None]
    return out


def to_params(state: Mapping[str, object]) -> dict[str, list | None]:
    """Query params from widget values: an empty selection ("全部") becomes None.

    Years come back as ints whatever the widget held (URL values are strings);
    values that cannot be a filter's (`valid_value`) are left out, never passed on.
    """
    params: dict[str, list | None] = {}
    for spec in FILTERS:
        value = state.get(spec.key)
        if value is None or isinstance(value, str):
            value = [value] if value else []
        chosen = [valid_value(spec.key, v) for v in value]
        params[spec.key] = [v for v in chosen if v is not None] or None
    return params


def active(params: Mapping[str, list | None]) -> list[tuple[str, list]]:
    """The filters that are set, as (label, values) in sidebar order."""
    return [(spec.label, list(params[spec.key])) for spec in FILTERS if params.get(spec.key)]


def describe(params: Mapping[str, list | None]) -> str:
    """The current filters in Chinese, e.g. "年度=2021；地区=三门峡市"; "全部数据（未筛选）"."""
    parts = [f"{label}={'、'.join(map(str, values))}" for label, values in active(params)]
    return "；".join(parts) if parts else "全部数据（未筛选）"


def empty_hint(what: str, params: Mapping[str, list | None], *, blockers: Iterable[str] = ()) -> str:
    """The empty-state sentence: what is missing and which filter to change.

    `blockers` names filters (keys) known to exclude this page's data whatever
    the rest, e.g. ``doc_types`` on the execution page when only 目标 is chosen;
    they are named first. Example: "当前筛选下没有预算执行数据：请取消
    「文档类型=目标」或选择其他年度（点页面上方的筛选标签，或在左侧栏修改）".
    """
    named = []
    for key in [*blockers, *FILTER_KEYS]:
        values = params.get(key)
        if values and key not in [k for k, _ in named]:
            named.append((key, values))
    if not named:
        return f"数据库中还没有{what}：请联系数据管理员导入评价报告。"
    first_key, first_values = named[0]
    cancel = f"「{_BY_KEY[first_key].label}={'、'.join(map(str, first_values))}」"
    others = [_BY_KEY[k].label for k, _ in named[1:]]
    if first_key != "years" and "years" not in [k for k, _ in named[1:]]:
        others.append("年度")
    rest = f"或选择其他{'、'.join(others)}" if others else "或点「清除全部筛选」"
    return f"当前筛选下没有{what}：请取消{cancel}{rest}（点页面上方的筛选标签，或在左侧栏修改）。"


def ordered(values: Iterable, key: str) -> list:
    """Distinct option values in their natural order: years latest first, levels and
    doc types in their fixed order, everything else sorted."""
    values = [v for v in pd.unique(pd.Series(list(values), dtype=object)) if v is not None and not pd.isna(v)]
    if key == "years":
        return sorted({y for y in map(valid_year, values) if y is not None}, reverse=True)  # latest first
    order = {"levels": LEVEL_ORDER, "doc_types": DOC_TYPE_ORDER}.get(key)
    if order:
        return sorted(values, key=lambda v: (order.index(v) if v in order else len(order), v))
    return sorted(values)


def options(rows: pd.DataFrame, key: str, params: Mapping[str, list | None], selected: Iterable = ()) -> list:
    """The options of a non-cascading filter from the `common/filter_options` rows
    (columns key, value, level): years, levels, doc types, and regions (narrowed
    to the chosen levels). Whatever is already selected stays offered, so a
    selection never turns invalid (and a shared link never loses a value).

    Units and projects come from their own queries, narrowed in SQL by the
    filters above them (a province has thousands)."""
    if rows.empty:
        return ordered(selected, key)
    if key == "levels":
        values = rows.loc[rows["key"] == "regions", "level"]
    else:
        part = rows[rows["key"] == key]
        if key == "regions" and params.get("levels"):
            part = part[part["level"].isin(params["levels"])]
        values = part["value"]
    return ordered([*values.tolist(), *selected], key)


def chips(params: Mapping[str, list | None]) -> list[tuple[str, str, object]]:
    """The active filters as removable chips: (key, "地区：三门峡市", value) per value."""
    return [(spec.key, f"{spec.label}：{value}", value)
            for spec in FILTERS for value in (params.get(spec.key) or [])]


def figure_context(params: Mapping[str, list | None], years: Iterable[int] = ()) -> str:
    """What a chart shows, for its subtitle and exported image: the years (chosen,
    else the span of `years` in the data) and every other active filter, e.g.
    "2021 年；地区：三门峡市" or "2018–2025 年；全部地区"."""
    chosen = sorted(params.get("years") or [])
    shown = chosen or sorted({int(y) for y in years if y is not None and not pd.isna(y)})
    if not shown:
        year_text = "全部年度"
    elif len(shown) == 1:
        year_text = f"{shown[0]} 年"
    elif not chosen and shown == list(range(shown[0], shown[-1] + 1)):
        year_text = f"{shown[0]}–{shown[-1]} 年"
    else:
        year_text = "、".join(map(str, shown)) + " 年"
    parts = [year_text]
    for spec in FILTERS:
        values = params.get(spec.key)
        if spec.key == "years" or not values:
            continue
        listed = "、".join(map(str, values[:3])) + (f" 等 {len(values)} 个" if len(values) > 3 else "")
        parts.append(f"{spec.label}：{listed}")
    if not params.get("regions"):
        parts.insert(1, "全部地区")
    return "；".join(parts)
