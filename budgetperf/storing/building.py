"""A whole build: every report of the reports folder into a new store, published
atomically. Extraction runs first, outside the writer lock, into a staging file
(`loading.staged_build`); only copying it into the fresh draft holds the lock, and
under it the writes made meanwhile are laid over the draft (`_rebase`), so a build
loses none of them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import duckdb

from budgetperf import settings
from budgetperf.reading import formats
from budgetperf.changes import reference_edits
from budgetperf.storing import committing, extracting, journal, loading, publish
from budgetperf.storing.extracting import IngestResult
from budgetperf.storing.reference import load_reference
from budgetperf.storing.schema import create_schema, load_regions
from budgetperf.understanding.parsers.context import Reference


def report_files(directory: str | Path) -> list[Path]:
    """Supported report files in a folder, sorted by name."""
    directory = Path(directory)
    return sorted(p for p in directory.iterdir() if formats.is_report_file(p))


def _folder_state(directory: Path) -> dict[str, tuple[int, int, int]]:
    """{file name: (inode, size, mtime_ns)} of the report files in a folder: a file
    placed, replaced (a new inode) or edited since changes its entry."""
    state = {}
    for path in report_files(directory):
        with contextlib.suppress(FileNotFoundError):  # removed while listed
            st = path.stat()
            state[path.name] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return state


def build_store(reports_dir: str | Path | None = None, db_path: str | Path | None = None,
                ref: Reference | None = None, workers: int | None = None,
                plan: Callable[[list[IngestResult], journal.Intent], None] | None = None) -> list[IngestResult]:
    """Rebuild the store from a folder of reports and publish it atomically.

    Extraction runs first, without the writer lock, in `workers` processes (default:
    up to 2), into a staging file (`loading.staged_build`); files the published
    store already holds unchanged, extracted by the same code, are copied from it
    rather than extracted again. Only loading the new file from the staging file
    holds the lock (`publish.publish` with a fresh draft), so readers and other
    writers wait on nothing while reports are read. What they wrote meanwhile is
    laid over the draft under the lock (`_rebase`), so a build never undoes an
    ingest, an upload, a deletion, a correction or a reference edit made while it
    ran. `plan` journals what else the build does (its write log entry).
    """
    reports_dir = Path(reports_dir or settings.get("BUDGETPERF_REPORTS_DIR"))
    db_path = Path(db_path or settings.get("BUDGETPERF_DB"))
    ref = ref or load_reference()
    if not reports_dir.is_dir():
        raise FileNotFoundError(f"reports folder not found: {reports_dir}")
    started = _folder_state(reports_dir)  # before any file is read
    edits_before = reference_edits.load()
    paths = [reports_dir / name for name in sorted(started)]
    try:
        with loading.staged_build(paths, ref, db_path, workers) as staged:

            def load(con: duckdb.DuckDBPyConnection) -> list[IngestResult]:
                create_schema(con)
                load_regions(con, ref)
                staged.copy_into(con)
                results, ref_now = _rebase(con, staged.results, reports_dir, started, ref, edits_before)
                # corrections made while the files were extracted (outside the lock)
                loading.catch_up_corrections(con, reports_dir, ref_now)
                return results

            return publish.publish(db_path, load, fresh=True, plan=plan)
    except BrokenProcessPool as exc:  # a worker killed (out of memory, or by a person)
        raise publish.StoreWriteError(
            f"an extraction worker died ({exc}); the store is unchanged",
            "抽取进程意外退出（可能内存不足或被终止），数据库保持原样；请重试，内存紧张时可少用并行进程") from exc
    except OSError as exc:  # the staging folder beside the store: read-only, or the disk full
        raise publish.os_error(exc, db_path.parent) from exc
    except duckdb.Error as exc:  # the staging file could not be written
        raise publish.duckdb_error(exc, db_path.parent) from exc


def _rebase(con: duckdb.DuckDBPyConnection, results: list[IngestResult], reports_dir: Path,
            started: dict, ref: Reference, edits_before: list) -> tuple[list[IngestResult], Reference]:
    """Lay over the draft what was written while the build extracted its files
    outside the writer lock (this runs under it): files placed, replaced or removed
    in the reports folder since (ingests, uploads, deletions) and reference edits.
    Returns the results of the files now in the folder and the reference as it is
    now. Corrections are caught up after this, finding statuses by the publish."""
    now = _folder_state(reports_dir)
    edits = reference_edits.load()
    new_edits = edits[len(edits_before):] if edits[:len(edits_before)] == edits_before else edits
    ref_now = load_reference() if new_edits else ref
    if new_edits:
        load_regions(con, ref_now)
    gone = {name for name, state in started.items() if now.get(name) != state}  # removed or changed
    if gone:
        loading.delete_documents(con, [d for (d,) in con.execute(
            "select doc_id from documents where list_contains(?, file)", [sorted(gone)]).fetchall()])
    # a file left out as a copy of one that is gone now stands for its content itself
    orphans = {r.file for r in results if r.status == "unchanged" and r.duplicate_of in gone}
    todo = sorted(name for name in now if name not in started or name in gone or name in orphans)
    corrections = extracting.current_corrections()
    items = [extracting.extract_isolated(reports_dir / name, ref_now, corrections=corrections) for name in todo]
    loading.add_extractions(con, items)
    if new_edits:  # documents a reference edit can change, extracted again with the new tables
        fresh = {r.doc_id for _, r in items}
        stale = [d for d in committing.affected_by(con, new_edits) if d not in fresh]
        extractions, _ = extracting.reextract_stored(con, stale, reports_dir, ref_now, corrections)
        loading.replace_documents(con, extractions)
    kept = [r for r in results if r.file in now and r.file not in todo]
    return sorted(kept + [r for _, r in items], key=lambda r: r.file), ref_now
