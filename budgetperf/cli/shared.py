"""What every command of the command line does alike: where the store is, the
`--db`/`--reports`/`--json` options, a query on the store and its JSON rows, an
error and its exit status (2), and the outcome of a write. One home, so that `main`, `corrections` and `duplicates` word
them the same; must not run any command itself."""

from __future__ import annotations

import sys
from pathlib import Path

from budgetperf import settings
from budgetperf.storing import health, store

DB_HELP = "数据库路径（默认 BUDGETPERF_DB，即 data/budgetperf.duckdb）"
JSON_HELP = "以 JSON 输出结果"


def error(message: str) -> int:
    """Print `错误：message` on stderr; returns exit status 2 (the command could not run)."""
    print(f"错误：{message}", file=sys.stderr)
    return 2


def store_path(db: str | None) -> Path:
    """The store `--db` names, else the configured one (BUDGETPERF_DB)."""
    return Path(db or settings.get("BUDGETPERF_DB"))


def missing_store(path: Path | str) -> int:
    """The error for a store not built yet; returns exit status 2."""
    return error(f"找不到数据库：{path}（请先运行 `budgetperf build` 生成）")


def store_or_exit(db: str | None) -> Path:
    """The store's path, or exit with `missing_store` when it does not exist."""
    path = store_path(db)
    if not path.is_file():
        raise SystemExit(missing_store(path))
    return path


def query_store(db: Path, name: str, **params):
    """The DataFrame of the named query (`queries/<name>.sql`) on the store at `db`,
    opened after its health check, as the app's pages run it."""
    con, _ = health.open_checked(db)
    with con:
        return store.run_query(name, con=con, **params)


def print_records(df, **to_json) -> None:
    """A query's rows as a JSON list of objects (`--json` output), Chinese unescaped."""
    print(df.to_json(orient="records", force_ascii=False, indent=1, **to_json))


def note_log_problem(problem: str | None) -> None:
    """A write that succeeded but could not be entered in the write log says so."""
    if problem:
        print(f"注意：{problem}", file=sys.stderr)


def finish(report) -> int:
    """Exit status of a write with `ok`, `message_zh` and `log_problem`: the refusal
    as an error (2), else 0 after noting a log problem."""
    if not report.ok:
        return error(report.message_zh)
    note_log_problem(report.log_problem)
    return 0


def add_store_arguments(p, *, reports_help: str | None = None, json: bool = False) -> None:
    """`--db`, `--reports` (when the command reads or keeps originals: `reports_help`
    says what for) and `--json`."""
    p.add_argument("--db", help=DB_HELP)
    if reports_help:
        p.add_argument("--reports", help=reports_help)
    if json:
        p.add_argument("--json", action="store_true", help=JSON_HELP)
