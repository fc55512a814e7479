"""The store's schema as models, in the order they are built:

1. ``sql/schema.sql``: the tables extraction fills (documents, projects, indicators,
   checks …), created if missing, so a draft of an older store gets what it lacks;
2. the vocabulary macros (`budgetperf.vocabulary.sql_macros`: grade bands, the
   警戒线, finding statuses), so SQL and Python share one set of words;
3. ``sql/staging/*.sql``: views that join and derive (stg_*) and the shared filter
   macros (matches_*), one object per file;
4. ``sql/marts/*.sql``: the tables pages query, materialized from the staging views
   at every write, and the table macros over them, one object per file.

Every write ends with `refresh_derived`: the editors' finding statuses are laid
over the stored findings and the probable duplicates worked out with the editors'
decisions on them (neither changes an extracted value, so neither needs a
re-extraction), and the marts are rebuilt whole (they are derived, never edited).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

import duckdb

from budgetperf import vocabulary
from budgetperf.changes import duplicates, finding_status
from budgetperf.storing.arrow import insert_rows
from budgetperf.understanding.duplicates import reason_zh
from budgetperf.understanding.parsers.context import Reference

SQL_DIR = Path(__file__).resolve().parent / "sql"
# Build order: a view or macro binds what it names when it is created.
STAGING = ("stg_projects", "stg_indicators", "stg_checks",
           "matches_filters", "matches_doc_filters", "matches_document_filters")
MARTS = ("mart_documents", "mart_projects", "mart_indicators", "mart_checks", "mart_sections", "mart_expenses",
         "mart_plans", "mart_passages", "mart_program_links", "mart_project_matches", "mart_duplicates",
         "agg_projects", "agg_checks", "agg_indicators", "agg_sections",
         "agg_checks_kind", "mart_review_items", "evaluated_projects", "projects_by_region_year",
         "open_findings_by_region_year", "evaluated_by_region_year", "indicators_by_region_year")


def schema_version() -> str:
    """A hash of everything that shapes the store's tables and marts (the SQL models
    and the vocabulary macros): a store stamped with another version was built by
    another version of this program, and the app says so instead of failing."""
    h = hashlib.sha256(vocabulary.sql_macros().encode())
    for path in sorted(SQL_DIR.rglob("*.sql")):
        h.update(str(path.relative_to(SQL_DIR)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def stored_schema_version(con) -> str | None:
    """The schema version a store was stamped with at its last write (None: older)."""
    try:
        row = con.execute("select value from store_meta where key = 'schema_version'").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def model_sql(folder: str, name: str) -> str:
    return (SQL_DIR / folder / f"{name}.sql").read_text(encoding="utf-8")


def _create_views(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(vocabulary.sql_macros())
    for name in STAGING:
        con.execute(model_sql("staging", name))


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Tables, vocabulary macros and staging views (idempotent)."""
    con.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
    _create_views(con)


