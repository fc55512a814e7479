"""How extracted rows get into the store, at the extractor's speed.

Owns the loading internals that `store.build_store` and `store.ingest_files` use;
it never decides where the published store lives (that is `store`'s job).

- `rows.document_rows(ex)`: one extraction as rows per table (pure, schema order).
- `extract_rows(paths, ref, schemas, pool)`: read + extract + rows in worker
  processes (`ProcessPoolExecutor`, forked, chunks of files); results come back in
  input order, each chunk's rows already as Arrow tables.
- `RowBatch` / `insert_batch`: all rows of a build become one INSERT per table from
  Arrow (the old path ran one pandas DataFrame insert per table per document).
- Programme links are computed per region (`link_programs` only links projects of
  one region), from `LinkInput`s the workers return or the store holds.
- `extractor_fingerprint()`: a hash of everything rows depend on (extraction code,
  schema, reference tables, corrections). A build whose previous store carries
  the same fingerprint copies the rows of unchanged files (same name and content
  hash) from it instead of extracting them again (`reusable_documents`,
  `copy_documents`), and the links of regions whose files are all unchanged.
- `staged_build`: a whole build goes into a staging file first, outside the
  writer lock; `publish` then copies it into the fresh draft in one statement per
  table. `add_extractions`: an ingest into a draft, one transaction for all new
  files (file by file if the store refuses one), relinking only touched regions.
"""

from __future__ import annotations

import fcntl
import hashlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow as pa

from budgetperf import settings
from budgetperf.storing.rows import DOCUMENT_COLUMNS, DOCUMENT_TABLES, document_rows
from budgetperf.understanding.extract import Extraction
from budgetperf.understanding.parsers.context import Reference
from budgetperf.understanding.records import Provenance, Value, v

PACKAGE_DIR = Path(__file__).resolve().parents[1]


# Small batches (an upload of a few files) are extracted in-process: the pool's
# start-up and the chunking would cost more than they save.
PARALLEL_MIN_FILES = 48
CHUNK_FILES = 64


# ---------------------------------------------------------------------------
# Arrow batches


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


# ---------------------------------------------------------------------------
# programme links


@dataclass
class LinkInput:
    """What programme linking needs of one document: who and when, and per project
    its name, kind, text and indicator names."""

    doc_id: str
    file: str
    fmt: str
    region: str | None
    unit: str | None
    unit_short: str | None
    year: int | None
    projects: list[tuple[int, str, str, str, list[str]]]  # (seq, name, kind, text, indicator names)


def link_input(ex: Extraction) -> LinkInput:
    from budgetperf.understanding.extract import _project_text

    f = ex.facts
    projects = [(seq, p.name, p.kind, _project_text(ex.source, p) if p.kind != "department" else "",
                 [i.name for i in p.indicators])
                for seq, p in enumerate(f.projects, start=1)]
    return LinkInput(f.content_hash[:16], f.file, f.fmt, v(f.region), v(f.unit), f.unit_short, v(f.year), projects)


def _as_extraction(li: LinkInput) -> Extraction:
    """A stand-in Extraction for `link_programs`: each project's text is one line, so
    the project's line range selects exactly its text."""
    from budgetperf.reading.blocks import SourceDocument
    from budgetperf.understanding.records import DocumentFacts, Indicator, Project

    facts = DocumentFacts(file=li.file, fmt=li.fmt, region=Value(li.region) if li.region else None,
                          unit=Value(li.unit) if li.unit else None, unit_short=li.unit_short,
                          year=Value(li.year) if li.year else None, content_hash=li.doc_id)
    lines = []
    for k, (_, name, kind, text, indicator_names) in enumerate(li.projects, start=1):
        lines.append(text)
        prov = Provenance(li.file, k, k)
        facts.projects.append(Project(name=name, kind=kind, prov=prov,
                                      indicators=[Indicator(None, None, n, None, None, None, None, prov)
                                                  for n in indicator_names]))
    return Extraction(SourceDocument(li.file, li.fmt, lines), facts, [])


