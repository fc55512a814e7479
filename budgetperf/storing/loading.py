"""How extracted rows get into a draft of the store, at the extractor's speed.

- A build (`staged_build` → `load_build`): rows of every file, extracted in worker
  processes (`extracting`), go into a staging file outside the writer lock, one
  INSERT per table from Arrow (`arrow`); `publish` then copies the staging file into
  the fresh draft in one statement per table.
- Reuse: `extractor_fingerprint()` hashes everything stored rows depend on
  (reading and understanding code, corrections and reference edits, the schema).
  A build whose previous store carries the same fingerprint copies the rows of
  unchanged files (same name, content and corrections) instead of extracting them
  again, and the links of regions whose files are all unchanged.
- An ingest (`add_extractions`), a deletion (`delete_documents`) and a
  re-extraction (`replace_documents`) change a draft in one transaction each and
  relink only the regions they touch (`linking`).
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import tempfile
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from budgetperf import settings
from budgetperf.changes.corrections import digest
from budgetperf.storing.arrow import (
    concat_tables,
    insert_arrow,
    insert_tables,
    table_schemas,
    to_arrow,
)
from budgetperf.storing.extracting import (
    IngestResult,
    current_corrections,
    extract_rows,
    reextract_stored,
    worker_pool,
)
from budgetperf.storing.health import is_corruption
from budgetperf.storing.linking import (
    LinkInput,
    link_rows,
    regions_of,
    relink_regions,
    stored_link_inputs,
)
from budgetperf.storing.rows import DOCUMENT_TABLES, document_rows
from budgetperf.storing.schema import create_schema
from budgetperf.understanding.extract import Extraction
from budgetperf.understanding.parsers.context import Reference
from budgetperf.understanding.records import v

# ---------------------------------------------------------------------------
# Arrow batches










# ---------------------------------------------------------------------------
# programme links


















# ---------------------------------------------------------------------------
# parallel extraction
























# ---------------------------------------------------------------------------
# reuse across builds

PACKAGE_DIR = Path(__file__).resolve().parents[1]

# What stored rows depend on, relative to the package: reading and understanding
# whole, the corrections and reference edits applied during extraction, the rows
# made of the facts, and the schema they go into.
_FINGERPRINT_FILES = ("changes/corrections.py", "changes/reference_edits.py", "storing/reference.py",
                      "storing/rows.py", "storing/sql/schema.sql")
_FINGERPRINT_DIRS = ("reading", "understanding")


def extractor_fingerprint() -> str:
    """A hash of what stored rows depend on: the extraction code, the schema and the
    reference tables (with people's edits of them). Rows of a store with another
    fingerprint are never reused. People's corrections are per document: a stored
    document is reused only while its `corrections_digest` is still current."""
    h = hashlib.sha256()
    paths = [PACKAGE_DIR / f for f in _FINGERPRINT_FILES]
    for d in _FINGERPRINT_DIRS:
        paths += sorted((PACKAGE_DIR / d).rglob("*.py"))
    paths += [Path(settings.get(name)) for name in ("BUDGETPERF_REGIONS", "BUDGETPERF_UNIT_ALIASES",
                                                    "BUDGETPERF_REFERENCE_EDITS")]
    for p in paths:
        h.update(str(p.relative_to(PACKAGE_DIR) if PACKAGE_DIR in p.parents else p.name).encode())
        h.update(p.read_bytes() if p.is_file() else b"-")
    return h.hexdigest()


def write_fingerprint(con: duckdb.DuckDBPyConnection, fingerprint: str) -> None:
    con.execute("insert or replace into store_meta values ('extractor_fingerprint', ?)", [fingerprint])


def stored_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        row = con.execute("select value from store_meta where key = 'extractor_fingerprint'").fetchone()
    except duckdb.Error:
        return None  # a store from before store_meta existed
    return row[0] if row else None


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def reusable_documents(previous: Path, paths: list[Path], fingerprint: str,
                       corrections: dict | None = None) -> tuple[dict[int, tuple[str, str]], dict]:
    """({index in paths: (doc_id, content hash)} of files the previous store already
    holds under the same name and content with the same corrections, {doc_id: region}
    of all its documents), both empty unless it was built by the same extractor."""
    corrections = corrections or {}
    if not previous.exists():
        return {}, {}
    try:
        con = duckdb.connect(str(previous), read_only=True)
    except duckdb.Error:
        return {}, {}  # locked by a writer or not a store: extract everything
    try:
        if stored_fingerprint(con) != fingerprint:
            return {}, {}
        stored = con.execute("select doc_id, file, content_hash, region, corrections_digest from documents").fetchall()
    except duckdb.Error:
        return {}, {}
    finally:
        con.close()
    by_file = {(file, h): carried for _, file, h, _, carried in stored}
    out = {}
    for i, p in enumerate(paths):
        key = (p.name, h := file_hash(p))
        if key in by_file and by_file[key] == digest(corrections.get(h, [])):
            out[i] = (h[:16], h)
    return out, {doc_id: region for doc_id, _, _, region, _ in stored}


def _columns(con: duckdb.DuckDBPyConnection, database: str, table: str) -> str:
    """An attached store's columns of `table`, comma-separated in their order (a store
    built before a column was added has fewer: copy only those)."""
    return ", ".join(c for (c,) in con.execute(
        "select column_name from duckdb_columns() where database_name = ? and table_name = ? order by column_index",
        [database, table]).fetchall())


@contextmanager
def _previous_with(con: duckdb.DuckDBPyConnection, previous: Path, doc_ids: list[str]):
    """The previous store attached read-only as `previous`, and these documents' ids
    in a temp table `_reuse` to semi-join on; both gone afterwards."""
    con.execute("attach ? as previous (read_only)", [str(previous)])
    try:
        con.execute("create or replace temp table _reuse (doc_id varchar)")
        insert_arrow(con, "_reuse", pa.table({"doc_id": pa.array(doc_ids, pa.string())}))
        yield
        con.execute("drop table _reuse")
    finally:
        con.execute("detach previous")


def copy_links(con: duckdb.DuckDBPyConnection, previous: Path, doc_ids: list[str]) -> None:
    """Copy the programme links of these (reused) documents from the previous store."""
    if not doc_ids:
        return
    with _previous_with(con, previous, doc_ids):
        con.execute("insert into program_links select * from previous.program_links semi join _reuse using (doc_id)")


def carry_ingested_at(con: duckdb.DuckDBPyConnection, previous: Path) -> None:
    """Give documents the previous store holds (by content) the time they were first
    ingested, so a rebuild keeps 入库时间 and, with it, which copy of a report in two
    files counts (the earlier: `changes.duplicates`). Best effort: a previous store
    that cannot be read leaves the build's own times."""
    if not previous.exists():
        return
    with suppress(duckdb.Error):
        con.execute("attach ? as previous (read_only)", [str(previous)])
        try:
            con.execute("""update documents d set ingested_at = p.ingested_at
                           from previous.documents p
                           where p.content_hash = d.content_hash and p.ingested_at is not null
                             and p.ingested_at is distinct from d.ingested_at""")
        finally:
            con.execute("detach previous")


