"""The DuckDB store: schema, loading extractions, and running named queries.

- Every write goes through `publish.publish`: a draft copy of the store is changed
  under the writer lock and replaces the store atomically, so readers never see a
  half-written file and are never blocked. `build_store(reports_dir, db_path)` loads
  a fresh draft; `ingest_files(db_path, paths)` adds files one transaction each (a
  file that fails leaves nothing behind; the same content again changes nothing);
  `add_extractions` and `delete_documents` are the changes `intake` applies to a draft.
- `connect(path)` opens a read-only `Snapshot` of the published file.
- `run_query(name, con=None, **params)` is the one way to run SQL: it loads
  `queries/<name>.sql`, checks the supplied params against the file's `-- params:`
  header, and binds them as DuckDB `$name` parameters (never formatted into SQL).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from budgetperf import publish, settings
from budgetperf.extract import Extraction, extract_file, link_programs
from budgetperf.parsers.context import Reference
from budgetperf.parsers.values import parse_measure
from budgetperf.readers import SUPPORTED_SUFFIXES, ReadError
from budgetperf.records import Provenance, Value, v
from budgetperf.reference import load_reference

PACKAGE_DIR = Path(__file__).resolve().parent
QUERIES_DIR = PACKAGE_DIR.parent / "queries"


class QueryError(Exception):
    """A named query failed; carries the query name and params for the message."""

    def __init__(self, name: str, params: dict, error: Exception):
        super().__init__(f"query {name!r} failed with params {params!r}: {error}")
        self.name, self.params, self.error = name, params, error


# ---------------------------------------------------------------------------
# connecting

class Snapshot:
    """A read-only connection to the store file as it was when opened.

    DuckDB keeps one database instance per path while any connection to it is open,
    and hands that instance (the old file) to every later ``duckdb.connect`` of the
    path, even after a publish has replaced the file. A snapshot is an in-memory
    instance of its own with the file ATTACHed read-only as catalog ``store``, so a
    reader that opens the store after a publish always gets the new file, whatever
    older snapshots other threads are still reading. Cursors (one per query, for
    threads) start in that catalog too. Everything else is the DuckDB connection's.
    """

    CATALOG = "store"

    def __init__(self, path: Path):
        self._con = duckdb.connect(":memory:")
        try:
            self._con.execute("set threads = 2")
            literal = str(path).replace("'", "''")  # ATTACH takes no parameters
            self._con.execute(f"attach '{literal}' as {self.CATALOG} (read_only)")
            self._con.execute(f"use {self.CATALOG}")
        except BaseException:
            self._con.close()
            raise

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cursor = self._con.cursor()
        cursor.execute(f"use {self.CATALOG}")
        return cursor

    def close(self) -> None:
        self._con.close()

    def __getattr__(self, name):
        return getattr(self._con, name)

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def connect(path: str | Path | None = None, read_only: bool = True) -> Snapshot | duckdb.DuckDBPyConnection:
    """Open the store. All connection setup happens here.

    Read-only (the app, the CLI's reading commands) gives a `Snapshot` of the file as
    it is now. Read-write is only for drafts inside `publish.publish`: never open the
    published file read-write, since the app may be reading it.
    """
    path = Path(path or settings.get("BUDGETPERF_DB"))
    if read_only:
        if not path.exists():
            raise FileNotFoundError(f"store not found: {path} (run `python -m budgetperf build`)")
        return Snapshot(path)
    con = duckdb.connect(str(path))
    con.execute("set threads = 2")
    return con


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute((PACKAGE_DIR / "schema.sql").read_text(encoding="utf-8"))
    con.execute((PACKAGE_DIR / "views.sql").read_text(encoding="utf-8"))


def refresh_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the mart tables (marts.sql) from the stored rows: call after every
    write, in the writing transaction's connection (build, ingest). Pages query
    these tables; they are derived, so rebuilding them whole is always correct."""
    con.execute((PACKAGE_DIR / "marts.sql").read_text(encoding="utf-8"))


def load_regions(con: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    con.execute("delete from regions")
    rows = {r.name: r for r in ref.regions}  # a name used twice keeps one row for labels
    _insert(con, "regions", [(r.name, r.level, r.city, r.province, r.code) for r in rows.values()])


# ---------------------------------------------------------------------------
# loading

@dataclass
class IngestResult:
    file: str
    status: str  # added | unchanged | replaced | failed
    doc_id: str | None = None
    projects: int = 0
    indicators: int = 0
    checks: int = 0
    reason_en: str | None = None
    reason_zh: str | None = None
    needs_review: list[str] = field(default_factory=list)  # review reasons (Chinese), document and projects
    duplicate_of: str | None = None  # unchanged: the stored file with the same content
    replaced_doc_ids: list[str] = field(default_factory=list)  # replaced: the old versions


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Bulk insert through a DataFrame: DuckDB's executemany runs one statement per
    row, which is slow for thousands of source lines or regions."""
    if not rows:
        return
    columns = [c[0] for c in con.execute(f"select * from {table} limit 0").description]
    frame = pd.DataFrame.from_records(rows, columns=columns[: len(rows[0])])
    con.register("_bulk_rows", frame)
    try:
        con.execute(f"insert into {table} ({', '.join(frame.columns)}) select * from _bulk_rows")
    finally:
        con.unregister("_bulk_rows")


def _lines(p: Provenance | None) -> tuple[int | None, int | None, str | None]:
    if p is None:
        return None, None, None
    return p.line_start, p.line_end, p.snippet


def insert_extraction(con: duckdb.DuckDBPyConnection, ex: Extraction) -> str:
    """Insert one extraction (the caller holds the transaction). Returns doc_id."""
    f = ex.facts
    doc_id = f.content_hash[:16]
    con.execute(
        """insert into documents (doc_id, file, fmt, encoding, content_hash, region, region_level, city,
           province, region_code, unit, unit_code, year, year_is_explicit, year_evidence, year_line,
           doc_kinds, unit_project_budget_wan, projects_total, line_count, unit_short)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [doc_id, f.file, f.fmt, f.encoding, f.content_hash, v(f.region), f.region_level, f.city, f.province,
         f.region_code, v(f.unit), v(f.unit_code), v(f.year), f.year_is_explicit, f.year_evidence, f.year_line,
         f.doc_kinds, v(f.unit_project_budget), v(f.projects_total), f.line_count, f.unit_short],
    )
    _insert(con, "source_lines", [(doc_id, i + 1, line) for i, line in enumerate(ex.source.lines)])
    if v(f.unit):
        con.execute("insert into units values (?, ?, ?) on conflict do nothing",
                    [f.unit_short or v(f.unit), v(f.region), v(f.unit_code)])
    prov_rows = []
    for name in ("region", "unit", "unit_code", "unit_project_budget", "projects_total"):
        value = getattr(f, name)
        if isinstance(value, Value) and value.prov is not None:
            prov_rows.append((doc_id, "document", doc_id, name, value.raw or str(value.value), *_lines(value.prov)))
    if f.year_line:
        prov_rows.append((doc_id, "document", doc_id, "year", f.year_evidence, f.year_line, f.year_line,
                          ex.source.snippet(f.year_line, f.year_line)))
    project_ids = {}
    for seq, p in enumerate(f.projects, start=1):
        pid = f"{doc_id}:{seq}"
        project_ids[id(p)] = pid
        grade = p.grade
        con.execute(
            "insert into projects values (" + ", ".join(["?"] * 26) + ")",
            [pid, doc_id, seq, p.name, v(p.code), p.kind, v(p.budget_initial), v(p.budget_adjusted), v(p.executed),
             v(p.execution_rate), v(p.budget_weight), v(p.budget_score), v(p.total_score), v(p.total_weight),
             v(grade), grade.raw if grade is not None else None, v(p.projects_evaluated), v(p.special_projects),
             v(p.funding_source), p.amount_unit_as_written, p.has_indicator_table, v(p.goal_expected),
             v(p.goal_actual), p.prov.line_start, p.prov.line_end, p.grade_derived],
        )
        for name in ("code", "budget_initial", "budget_adjusted", "executed", "execution_rate", "budget_weight",
                     "budget_score", "total_score", "total_weight", "grade", "projects_evaluated",
                     "special_projects", "funding_source", "goal_expected", "goal_actual"):
            value = getattr(p, name)
            if isinstance(value, Value) and value.prov is not None:
                prov_rows.append((doc_id, "project", pid, name, value.raw or str(value.value), *_lines(value.prov)))
        indicator_rows = []
        for k, i in enumerate(p.indicators, start=1):
            t, a = parse_measure(i.target), parse_measure(i.actual)
            indicator_rows.append((
                f"{pid}:{k}", pid, doc_id, k, i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score,
                t.comparator, t.value, t.unit, t.is_numeric, a.comparator, a.value, a.unit, a.is_numeric,
                i.level1_inferred, i.deviation_reason, *_lines(i.prov),
            ))
        if indicator_rows:
            _insert(con, "indicators", indicator_rows)
        _insert(con, "budget_lines", [
            (pid, doc_id, k, b.label, b.budget_initial_wan, b.budget_adjusted_wan, b.executed_wan, b.weight,
             b.rate_pct, b.score, *_lines(b.prov))
            for k, b in enumerate(p.budget_lines, start=1)
        ])
        if p.section_scores:
            _insert(con, "section_scores", [(pid, doc_id, s.section, s.max, s.score, *_lines(s.prov)) for s in p.section_scores])
        if p.expense_items:
            _insert(con, "expense_items", [(pid, doc_id, e.item, e.amount_wan, e.amount_raw, *_lines(e.prov)) for e in p.expense_items])
        if p.spending_plan:
            _insert(con, "spending_plans", [(pid, doc_id, s.by, s.share_pct, *_lines(s.prov)) for s in p.spending_plan])
        if p.output_facts:
            rows = []
            for o in p.output_facts:
                m = parse_measure(o.value)
                rows.append((pid, doc_id, o.name, o.value, m.value, m.unit, *_lines(o.prov)))
            _insert(con, "output_facts", rows)
    if prov_rows:
        _insert(con, "provenance", prov_rows)
    review_rows = [(doc_id, None, r.code, r.message_zh, *_lines(r.prov)) for r in f.review_reasons]
    review_rows += [(doc_id, project_ids[id(p)], r.code, r.message_zh, *_lines(r.prov))
                    for p in f.projects for r in p.review_reasons]
    if review_rows:
        _insert(con, "review_reasons", review_rows)
    names = {p.name: project_ids[id(p)] for p in f.projects}
    check_rows = []
    for k, c in enumerate(ex.checks, start=1):
        first = c.provenance[0] if c.provenance else None
        check_rows.append((f"{doc_id}:{k}", doc_id, names.get(c.project), c.kind, c.severity, c.severity_zh,
                           c.message_zh, c.what, *_lines(first)))
    if check_rows:
        _insert(con, "checks", check_rows)
    return doc_id


def _delete_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> None:
    for table in ("review_reasons", "program_links", "checks", "output_facts", "spending_plans", "expense_items", "section_scores", "budget_lines",
                  "indicators", "provenance", "projects", "source_lines", "documents"):
        con.execute(f"delete from {table} where doc_id = ?", [doc_id])


def _relink_programs(con: duckdb.DuckDBPyConnection, extractions: list[Extraction]) -> None:
    """Recompute programme links between the given extractions (all of the store's)."""
    link_programs(extractions)
    con.execute("delete from program_links")
    ids = {}
    for ex in extractions:
        doc_id = ex.facts.content_hash[:16]
        for seq, p in enumerate(ex.facts.projects, start=1):
            ids[(v(ex.facts.year), v(ex.facts.region), p.name)] = f"{doc_id}:{seq}"
    rows = []
    for ex in extractions:
        f = ex.facts
        for link in f.same_program_as:
            this = ids.get((v(f.year), v(f.region), link["this"]))
            earlier = ids.get((link["earlier_year"], v(f.region), link["earlier"]))
            if this and earlier:
                rows.append((f.content_hash[:16], this, earlier, link["earlier_year"], link["similarity"]))
    if rows:
        _insert(con, "program_links", rows)


def report_files(directory: str | Path) -> list[Path]:
    """Supported report files in a folder, sorted by name."""
    directory = Path(directory)
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)