def refresh_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the mart tables and macros from the stored rows, in the writing
    connection (the vocabulary and staging first: a draft of an older store may
    predate them)."""
    _create_views(con)
    for name in MARTS:
        con.execute(model_sql("marts", name))


def apply_finding_statuses(con: duckdb.DuckDBPyConnection, statuses: dict | None = None) -> None:
    """Lay the current finding statuses (`finding_status.current()` unless given)
    over the stored findings, and record each status with its outcome."""
    statuses = finding_status.current() if statuses is None else statuses
    con.execute("delete from finding_statuses")
    insert_rows(con, "finding_statuses", [
        (doc_hash, key, c.new_value, c.editor, c.at, c.reason, c.id, c.project, None)
        for (doc_hash, key), c in statuses.items()])
    con.execute("update checks set status = $open, status_by = null, status_at = null, status_reason = null "
                "where status is distinct from $open or status_by is not null", {"open": vocabulary.OPEN})
    con.execute("""
        update checks c set status = f.status, status_by = f.editor, status_at = f.made_at, status_reason = f.reason
        from finding_statuses f, documents d
        where d.doc_id = c.doc_id and d.content_hash = f.doc_hash and c.finding_key = f.finding_key""")
    con.execute("""
        update finding_statuses f set outcome = case when exists (
            select 1 from checks c join documents d using (doc_id)
            where d.content_hash = f.doc_hash and c.finding_key = f.finding_key) then 'applied' else 'orphan' end""")


# A write that keeps new duplicate decisions stages them in this temp table of its
# draft connection (`stage_decisions`), so they take effect in the very store that
# publishes them, before their log holds them (the log is appended after the
# commit point, `journal`).
PENDING_DECISIONS = "pending_duplicate_decisions"


def stage_decisions(con: duckdb.DuckDBPyConnection, records: list[duplicates.Decision]) -> None:
    """Lay `records` over the logged decisions in this draft (see PENDING_DECISIONS)."""
    con.execute(f"create or replace temp table {PENDING_DECISIONS} (record json)")
    for r in records:
        con.execute(f"insert into {PENDING_DECISIONS} values (?)", [json.dumps(asdict(r), ensure_ascii=False)])


def _staged_decisions(con: duckdb.DuckDBPyConnection) -> list[duplicates.Decision]:
    found = con.execute("select count(*) from duckdb_tables() where temporary and table_name = ?",
                        [PENDING_DECISIONS]).fetchone()[0]
    if not found:
        return []
    return [duplicates.Decision(**json.loads(r)) for (r,) in con.execute(f"select record from {PENDING_DECISIONS}").fetchall()]


def apply_duplicates(con: duckdb.DuckDBPyConnection, decisions: list[duplicates.Decision] | None = None) -> None:
    """Work out the probable duplicates (`duplicates.assign`) from the documents'
    fingerprints and the editors' decisions (the log's unless given, and those this
    write stages): `duplicate_pairs` lists them, `documents.duplicate_of` names the
    copy that counts for each one left out, `duplicate_decisions` says which
    decisions still apply."""
    records = [*(duplicates.load() if decisions is None else decisions), *_staged_decisions(con)]
    latest = duplicates.current(records)
    rows = con.execute("""
        with shared as (
            select fingerprint from documents
            where fingerprint is not null and not coalesce(is_excluded, false)
            group by fingerprint having count(*) > 1
        )
        select d.doc_id, d.content_hash, d.fingerprint, d.ingested_at, d.file,
               coalesce(d.unit_short, d.unit, d.region), d.year,
               (select count(*) from projects p where p.doc_id = d.doc_id)
        from documents d
        where d.fingerprint in (select fingerprint from shared) and not coalesce(d.is_excluded, false)""").fetchall()
    copies = [duplicates.Copy(doc_id, h, fp, (at is None, at, file)) for doc_id, h, fp, at, file, *_ in rows]
    why = {doc_id: reason_zh(unit, year, n) for doc_id, _, _, _, _, unit, year, n in rows}
    pairs = duplicates.assign(copies, latest)
    con.execute("delete from duplicate_pairs")
    insert_rows(con, "duplicate_pairs", [
        (p.doc_id, p.original_doc_id, p.status, duplicates.STATUS_ZH[p.status], why[p.doc_id], *(
            (p.decision.id, p.decision.editor, p.decision.at, p.decision.reason) if p.decision else (None,) * 4))
        for p in pairs])
    con.execute("update documents set duplicate_of = null where duplicate_of is not null")
    con.execute("""update documents d set duplicate_of = p.original_doc_id
                   from duplicate_pairs p where p.doc_id = d.doc_id and p.status <> ?""", [duplicates.DISTINCT])
    applied = duplicates.applied_ids(pairs)
    con.execute("delete from duplicate_decisions")
    insert_rows(con, "duplicate_decisions", [
        (d.doc_hash, d.original_hash, d.verdict, d.editor, d.at, d.reason, d.id, d.file, d.original_file,
         "applied" if d.id in applied else "orphan") for d in latest.values()])


def refresh_derived(con: duckdb.DuckDBPyConnection, statuses: dict | None = None) -> None:
    """What every write ends with: finding statuses laid over (`statuses` when the
    write is about to keep new ones), duplicates worked out, marts rebuilt."""
    apply_finding_statuses(con, statuses)
    apply_duplicates(con)
    refresh_marts(con)
    con.execute("insert or replace into store_meta values ('schema_version', ?)", [schema_version()])


def load_regions(con: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    con.execute("delete from regions")
    rows = {r.name: r for r in ref.regions}  # a name used twice keeps one row for labels
    insert_rows(con, "regions", [(r.name, r.level, r.city, r.province, r.code) for r in rows.values()])


def prepare_draft(con: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    """Schema (created if missing) and the region table (loaded if empty) of a draft."""
    create_schema(con)
    if con.execute("select count(*) from regions").fetchone()[0] == 0:
        load_regions(con, ref)