def copy_documents(con: duckdb.DuckDBPyConnection, previous: Path, doc_ids: list[str]) -> None:
    """Copy every row of these documents from the previous store (attached read-only)."""
    if not doc_ids:
        return
    with _previous_with(con, previous, doc_ids):
        for table in reversed(DOCUMENT_TABLES):
            cols = _columns(con, "previous", table)
            con.execute(f"insert into {table} ({cols}) select {cols} from previous.{table} semi join _reuse using (doc_id)")
        con.execute("""insert into units select u.* from previous.units u
                       where u.unit in (select coalesce(unit_short, unit) from documents
                                        where doc_id in (select doc_id from _reuse))
                       on conflict do nothing""")


# ---------------------------------------------------------------------------
# a build and an ingest

FLUSH_FILES = 2048  # insert what has been extracted every so many files: bounded memory


def _result(name: str, status: str, like=None):
    """An IngestResult for `name`, counts copied from `like` (the same content)."""
    if like is None:
        return IngestResult(name, status)
    return IngestResult(name, status if like.status != "failed" else "failed", like.doc_id, like.projects,
                        like.indicators, like.checks, like.reason_en, like.reason_zh)


def _hashes(paths: list[Path]) -> list[str | None]:
    out = []
    for p in paths:
        try:
            out.append(file_hash(p))
        except OSError:
            out.append(None)  # unreadable: extraction reports why
    return out




def _without(data: pa.Table, drop: set[int]) -> pa.Table:
    """Rows of files not in `drop`, without the _file column."""
    if drop:
        data = data.filter(pc.invert(pc.is_in(data.column("_file"), pa.array(sorted(drop), pa.int32()))))
    return data.drop_columns(["_file"])