def _extract_all(paths: list[Path], ref: Reference) -> tuple[list[Extraction], list[IngestResult]]:
    extractions, results = [], []
    for path in paths:
        try:
            ex = extract_file(path, ref)
        except ReadError as exc:
            results.append(IngestResult(path.name, "failed", reason_en=exc.message_en, reason_zh=exc.message_zh))
            continue
        except Exception as exc:  # a parser bug must not stop the batch
            results.append(IngestResult(path.name, "failed", reason_en=f"extraction error: {exc!r}",
                                        reason_zh=f"提取出错：{exc}"))
            continue
        extractions.append(ex)
        results.append(IngestResult(path.name, "added", ex.facts.content_hash[:16], len(ex.facts.projects),
                                    sum(len(p.indicators) for p in ex.facts.projects), len(ex.checks),
                                    needs_review=review_messages(ex.facts)))
    return extractions, results


def review_messages(facts) -> list[str]:
    """A document's review reasons and its projects', for printing beside the outcome."""
    out = [r.message_zh for r in facts.review_reasons]
    out += [f"「{p.name}」{r.message_zh}" for p in facts.projects for r in p.review_reasons]
    return out


def build_store(reports_dir: str | Path | None = None, db_path: str | Path | None = None,
                ref: Reference | None = None) -> list[IngestResult]:
    """Rebuild the store from a folder of reports and publish it atomically.

    Extraction runs first, without the writer lock; only loading the new file holds
    it (`publish.publish` with a fresh draft), so readers and other writers wait on
    nothing while reports are read.
    """
    reports_dir = Path(reports_dir or settings.get("BUDGETPERF_REPORTS_DIR"))
    db_path = Path(db_path or settings.get("BUDGETPERF_DB"))
    ref = ref or load_reference()
    if not reports_dir.is_dir():
        raise FileNotFoundError(f"reports folder not found: {reports_dir}")
    extractions, results = _extract_all(report_files(reports_dir), ref)

    def load(con: duckdb.DuckDBPyConnection) -> None:
        create_schema(con)
        load_regions(con, ref)
        seen = set()
        for ex, res in zip(extractions, [r for r in results if r.status != "failed"]):
            if ex.facts.content_hash in seen:
                res.status = "unchanged"
                continue
            seen.add(ex.facts.content_hash)
            con.execute("begin")
            insert_extraction(con, ex)
            con.execute("commit")
        unique = [ex for ex in extractions if ex.facts.content_hash in seen]
        _relink_programs(con, _dedupe(unique))

    publish.publish(db_path, load, fresh=True)
    return results