def link_rows(inputs: list[LinkInput], pool: ProcessPoolExecutor | None = None) -> list[tuple]:
    """program_links rows for these documents, computed one region at a time (links
    never cross regions, and comparing every pair of a province is quadratic);
    regions are spread over `pool`'s processes when given."""
    by_region: dict[str | None, list[LinkInput]] = {}
    for li in inputs:
        if li.region is not None and li.year is not None:
            by_region.setdefault(li.region, []).append(li)
    groups = [by_region[r] for r in sorted(by_region)]
    if pool is None or len(groups) < 8:
        return _link_groups(groups)
    size = max(1, len(groups) // 16)
    batches = [groups[i : i + size] for i in range(0, len(groups), size)]
    return [row for rows in pool.map(_link_groups, batches) for row in rows]


def _link_groups(groups: list[list[LinkInput]]) -> list[tuple]:
    from budgetperf.understanding.extract import link_programs

    rows = []
    with _memoized_bigrams():
        for group in groups:
            rows += _link_group(group, link_programs)
    return rows


@contextmanager
def _memoized_bigrams():
    """`program_similarity` recomputes the bigram set of the same project text for
    every pair it scores (six sets per pair); inside a build each text's set is
    computed once. The function is pure and its sets are only read, so memoizing
    changes no result. TODO(lead): memoize `extract._bigrams` itself, then drop this."""
    from budgetperf.understanding import extract

    original = extract._bigrams
    extract._bigrams = lru_cache(maxsize=65536)(original)
    try:
        yield
    finally:
        extract._bigrams = original


def _link_group(group: list[LinkInput], link_programs) -> list[tuple]:
    """program_links rows of one region's documents."""
    extractions = [_as_extraction(li) for li in group]
    link_programs(extractions)
    ids = {}
    for li in group:
        for seq, name, _, _, _ in li.projects:
            ids[(li.year, name)] = f"{li.doc_id}:{seq}"
    rows = []
    for li, ex in zip(group, extractions):
        for link in ex.facts.same_program_as:
            this = ids.get((li.year, link["this"]))
            earlier = ids.get((link["earlier_year"], link["earlier"]))
            if this and earlier:
                rows.append((li.doc_id, this, earlier, link["earlier_year"], link["similarity"]))
    return rows


def stored_link_inputs(con: duckdb.DuckDBPyConnection, doc_ids: list[str] | None = None) -> list[LinkInput]:
    """LinkInputs of stored documents (all, or these), read in three batched queries."""
    con.execute("create or replace temp table _link_docs (doc_id varchar)")
    if doc_ids is None:
        con.execute("insert into _link_docs select doc_id from documents")
    elif doc_ids:
        insert_arrow(con, "_link_docs", pa.table({"doc_id": pa.array(doc_ids, pa.string())}))
    docs = {d: LinkInput(d, file, fmt, region, unit, short, year, [])
            for d, file, fmt, region, unit, short, year in con.execute(
                "select doc_id, file, fmt, region, unit, unit_short, year from documents "
                "semi join _link_docs using (doc_id) order by file").fetchall()}
    texts = dict(con.execute("""
        with spans as (
            select p.project_id, p.doc_id, coalesce(p.line_start, 0) as line_first,
                   greatest(p.line_end, coalesce(max(i.line_end), p.line_end)) as line_last
            from projects p semi join _link_docs using (doc_id)
            left join indicators i using (project_id)
            where p.kind <> 'department'
            group by p.project_id, p.doc_id, p.line_start, p.line_end
        )
        select s.project_id, string_agg(l.text, '' order by l.line_no)
        from spans s join source_lines l on l.doc_id = s.doc_id and l.line_no between s.line_first and s.line_last
        group by s.project_id""").fetchall())
    for pid, doc_id, seq, name, kind, indicator_names in con.execute("""
            select p.project_id, p.doc_id, p.seq, p.name, p.kind, list(i.name order by i.seq) filter (where i.name is not null)
            from projects p semi join _link_docs using (doc_id)
            left join indicators i using (project_id)
            group by all order by p.doc_id, p.seq""").fetchall():
        docs[doc_id].projects.append((seq, name, kind, texts.get(pid) or "", indicator_names or []))
    con.execute("drop table _link_docs")
    return list(docs.values())


# ---------------------------------------------------------------------------
# parallel extraction


@dataclass
class FileOutcome:
    """One input file: its result (added or failed), content hash and link input."""

    index: int
    result: object  # store.IngestResult
    content_hash: str | None = None
    link: LinkInput | None = None


@dataclass
class ChunkResult:
    outcomes: list[FileOutcome]
    tables: dict[str, pa.Table]  # rows of the chunk's extracted files, with a _file column


_WORKER_STATE: dict = {}


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the process that forked it dies (killed, or
    out of memory): a worker left behind would wait on its queue for ever."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown still applies
        pass


def _init_worker(ref: Reference, schemas: dict[str, pa.Schema], corrections: dict) -> None:
    import logging

    _die_with_parent()
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    _WORKER_STATE["ref"], _WORKER_STATE["schemas"], _WORKER_STATE["corrections"] = ref, schemas, corrections


def current_corrections() -> dict:
    """People's active corrections per document (content hash), read once per build."""
    from budgetperf.changes import corrections

    return corrections.by_document(corrections.load())


def extract_one(path: Path, ref: Reference, index: int, corrections: dict | None = None):
    """(FileOutcome, rows or None) for one file, with its corrections applied; never raises."""
    from budgetperf.reading import ReadError
    from budgetperf.storing.store import IngestResult
    from budgetperf.understanding.extract import extract_file

    try:
        ex = extract_file(path, ref, corrections=corrections or {})
    except ReadError as exc:
        return FileOutcome(index, IngestResult(path.name, "failed", reason_en=exc.message_en,
                                               reason_zh=exc.message_zh)), None
    except Exception as exc:  # a parser bug must not stop the batch
        return FileOutcome(index, IngestResult(path.name, "failed", reason_en=f"extraction error: {exc!r}",
                                               reason_zh=f"提取出错：{exc}")), None
    from budgetperf.storing.store import review_messages

    result = IngestResult(path.name, "added", ex.facts.content_hash[:16], len(ex.facts.projects),
                          sum(len(p.indicators) for p in ex.facts.projects), len(ex.checks),
                          needs_review=review_messages(ex.facts))
    return FileOutcome(index, result, ex.facts.content_hash, link_input(ex)), document_rows(ex)


def _extract_chunk(job: tuple[list[tuple[int, str]], Reference | None, dict | None, dict | None]) -> ChunkResult:
    items, ref, schemas, corrections = job
    ref = ref or _WORKER_STATE["ref"]
    schemas = schemas or _WORKER_STATE["schemas"]
    corrections = corrections if corrections is not None else _WORKER_STATE["corrections"]
    outcomes = []
    per_table: dict[str, tuple[list[tuple], list[int]]] = {}
    for index, path in items:
        outcome, rows = extract_one(Path(path), ref, index, corrections)
        outcomes.append(outcome)
        if rows is None:
            continue
        for table, table_rows in rows.items():
            if table_rows:
                got, files = per_table.setdefault(table, ([], []))
                got.extend(table_rows)
                # the file's position rides along, so one file's rows can be told apart later
                files.extend([index] * len(table_rows))
    tables = {}
    for table, (rows, files) in per_table.items():
        tables[table] = to_arrow(schemas[table], rows).append_column("_file", pa.array(files, pa.int32()))
    return ChunkResult(outcomes, tables)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 2))