def _stored_counts(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> dict[str, tuple[int, int, int]]:
    """(projects, indicators, checks) per stored document."""
    if not doc_ids:
        return {}
    con.execute("create or replace temp table _count_docs (doc_id varchar)")
    insert_arrow(con, "_count_docs", pa.table({"doc_id": pa.array(doc_ids, pa.string())}))
    rows = con.execute("""
        select d.doc_id,
               (select count(*) from projects p where p.doc_id = d.doc_id),
               (select count(*) from indicators i where i.doc_id = d.doc_id),
               (select count(*) from checks c where c.doc_id = d.doc_id)
        from _count_docs d""").fetchall()
    con.execute("drop table _count_docs")
    return {d: (p, i, c) for d, p, i, c in rows}


def load_build(con: duckdb.DuckDBPyConnection, paths: list[Path], ref: Reference, previous: Path | None = None,
               workers: int | None = None) -> list:
    """Fill a fresh store (`con`, schema and regions created) from `paths`; returns one
    IngestResult per path, in order. A file whose content an earlier path already
    has is `unchanged`; files the previous store holds unchanged are copied from it."""
    fingerprint = extractor_fingerprint()
    corrections = current_corrections()
    hashes = _hashes(paths)
    first: dict[str, int] = {}
    duplicate_of: dict[int, int] = {}
    for i, h in enumerate(hashes):
        if h is None:
            continue
        if h in first:
            duplicate_of[i] = first[h]
        else:
            first[h] = i
    results: list = [None] * len(paths)
    links: list[LinkInput] = []

    reuse, previous_regions = {}, {}
    if previous is not None:
        found, previous_regions = reusable_documents(Path(previous), paths, fingerprint, corrections)
        reuse = {i: ids for i, ids in found.items() if i not in duplicate_of}
    if reuse:
        try:
            copy_documents(con, Path(previous), [doc_id for doc_id, _ in reuse.values()])
        except duckdb.Error:
            reuse, previous_regions = {}, {}  # the previous store went away or is being written: extract
            for table in DOCUMENT_TABLES:
                con.execute(f"delete from {table}")
        counts = _stored_counts(con, [doc_id for doc_id, _ in reuse.values()])
        for i, (doc_id, _) in reuse.items():
                    results[i] = IngestResult(paths[i].name, "added", doc_id, *counts.get(doc_id, (0, 0, 0)))
    reused_ids = {doc_id for doc_id, _ in reuse.values()}

    todo = [i for i in range(len(paths)) if i not in reuse and i not in duplicate_of]
    schemas = table_schemas(con)
    pending: dict[str, list[pa.Table]] = {}
    pending_files = 0
    with worker_pool(len(todo), ref, schemas, workers, corrections) as pool:
        for chunk in extract_rows([paths[i] for i in todo], ref, schemas, pool, corrections):
            for outcome in chunk.outcomes:
                results[todo[outcome.index]] = outcome.result
                if outcome.link is not None:
                    links.append(outcome.link)
            for table, data in chunk.tables.items():
                pending.setdefault(table, []).append(data)
            pending_files += len(chunk.outcomes)
            if pending_files >= FLUSH_FILES:
                insert_tables(con, {t: _without(concat_tables(parts), set()) for t, parts in pending.items()})
                pending, pending_files = {}, 0
        if pending:
            insert_tables(con, {t: _without(concat_tables(parts), set()) for t, parts in pending.items()})
        for i, j in duplicate_of.items():
            results[i] = _result(paths[i].name, "unchanged", results[j])
            results[i].duplicate_of = paths[j].name
        # Links never cross regions: a region whose documents are exactly the previous
        # store's keeps its links; the others (a file added, changed or gone) are relinked.
        touched = {li.region for li in links} | {r for d, r in previous_regions.items() if d not in reused_ids}
        kept = [d for d in reused_ids if previous_regions.get(d) not in touched]
        links += stored_link_inputs(con, sorted(reused_ids - set(kept)))
        links.sort(key=lambda li: li.file)
        link_data = link_rows(links, pool)
    if link_data:
        insert_arrow(con, "program_links", to_arrow(schemas["program_links"], link_data))
    if kept:
        copy_links(con, Path(previous), kept)
    if previous is not None:
        carry_ingested_at(con, Path(previous))
    write_fingerprint(con, fingerprint)
    return results


class StagedBuild:
    """A build extracted into a staging file, waiting to be copied into the draft the
    writer lock guards (`copy_into`). `results` has one IngestResult per path."""

    def __init__(self, path: Path, results: list):
        self.path, self.results = path, results

    def copy_into(self, con: duckdb.DuckDBPyConnection) -> None:
        """Every staged row into `con` (schema and regions already there): one
        INSERT … SELECT per table, inside DuckDB."""
        con.execute("attach ? as staged (read_only)", [str(self.path)])
        try:
            for table in (*reversed(DOCUMENT_TABLES), "units", "program_links", "store_meta"):
                cols = _columns(con, "staged", table)
                con.execute(f"insert into {table} ({cols}) select {cols} from staged.{table}")
        finally:
            con.execute("detach staged")


@contextmanager
def staged_build(paths: list[Path], ref: Reference, previous: Path, workers: int | None = None):
    """Extract `paths` (reusing `previous`'s rows where it can) into a staging file
    beside `previous`, without any lock; yields a `StagedBuild`. The staging file is
    removed afterwards, whatever happens."""
    previous = Path(previous)
    previous.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(previous)
    folder = Path(tempfile.mkdtemp(prefix=f".{previous.name}.staging-", dir=previous.parent))
    owner = open(folder / "owner.lock", "w")  # held while this build runs (see _remove_abandoned_staging)
    fcntl.flock(owner, fcntl.LOCK_EX)
    try:
        path = folder / "staging.duckdb"
        con = duckdb.connect(str(path))
        try:
            con.execute("set threads = 2")
            create_schema(con)
            results = load_build(con, paths, ref, previous=previous, workers=workers)
            con.execute("checkpoint")
        finally:
            con.close()
        yield StagedBuild(path, results)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        owner.close()


def _remove_abandoned_staging(previous: Path) -> None:
    """Remove staging folders of builds that were killed (their owner lock is free);
    a build still running holds its lock, so its folder stays."""
    for folder in previous.parent.glob(f".{previous.name}.staging-*"):
        try:
            if time.time() - folder.stat().st_mtime < 60:
                continue  # just made: its build may not hold the lock yet

            with open(folder / "owner.lock", "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue  # held by a running build, or not ours to remove






def delete_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> None:
    for table in ("program_links", *DOCUMENT_TABLES):
        con.execute(f"delete from {table} where doc_id = ?", [doc_id])




def add_extractions(con: duckdb.DuckDBPyConnection, items: list) -> bool:
    """Add extracted files to a draft; returns whether anything changed.

    Same content already stored (or earlier in `items`): ``unchanged``, with
    `duplicate_of` naming the stored file. Same file name with new content: the old
    version is deleted (``replaced``, `replaced_doc_ids`). Items whose extraction
    failed (`None`) are skipped; a file the store refuses becomes ``failed``. All new
    files go in one transaction (file by file if the store refuses one), and only
    the regions they touch are relinked.
    """
    schemas = table_schemas(con)
    present = [(ex, result) for ex, result in items if ex is not None]
    hashes = [ex.facts.content_hash for ex, _ in present]
    known = dict(con.execute("select content_hash, file from documents where list_contains(?, content_hash)",
                             [hashes]).fetchall()) if hashes else {}
    new: dict[str, tuple] = {}  # by file name: (index, extraction, result)
    for index, (ex, result) in enumerate(present):
        h = ex.facts.content_hash
        if h in known:  # stored already, or earlier in this batch
            result.status, result.duplicate_of = "unchanged", known[h]
            continue
        known[h] = ex.facts.file
        if ex.facts.file in new:  # the same name twice: the later file replaces the earlier
            earlier = new.pop(ex.facts.file)
            result.status = "replaced"
            result.replaced_doc_ids.append(earlier[2].doc_id)
        new[ex.facts.file] = (index, ex, result)
    if not new:
        return False
    rows: dict[str, list[pa.Table]] = {}
    for index, ex, _ in new.values():
        for table, table_rows in document_rows(ex).items():
            if table_rows:
                data = to_arrow(schemas[table], table_rows)
                rows.setdefault(table, []).append(data.append_column("_file", pa.array([index] * len(table_rows), pa.int32())))
    tables = {t: concat_tables(parts) for t, parts in rows.items()}
    everyone = {index for index, _, _ in new.values()}

    def write(group: list[tuple]) -> set[str]:
        """Insert the group's rows, replacing older versions by file name; returns the
        regions whose links must be recomputed. The caller holds the transaction."""
        touched: set[str] = set()
        for _, ex, result in group:
            old = [d for (d,) in con.execute("select doc_id from documents where file = ?", [ex.facts.file]).fetchall()]
            if old:
                touched |= regions_of(con, "list_contains(?, doc_id)", [old])
                for doc_id in old:
                    delete_document(con, doc_id)
                result.status = "replaced"
                result.replaced_doc_ids += old
            if v(ex.facts.region):
                touched.add(v(ex.facts.region))
        drop = everyone - {index for index, _, _ in group}
        insert_tables(con, {t: _without(data, drop) for t, data in tables.items()})
        return touched

    group = list(new.values())
    before = {id(e[2]): (e[2].status, list(e[2].replaced_doc_ids)) for e in group}

    def restore(result) -> None:
        result.status, result.replaced_doc_ids = before[id(result)][0], list(before[id(result)][1])

    changed = False
    touched: set[str] = set()
    try:
        con.execute("begin")
        touched = write(group)
        con.execute("commit")
        changed = True
    except duckdb.Error as exc:
        with suppress(duckdb.Error):  # a damaged draft may refuse even this
            con.execute("rollback")
        if isinstance(exc, duckdb.IOException) or is_corruption(exc):
            raise  # the draft itself failed (disk, a damaged store): the whole write fails
        for entry in group:  # file by file: one refused file fails alone
            result = entry[2]
            restore(result)
            try:
                con.execute("begin")
                touched |= write([entry])
                con.execute("commit")
                changed = True
            except duckdb.Error as exc_one:
                con.execute("rollback")
                if isinstance(exc_one, duckdb.IOException):
                    raise
                restore(result)
                result.status, result.reason_en, result.reason_zh = (
                    "failed", f"store error: {exc_one}", f"写入数据库失败：{exc_one}")
    if changed:
        con.execute("begin")
        relink_regions(con, touched)
        con.execute("commit")
    return changed


def delete_documents(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> list[tuple[str, str]]:
    """Delete documents and all their rows from a draft; returns (doc_id, file) of
    those that were there, and relinks the programmes of their regions."""
    found = [tuple(row) for row in con.execute(
        "select doc_id, file from documents where list_contains($ids, doc_id) order by file", {"ids": list(doc_ids)}
    ).fetchall()]
    if found:
        regions = {r for (r,) in con.execute(
            "select distinct region from documents where list_contains($ids, doc_id)", {"ids": list(doc_ids)}
        ).fetchall() if r}
        con.execute("begin")
        for doc_id, _ in found:
            delete_document(con, doc_id)
        relink_regions(con, regions)
        con.execute("commit")
    return found


def replace_documents(con: duckdb.DuckDBPyConnection, extractions: list[Extraction]) -> set[str]:
    """Replace the stored rows of documents extracted again (same content, e.g. with
    new corrections) in one transaction, and relink the regions they were or are in.
    Returns those regions."""
    if not extractions:
        return set()
    schemas = table_schemas(con)
    doc_ids = [ex.facts.content_hash[:16] for ex in extractions]
    regions = regions_of(con, "list_contains(?, doc_id)", [doc_ids])
    regions |= {v(ex.facts.region) for ex in extractions if v(ex.facts.region)}
    per_table: dict[str, list[tuple]] = {}
    for ex in extractions:
        for table, rows in document_rows(ex).items():
            per_table.setdefault(table, []).extend(rows)
    con.execute("begin")
    try:
        for doc_id in doc_ids:
            delete_document(con, doc_id)
        insert_tables(con, {t: to_arrow(schemas[t], rows) for t, rows in per_table.items() if rows})
        relink_regions(con, regions)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return regions


def stale_corrections(con: duckdb.DuckDBPyConnection, by_doc: dict) -> list[str]:
    """Stored documents whose rows do not carry their current corrections (a person
    corrected one while a build was extracting outside the writer lock)."""
    stored = con.execute("select doc_id, content_hash, corrections_digest from documents").fetchall()
    return [doc_id for doc_id, h, carried in stored if carried != digest(by_doc.get(h, []))]


def catch_up_corrections(con: duckdb.DuckDBPyConnection, reports_dir: Path, ref: Reference) -> int:
    """Re-extract the documents `stale_corrections` finds, from their originals in
    `reports_dir`, inside the caller's write; returns how many. A document whose
    original cannot be read keeps its rows (the next build retries)."""
    by_doc = current_corrections()
    doc_ids = stale_corrections(con, by_doc)
    if not doc_ids:
        return 0
    extractions, _ = reextract_stored(con, doc_ids, reports_dir, ref, by_doc)  # the unreadable keep their rows
    replace_documents(con, extractions)
    return len(extractions)
