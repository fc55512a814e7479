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
        "BUDGETPERF_CORRECTIONS",
        "data/corrections.jsonl",
        "人工更正记录（每行一条，含更正人、时间、原值、新值、原因；撤销也记一行），重建数据库后仍然生效。"
        " / Corrections made by people (one JSON line each, undo records too); they survive rebuilds.",
    ),
    Setting(
        "BUDGETPERF_FINDING_STATUSES",
        "data/finding_statuses.jsonl",
        "审核发现的处理状态（已核实/忽略，谁、何时、原因；撤销也记一行），写入时套用到数据库，重建后仍然保留。"
        " / Editors' statuses of audit findings (one JSON line each); applied at every write, they survive rebuilds.",
    ),
    Setting(
        "BUDGETPERF_DUPLICATE_DECISIONS",
        "data/duplicate_decisions.jsonl",
        "对「可能重复」的报告所作的判定（同一份报告/不是同一份，谁、何时、原因），写入时套用到数据库，重建后仍然保留。"
        " / Editors' verdicts on probable duplicate reports (one JSON line each); applied at every write, they survive rebuilds.",
    ),
    Setting(
        "BUDGETPERF_REFERENCE_EDITS",
        "data/reference_edits.jsonl",
        "在应用中对地区表、单位简称表所做的修改（每行一条，含修改人、时间、原因），加载参考表时叠加在 CSV 之上。"
        " / Edits of the region and unit-alias tables made in the app, laid over the CSV files.",
    ),
    Setting(
        "BUDGETPERF_CHROMIUM",
        "/usr/bin/chromium",
        "用于导出 PNG 图片和浏览器测试的 Chromium 可执行文件（绝对路径或 PATH 中的命令名）。"
        " / Chromium executable for PNG export and browser tests (absolute path or a command on PATH).",
        is_path=False,
    ),
    Setting(
        "BUDGETPERF_ARCHIVE_DIR",
        "data/archive",
        "被删除或被新版本替换的报告原件移到这里（文件名前加时间），重建数据库时不会再读入。"
        " / Originals of deleted or replaced reports are moved here (time-stamped), out of the rebuild.",
    ),
    Setting(
        "BUDGETPERF_WRITE_LOG",
        "data/write_log.jsonl",
        "写入记录（谁、何时、对哪个文件、结果），每行一条 JSON；重建数据库后仍保留。"
        " / Write log (who, when, which file, outcome), one JSON object per line; survives rebuilds.",
    ),
    Setting(
        "BUDGETPERF_MAX_FILE_MB",
        "20",
        "单个报告文件的大小上限（MB），超过的文件不读取。"
        " / Largest report file accepted, in MB.",
        is_path=False,
    ),
    Setting(
        "BUDGETPERF_MAX_UNPACKED_MB",
        "200",
        ".docx/.xlsx 解压后的总大小上限（MB），防止压缩炸弹。"
        " / Largest total unpacked size of a .docx/.xlsx (zip bomb guard), in MB.",
        is_path=False,
    ),
    Setting(
        "BUDGETPERF_LOCK_TIMEOUT",
        "120",
        "写入数据库时等待另一个写入任务完成的最长秒数。"
        " / Seconds a write waits for another writer before giving up.",
        is_path=False,
    ),
    Setting(
        "BUDGETPERF_EDITORS",
        "",
        "编辑账号（可上传、删除）：`姓名=哈希;姓名=哈希`，哈希由 `budgetperf editor-hash` 生成；"
        "也可写在 .streamlit/secrets.toml 的 [editors] 中。为空且无 secrets 时应用只读。"
        " / Editor accounts as `name=hash;name=hash` (hashes from `budgetperf editor-hash`),"
        " or [editors] in .streamlit/secrets.toml; none configured means the app is read-only.",
        is_path=False,
    ),
    Setting(
        "BUDGETPERF_OCR_CACHE_DIR",
        "data/ocr_cache",
        "扫描件与图片的文字识别（OCR）结果缓存目录，按文件内容哈希保存：更正、重新导入、重建数据库时不再重新识别。可随时删除（下次读取时重新识别）。"
        " / OCR results of scanned pages and images, keyed by content hash, so a correction, re-ingest or"
        " rebuild never runs OCR again. Safe to delete (pages are recognised again when next read).",
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


def get_float(name: str) -> float:
    """A numeric setting (sizes, timeouts) as a float; a value that is not a positive
    number raises ValueError naming the setting, rather than being silently ignored."""
    raw = get(name)
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise ValueError(f"setting {name} must be a positive number, got {raw!r}")
    return value