@contextmanager
def worker_pool(files: int, ref: Reference, schemas: dict[str, pa.Schema], workers: int | None = None,
                corrections: dict | None = None):
    """A process pool for extraction and linking, or None (run in this process).

    Worker processes when there are enough files to pay for them and the caller is
    single-threaded (the CLI, the benchmark): they are forked, which starts in
    milliseconds and needs no importable `__main__`. Forking a process whose other
    Python threads may hold locks (the Streamlit app) is unsafe, so there, and for a
    few files, everything runs in this process."""
    import threading

    workers = workers or default_workers()
    if workers <= 1 or files < PARALLEL_MIN_FILES or threading.active_count() > 1:
        yield None
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(ref, schemas, corrections or {})) as pool:
        yield pool


def extract_rows(paths: list[Path], ref: Reference, schemas: dict[str, pa.Schema],
                 pool: ProcessPoolExecutor | None = None, corrections: dict | None = None):
    """Yield ChunkResults for `paths` in input order (in `pool`'s processes if given;
    the pool was handed the corrections when it started)."""
    items = [(i, str(p)) for i, p in enumerate(paths)]
    chunks = [items[i : i + CHUNK_FILES] for i in range(0, len(items), CHUNK_FILES)]
    if pool is None:
        for chunk in chunks:
            yield _extract_chunk((chunk, ref, schemas, corrections or {}))
        return
    # map keeps the input order; results stream back as chunks finish
    yield from pool.map(_extract_chunk, [(chunk, None, None, None) for chunk in chunks])


# ---------------------------------------------------------------------------
# reuse across builds

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
    from budgetperf.changes.corrections import digest

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
    from budgetperf.storing.store import IngestResult

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


def _concat(parts: list[pa.Table]) -> pa.Table:
    return parts[0] if len(parts) == 1 else pa.concat_tables(parts)


