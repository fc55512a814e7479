"""Rows into DuckDB through Arrow: a table's Arrow schema from the store's own DDL,
rows as Arrow tables, and one INSERT per table (DuckDB scans Arrow without a copy).
The one way rows are inserted in bulk; no decisions about what rows are.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from budgetperf.storing.rows import DOCUMENT_COLUMNS, DOCUMENT_TABLES


def table_schemas(con: duckdb.DuckDBPyConnection) -> dict[str, pa.Schema]:
    """The Arrow schema of each document table (and units), from the store's own DDL.
    `documents` keeps DOCUMENT_COLUMNS only (ingested_at takes its default)."""
    out = {}
    # A cursor: DuckDB refuses relation queries on a connection whose last result
    # was not read to the end (a caller's fetchone()), and the schema is committed DDL.
    cursor = con.cursor()
    try:
        schemas = {t: cursor.sql(f"select * from {t} limit 0").to_arrow_table().schema
                   for t in (*DOCUMENT_TABLES, "units", "program_links")}
    finally:
        cursor.close()
    for table, schema in schemas.items():
        if table == "documents":
            schema = pa.schema([schema.field(c) for c in DOCUMENT_COLUMNS])
        out[table] = schema
    return out


def to_arrow(schema: pa.Schema, rows: list[tuple]) -> pa.Table:
    """Rows (tuples in schema order, possibly a prefix of it) as an Arrow table."""
    width = len(rows[0])
    fields = list(schema)[:width]
    columns = list(zip(*rows))
    return pa.Table.from_arrays([pa.array(col, type=f.type) for col, f in zip(columns, fields)],
                                schema=pa.schema(fields))


def insert_arrow(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table, on_conflict: str = "") -> None:
    """One INSERT of a whole Arrow table (DuckDB scans it without a copy)."""
    if data.num_rows == 0:
        return
    name = f"_arrow_{table}"
    con.register(name, data)
    try:
        cols = ", ".join(data.column_names)
        con.execute(f"insert into {table} ({cols}) select {cols} from {name} {on_conflict}")
    finally:
        con.unregister(name)


def insert_tables(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> None:
    """Insert each table's rows with one statement; `units` keeps the first row per unit
    and skips units the store already has."""
    for table in reversed(DOCUMENT_TABLES):  # documents first, as a reader would expect
        if table in tables:
            insert_arrow(con, table, tables[table])
    if "units" in tables:
        units = tables["units"]
        seen, keep = set(), []
        for i, unit in enumerate(units.column(0).to_pylist()):
            if unit not in seen:
                seen.add(unit)
                keep.append(i)
        insert_arrow(con, "units", units.take(keep), "on conflict do nothing")


def concat_tables(parts: list[pa.Table]) -> pa.Table:
    return parts[0] if len(parts) == 1 else pa.concat_tables(parts)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Bulk insert of rows in the table's column order, through Arrow."""
    if rows:
        cursor = con.cursor()  # see loading.table_schemas
        try:
            schema = cursor.sql(f"select * from {table} limit 0").to_arrow_table().schema
        finally:
            cursor.close()
        insert_arrow(con, table, to_arrow(schema, rows))

