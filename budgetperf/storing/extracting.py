"""The one way a report file becomes an `Extraction`: read it, understand it, lay
people's corrections over the facts, then audit the corrected facts. In this
process for a few files, in forked worker processes for a build; each file's
outcome is an `IngestResult` (added or failed, with a Chinese reason), so one bad
file never stops a batch. Re-extracting a stored document goes through the same
function (`reextract_stored`).
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from budgetperf.changes.corrections import (
    active,
    apply_corrections,
    by_document,
    load,
)
from budgetperf.reading import ReadError, ocr, read_document
from budgetperf.storing import isolation
from budgetperf.storing.arrow import to_arrow
from budgetperf.storing.linking import LinkInput, link_input
from budgetperf.storing.rows import document_rows
from budgetperf.understanding.audit import audit_document
from budgetperf.understanding.extract import (
    Extraction,
    NotAReportError,
    document_to_dict,
    extract_document,
)
from budgetperf.understanding.linking import link_programs
from budgetperf.understanding.parsers.context import Reference
from budgetperf.understanding.records import DocumentFacts

# Small batches (an upload of a few files) are extracted in-process: the pool's
# start-up and the chunking would cost more than they save.
PARALLEL_MIN_FILES = 48


CHUNK_FILES = 64


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
    isolation.limit_this_process()  # a hostile file fails alone (MemoryError), the worker lives on
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    _WORKER_STATE["ref"], _WORKER_STATE["schemas"], _WORKER_STATE["corrections"] = ref, schemas, corrections


def current_corrections() -> dict:
    """People's active corrections per document (content hash), read once per build."""
    return by_document(load())


# OCR of a scanned page needs more than the limits a file is read under
# (isolation: 1 GB, 20 s): ~1.4 GB of address space and a few CPU seconds a page
# (docs/scale.md). Each page recognised is granted this much (memory: more than
# the process holds as it starts the page); a document may not take more CPU
# time than the ceiling in all.
OCR_MEMORY_BYTES = 2048 * isolation.MB
OCR_CPU_PER_PAGE = 60
OCR_CPU_CEILING = 3600


def _grant_ocr_page() -> None:
    isolation.allow(OCR_MEMORY_BYTES, OCR_CPU_PER_PAGE)


def extract_safely(path: Path, ref: Reference, *, display_name: str | None = None,
                   corrections=None) -> tuple[Extraction | None, IngestResult]:
    """`extract_file` that never raises for a bad file: (the extraction or None, its
    outcome), a failure carrying a Chinese reason for the user and an English one for
    the log. Every caller that takes files in (build, ingest, upload) goes through here.
    Pages recognised by OCR are granted their own memory and time (`_grant_ocr_page`)."""
    name = display_name or path.name
    try:
        with ocr.before_recognising(_grant_ocr_page):
            ex = extract_file(path, ref, display_name=display_name, corrections=corrections or {})
    except (MemoryError, isolation.OutOfTime) as exc:  # a limited process (isolation) out of room
        return None, _refused(name, isolation.refusal("memory" if isinstance(exc, MemoryError) else "time"))
    except ReadError as exc:
        if _ran_out_of_memory(exc) or isolation.memory_ran_out():  # a parser (lxml) that says it otherwise
            return None, _refused(name, isolation.refusal("memory"))
        return None, IngestResult(name, "failed", reason_en=exc.message_en, reason_zh=exc.message_zh)
    except OSError as exc:
        return None, IngestResult(name, "failed", reason_en=f"cannot read: {exc}",
                                  reason_zh=f"无法读取文件：{exc.strerror or exc}")
    except Exception as exc:  # a parser bug must not stop the batch or the app
        return None, IngestResult(name, "failed", reason_en=f"extraction error: {exc!r}",
                                  reason_zh=f"提取出错（程序问题，请把文件交给维护人员）：{type(exc).__name__}")
    facts = ex.facts
    return ex, IngestResult(name, "added", facts.content_hash[:16], len(facts.projects),
                            sum(len(p.indicators) for p in facts.projects), len(ex.checks),
                            needs_review=review_messages(facts))


def _refused(name: str, why: isolation.LimitExceeded) -> IngestResult:
    return IngestResult(name, "failed", reason_en=why.message_en, reason_zh=why.message_zh)


def _ran_out_of_memory(exc: BaseException) -> bool:
    while exc is not None:
        if isinstance(exc, MemoryError) or "memory allocation failed" in str(exc).lower():
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def extract_isolated(path: Path, ref: Reference, *, display_name: str | None = None,
                     corrections=None) -> tuple[Extraction | None, IngestResult]:
    """`extract_safely` in a child process with memory and CPU-time limits
    (`isolation.run_limited`): a file that would exhaust them is refused with a
    Chinese reason, and this process (the app, the CLI) is not touched. Uploads,
    ingests and the files of a small build are extracted this way."""
    path = Path(path).absolute()
    relay = functools.partial(_relay_progress, ocr.current_progress())
    try:
        try:
            return isolation.run_limited(_extract_in_child, path, ref, display_name, corrections,
                                         on_message=relay)
        except isolation.NeedsMore:  # a scan: again, with room for its OCR (cached pages are not redone)
            return isolation.run_limited(_extract_in_child, path, ref, display_name, corrections,
                                         cpu_ceiling=OCR_CPU_CEILING, on_message=relay)
    except isolation.LimitExceeded as why:
        return None, _refused(display_name or path.name, why)


