"""Settings: every knob the app, CLI and tests read, in one table.

Each `Setting` has a default and can be overridden by an environment variable of
the same name (`BUDGETPERF_DB=/tmp/x.duckdb make run`). Path settings resolve
relative to the repo root (the parent of this package), not the working
directory, so `streamlit run`, `python -m budgetperf` and pytest agree wherever
they are started. The README documents every setting (tests/test_settings.py
checks this).

This module owns names, defaults and lookup only. It must not import streamlit,
open files or create directories; callers do that with the value they get.
Modelled on datasette's `SETTINGS = (Setting(...), ...)` in `datasette/app.py`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    # False for values that are not repo-relative paths (the browser may be
    # given as a bare command name found on PATH, e.g. `chromium`).
    is_path: bool = True


SETTINGS = (
    Setting(
        "BUDGETPERF_DB",
        "data/budgetperf.duckdb",
        "DuckDB 数据库文件，由 `python -m budgetperf build` 生成，应用以只读方式打开。"
        " / DuckDB store built by `python -m budgetperf build`; the app opens it read-only.",
    ),
    Setting(
        "BUDGETPERF_REPORTS_DIR",
        "data/reports",
        "待抽取的绩效评价报告所在目录。"
        " / Directory of budget-performance reports to extract.",
    ),
    Setting(
        "BUDGETPERF_REGIONS",
        "data/regions.csv",
        "行政区划参考表（地区、级别、所属市、所属省、代码），用于识别报告所属地区。"
        " / Reference table of administrative regions used to resolve a report's region.",
    ),
    Setting(
        "BUDGETPERF_UNIT_ALIASES",
        "data/unit_aliases.csv",
        "单位全称与简称对照表，用于规范单位名称（如 网络安全和信息化委员会办公室 → 网信办）。"
        " / Long-to-short unit name table used to canonicalize unit names.",
    ),
    Setting(
        "BUDGETPERF_CHROMIUM",
        "/usr/bin/chromium",
        "用于导出 PNG 图片和浏览器测试的 Chromium 可执行文件（绝对路径或 PATH 中的命令名）。"
        " / Chromium executable for PNG export and browser tests (absolute path or a command on PATH).",
        is_path=False,
    ),
    Setting(
        "BUDGETPERF_BENCH_DIR",
        ".bench",
        "`python -m budgetperf bench` 缓存合成语料、对应数据库与结果 JSON 的目录（不入库）。"
        " / Where `python -m budgetperf bench` caches synthetic corpora, their stores and the results JSON.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """The value of setting `name`: the environment variable if set and non-empty,
    else the default. Path settings come back absolute, resolved against the repo
    root when relative (and with `~` expanded). Raises KeyError for an unknown
    name, so a typo fails loudly instead of reading an unset variable."""
    try:
        setting = _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown setting {name!r}; known: {', '.join(_BY_NAME)}") from None
    # An empty value (`BUDGETPERF_DB= make run`) means "not set", not "the repo root".
    value = os.environ.get(name) or setting.default
    if not setting.is_path:
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else ROOT / path)