def _without(data: pa.Table, drop: set[int]) -> pa.Table:
    """Rows of files not in `drop`, without the _file column."""
    if drop:
        import pyarrow.compute as pc

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
            from budgetperf.storing.store import IngestResult

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
                insert_tables(con, {t: _without(_concat(parts), set()) for t, parts in pending.items()})
                pending, pending_files = {}, 0
        if pending:
            insert_tables(con, {t: _without(_concat(parts), set()) for t, parts in pending.items()})
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
    import shutil
    import tempfile

    from budgetperf.storing.store import create_schema

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
    import shutil
    import time

    for folder in previous.parent.glob(f".{previous.name}.staging-*"):
        try:
            if time.time() - folder.stat().st_mtime < 60:
                continue  # just made: its build may not hold the lock yet

            with open(folder / "owner.lock", "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue  # held by a running build, or not ours to remove


def _regions_of(con: duckdb.DuckDBPyConnection, where: str, params: list) -> set[str]:
    return {r for (r,) in con.execute(f"select distinct region from documents where {where}", params).fetchall() if r}


def relink_regions(con: duckdb.DuckDBPyConnection, regions: set[str]) -> None:
    """Recompute programme links of every stored document in these regions (links
    never cross regions, so the others stay as they are)."""
    if not regions:
        return
    regions_list = sorted(regions)
    doc_ids = [d for (d,) in con.execute("select doc_id from documents where list_contains(?, region)",
                                         [regions_list]).fetchall()]
    rows = link_rows(sorted(stored_link_inputs(con, doc_ids), key=lambda li: li.file))
    con.execute("delete from program_links where doc_id in (select doc_id from documents where list_contains(?, region))",
                [regions_list])
    if rows:
        insert_arrow(con, "program_links", to_arrow(table_schemas(con)["program_links"], rows))


def delete_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> None:
    for table in ("program_links", *DOCUMENT_TABLES):
        con.execute(f"delete from {table} where doc_id = ?", [doc_id])


def add_extractions(con: duckdb.DuckDBPyConnection, items: list) -> bool:
    """Add (Extraction or None, IngestResult) items to an open store; see
    `store.add_extractions`. Returns whether anything changed."""
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
    tables = {t: _concat(parts) for t, parts in rows.items()}
    everyone = {index for index, _, _ in new.values()}

    def write(group: list[tuple]) -> set[str]:
        """Insert the group's rows, replacing older versions by file name; returns the
        regions whose links must be recomputed. The caller holds the transaction."""
        touched: set[str] = set()
        for _, ex, result in group:
            old = [d for (d,) in con.execute("select doc_id from documents where file = ?", [ex.facts.file]).fetchall()]
            if old:
                touched |= _regions_of(con, "list_contains(?, doc_id)", [old])
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
        con.execute("rollback")
        if isinstance(exc, duckdb.IOException):
            raise  # the draft itself failed (disk): the whole write fails
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


def replace_documents(con: duckdb.DuckDBPyConnection, extractions: list[Extraction]) -> set[str]:
    """Replace the stored rows of documents extracted again (same content, e.g. with
    new corrections) in one transaction, and relink the regions they were or are in.
    Returns those regions."""
    if not extractions:
        return set()
    schemas = table_schemas(con)
    doc_ids = [ex.facts.content_hash[:16] for ex in extractions]
    regions = _regions_of(con, "list_contains(?, doc_id)", [doc_ids])
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
    from budgetperf.changes.corrections import digest

    stored = con.execute("select doc_id, content_hash, corrections_digest from documents").fetchall()
    return [doc_id for doc_id, h, carried in stored if carried != digest(by_doc.get(h, []))]


def catch_up_corrections(con: duckdb.DuckDBPyConnection, reports_dir: Path, ref: Reference) -> int:
    """Re-extract the documents `stale_corrections` finds, from their originals in
    `reports_dir`, inside the caller's write; returns how many. A document whose
    original cannot be read keeps its rows (the next build retries)."""
    from budgetperf.understanding.extract import extract_file

    by_doc = current_corrections()
    doc_ids = stale_corrections(con, by_doc)
    if not doc_ids:
        return 0
    extractions = []
    for doc_id, file, h in con.execute("select doc_id, file, content_hash from documents where list_contains(?, doc_id)",
                                       [doc_ids]).fetchall():
        try:
            ex = extract_file(Path(reports_dir) / file, ref, display_name=file, corrections=by_doc)
        except Exception:  # noqa: BLE001 - missing or changed original: keep what is stored
            continue
        if ex.facts.content_hash == h:
            extractions.append(ex)
    replace_documents(con, extractions)
    return len(extractions)