def _extract_in_child(path: Path, ref: Reference, display_name: str | None, corrections):
    """`extract_safely` in a `run_limited` child: OCR progress goes to the parent
    (which shows it, and knows the child is working, not blocked)."""
    with ocr.progress_to(lambda name, page, pages: isolation.send((name, page, pages))):
        return extract_safely(path, ref, display_name=display_name, corrections=corrections)


def _relay_progress(callback, message) -> None:
    if callback is not None:
        callback(*message)


def extract_one(path: Path, ref: Reference, index: int, corrections: dict | None = None):
    """(FileOutcome, rows or None) for one file of a build, with its corrections applied:
    in a pool worker (limited when it started, a CPU budget per file) or, for a small
    build, in a limited child process of its own."""
    if _WORKER_STATE:
        with isolation.cpu_budget():
            ex, result = extract_safely(path, ref, corrections=corrections)
    else:
        ex, result = extract_isolated(path, ref, corrections=corrections)
    if ex is None:
        return FileOutcome(index, result), None
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


def review_messages(facts) -> list[str]:
    """A document's review reasons and its projects', for printing beside the outcome."""
    out = [r.message_zh for r in facts.review_reasons]
    out += [f"「{p.name}」{r.message_zh}" for p in facts.projects for r in p.review_reasons]
    return out


def extract_file(path: str | Path, ref: Reference, display_name: str | None = None,
                 corrections=()) -> Extraction:
    """Read and extract one file; raises ReadError (or NotAReportError) on bad input.

    `corrections` (records of `changes.corrections`, or a mapping of content hash
    to them as `corrections.by_document` gives) are applied over the facts before
    the audit runs, so the findings are about the corrected values. A document a
    person marked 不是绩效报告 is read and kept, but neither audited nor counted."""
    path = Path(path)
    doc = read_document(path, display_name)
    content_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    if isinstance(corrections, Mapping):
        corrections = corrections.get(content_hash, ())
    mine = active([c for c in corrections if c.doc_hash == content_hash and c.field != "finding_status"])
    try:
        facts = extract_document(doc, ref)
    except NotAReportError:
        if not any(c.field == "not_a_report" for c in mine):
            raise
        facts = DocumentFacts(file=doc.file, fmt=doc.fmt, encoding=doc.encoding, line_count=len(doc.lines))
    facts.content_hash = content_hash
    applied = apply_corrections(facts, mine, ref) if mine else []
    checks = [] if facts.is_excluded else audit_document(facts, doc)
    return Extraction(doc, facts, checks, applied, mine)



@dataclass
class Unreadable:
    """A stored document that could not be extracted again, and why (both languages)."""

    doc_id: str
    reason_en: str
    reason_zh: str


def reextract_stored(con, doc_ids: list[str], reports_dir: Path, ref: Reference,
                     corrections: dict) -> tuple[list[Extraction], list[Unreadable]]:
    """The one way a stored document is extracted again (after a correction, a
    reference edit, or to catch up with corrections made during a build): from its
    original in `reports_dir`, with every active correction. A document whose
    original is missing, unreadable or changed on disk since it was stored is
    returned as `Unreadable` instead; the caller decides whether that stops it."""
    rows = con.execute("select doc_id, file, content_hash from documents where list_contains(?, doc_id)",
                       [list(doc_ids)]).fetchall()
    problems = [Unreadable(d, f"document not in the store: {d}",
                           "要更正的文档已不在库中（可能已被删除），请刷新页面后再试")
                for d in sorted(set(doc_ids) - {r[0] for r in rows})]
    out = []
    for doc_id, file, content_hash in rows:
        path = Path(reports_dir) / file
        if not path.is_file():
            problems.append(Unreadable(doc_id, f"original missing: {path}",
                                       f"报告目录中找不到原件「{file}」（{reports_dir}），无法重新提取；"
                                       "请先在数据管理页重新导入该文件"))
            continue
        try:
            ex = extract_file(path, ref, display_name=file, corrections=corrections)
        except ReadError as exc:
            problems.append(Unreadable(doc_id, f"cannot read {path}: {exc.message_en}",
                                       f"原件「{file}」无法读取：{exc.message_zh}"))
            continue
        if ex.facts.content_hash != content_hash:
            problems.append(Unreadable(doc_id, f"{path} changed on disk since it was stored",
                                       f"报告目录中的「{file}」与库中的版本内容不同（文件已被替换），"
                                       "请先重新导入该文件再更正"))
            continue
        out.append(ex)
    return out, problems


def extract_to_dicts(files, ref: Reference) -> tuple[list[dict], list[dict]]:
    """Extract files as `budgetperf extract --json` prints them: (documents in the
    answer-key shape, with programmes linked across them; refused files with why)."""
    extractions, failures = [], []
    for path in files:
        try:
            extractions.append(extract_file(path, ref))
        except ReadError as exc:
            failures.append({"file": Path(path).name, "error": exc.message_en, "error_zh": exc.message_zh})
    link_programs(extractions)
    return [document_to_dict(ex) for ex in extractions], failures
