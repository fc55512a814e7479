"""The store's schema: the tables (sql/schema.sql), the staging views and filter
macros (sql/staging.sql), the vocabulary macros (from `budgetperf.vocabulary`) and
the marts (sql/marts/*.sql), rebuilt whole at every write. Creating the schema is
idempotent, so a draft of an older store gets what it lacks.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from budgetperf.storing.arrow import insert_rows
from budgetperf.understanding.parsers.context import Reference

SQL_DIR = Path(__file__).resolve().parent / "sql"


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
    con.execute((SQL_DIR / "views.sql").read_text(encoding="utf-8"))


def refresh_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the mart tables (marts.sql) from the stored rows: call after every
    write, in the writing transaction's connection (build, ingest). Pages query
    these tables; they are derived, so rebuilding them whole is always correct."""
    con.execute((SQL_DIR / "marts.sql").read_text(encoding="utf-8"))


def load_regions(con: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    con.execute("delete from regions")
    rows = {r.name: r for r in ref.regions}  # a name used twice keeps one row for labels
    insert_rows(con, "regions", [(r.name, r.level, r.city, r.province, r.code) for r in rows.values()])


def prepare_draft(con: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    """Schema (created if missing) and the region table (loaded if empty) of a draft."""
    create_schema(con)
    if con.execute("select count(*) from regions").fetchone()[0] == 0:
        load_regions(con, ref)