def _dedupe(extractions: list[Extraction]) -> list[Extraction]:
    seen, out = set(), []
    for ex in extractions:
        if ex.facts.content_hash not in seen:
            seen.add(ex.facts.content_hash)
            out.append(ex)
    return out


def prepare_draft(con: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    """Schema (created if missing) and the region table (loaded if empty) of a draft."""
    create_schema(con)
    if con.execute("select count(*) from regions").fetchone()[0] == 0:
        load_regions(con, ref)


def add_extractions(con: duckdb.DuckDBPyConnection, items: list[tuple[Extraction | None, IngestResult]]) -> bool:
    """Add extracted files to a draft, one transaction each; returns whether anything changed.

    Same content already stored (or earlier in `items`): ``unchanged``, with
    `duplicate_of` naming the stored file. Same file name with new content: the old
    version is deleted (``replaced``, `replaced_doc_ids`). Items whose extraction
    failed (`None`) are skipped; a file the store refuses becomes ``failed``.
    """
    changed = False
    for ex, result in items:
        if ex is None:
            continue
        known = con.execute("select file from documents where content_hash = ?", [ex.facts.content_hash]).fetchone()
        if known:
            result.status, result.duplicate_of = "unchanged", known[0]
            continue
        try:
            con.execute("begin")
            for (old_id,) in con.execute("select doc_id from documents where file = ?", [ex.facts.file]).fetchall():
                _delete_document(con, old_id)
                result.status = "replaced"
                result.replaced_doc_ids.append(old_id)
            insert_extraction(con, ex)
            con.execute("commit")
            changed = True
        except duckdb.Error as exc:
            con.execute("rollback")
            if isinstance(exc, duckdb.IOException):
                raise  # the draft itself failed (disk): the whole write fails
            result.status, result.reason_en, result.reason_zh = "failed", f"store error: {exc}", f"写入数据库失败：{exc}"
    if changed:
        _relink_from_store(con)
    return changed


def ingest_files(db_path: str | Path | None, paths: list[str | Path], ref: Reference | None = None) -> list[IngestResult]:
    """Add files to the store (created if missing) and publish it atomically.

    Same content already stored: unchanged. Same file name with new content: the old
    version is replaced. A failing file stores nothing and is reported with a reason.
    Files are read before the writer lock is taken. Keeps no originals: that is
    `intake.add_reports`, which the CLI and the app use.
    """
    db_path = Path(db_path or settings.get("BUDGETPERF_DB"))
    ref = ref or load_reference()
    items = []
    for path in map(Path, paths):
        extractions, (result,) = _extract_all([path], ref)
        items.append((extractions[0] if extractions else None, result))
    if any(ex is not None for ex, _ in items):
        def apply(con):
            prepare_draft(con, ref)
            return add_extractions(con, items)

        publish.publish(db_path, apply, is_changed=bool)
    return [result for _, result in items]


def delete_documents(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> list[tuple[str, str]]:
    """Delete documents and all their rows from a draft; returns (doc_id, file) of
    those that were there, and relinks programmes when any was."""
    found = [tuple(row) for row in con.execute(
        "select doc_id, file from documents where list_contains($ids, doc_id) order by file", {"ids": list(doc_ids)}
    ).fetchall()]
    if found:
        con.execute("begin")
        for doc_id, _ in found:
            _delete_document(con, doc_id)
        con.execute("commit")
        _relink_from_store(con)
    return found


def _relink_from_store(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute programme links over every stored document, whatever its format.

    Linking needs only what the store holds: each project's name, kind, line range
    and indicator names, and the document's lines (for the project's text)."""
    from budgetperf.blocks import SourceDocument
    from budgetperf.records import DocumentFacts, Indicator, Project

    extractions = []
    for doc_id, file, fmt, content_hash, region, unit, unit_short, year in con.execute(
            "select doc_id, file, fmt, content_hash, region, unit, unit_short, year from documents").fetchall():
        lines = [t for (t,) in con.execute("select text from source_lines where doc_id = ? order by line_no", [doc_id]).fetchall()]
        facts = DocumentFacts(file=file, fmt=fmt, region=Value(region) if region else None,
                              unit=Value(unit) if unit else None, unit_short=unit_short,
                              year=Value(year) if year else None, content_hash=content_hash)
        for pid, name, kind, start, end in con.execute(
                "select project_id, name, kind, line_start, line_end from projects where doc_id = ? order by seq", [doc_id]).fetchall():
            prov = Provenance(file, start or 0, end or 0)
            indicators = [
                Indicator(None, None, ind_name, None, None, None, None, Provenance(file, s_, e_))
                for ind_name, s_, e_ in con.execute(
                    "select name, line_start, line_end from indicators where project_id = ? order by seq", [pid]).fetchall()
            ]
            facts.projects.append(Project(name=name, kind=kind, prov=prov, indicators=indicators))
        extractions.append(Extraction(SourceDocument(file, fmt, lines), facts, []))
    con.execute("begin")
    _relink_programs(con, extractions)
    con.execute("commit")


# ---------------------------------------------------------------------------
# named queries

@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    params: tuple[str, ...]
    sql: str


_HEADER = re.compile(r"^--\s*(title|params|grain)\s*:\s*(.*)$", re.M)


@lru_cache(maxsize=None)
def load_query(name: str) -> NamedQuery:
    """Read `queries/<name>.sql` and its header (`-- title:`, `-- params:`)."""
    path = (QUERIES_DIR / f"{name}.sql").resolve()
    if QUERIES_DIR.resolve() not in path.parents or not path.is_file():
        raise KeyError(f"no such query: {name}")
    sql = path.read_text(encoding="utf-8")
    header = dict(_HEADER.findall(sql))
    params = tuple(p.strip() for p in header.get("params", "").split(",") if p.strip() and p.strip() != "none")
    return NamedQuery(name, header.get("title", name), params, sql)


def list_queries() -> list[str]:
    return sorted(str(p.relative_to(QUERIES_DIR).with_suffix("")) for p in QUERIES_DIR.rglob("*.sql"))


def run_query(name: str, con: duckdb.DuckDBPyConnection | None = None, **params) -> pd.DataFrame:
    """Run a named query with its declared parameters and return a DataFrame.

    Missing declared params are bound as NULL (meaning "all"); unknown params are an
    error. Runs on a fresh cursor, so one shared connection serves many threads.
    """
    query = load_query(name)
    unknown = set(params) - set(query.params)
    if unknown:
        raise QueryError(name, params, ValueError(f"unknown params {sorted(unknown)}; declared {list(query.params)}"))
    bound = {p: params.get(p) for p in query.params}
    owns = con is None
    con = con or connect()
    try:
        cursor = con.cursor()
        try:
            return cursor.execute(query.sql, bound).df()
        finally:
            cursor.close()
    except duckdb.Error as exc:
        raise QueryError(name, bound, exc) from exc
    finally:
        if owns:
            con.close()
