"""A whole build: every report of the reports folder into a new store, published
atomically. Extraction runs first, outside the writer lock, into a staging file
(`loading.staged_build`); only copying it into the fresh draft holds the lock.
"""

from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import duckdb

from budgetperf import settings
from budgetperf.reading import formats
from budgetperf.storing import loading, publish
from budgetperf.storing.extracting import IngestResult
from budgetperf.storing.reference import load_reference
from budgetperf.storing.schema import create_schema, load_regions
from budgetperf.understanding.parsers.context import Reference


def report_files(directory: str | Path) -> list[Path]:
    """Supported report files in a folder, sorted by name."""
    directory = Path(directory)
    return sorted(p for p in directory.iterdir() if formats.is_report_file(p))


def build_store(reports_dir: str | Path | None = None, db_path: str | Path | None = None,
                ref: Reference | None = None, workers: int | None = None) -> list[IngestResult]:
    """Rebuild the store from a folder of reports and publish it atomically.

    Extraction runs first, without the writer lock, in `workers` processes (default:
    up to 2), into a staging file (`loading.staged_build`); files the published
    store already holds unchanged, extracted by the same code, are copied from it
    rather than extracted again. Only loading the new file from the staging file
    holds the lock (`publish.publish` with a fresh draft), so readers and other
    writers wait on nothing while reports are read.
    """
    reports_dir = Path(reports_dir or settings.get("BUDGETPERF_REPORTS_DIR"))
    db_path = Path(db_path or settings.get("BUDGETPERF_DB"))
    ref = ref or load_reference()
    if not reports_dir.is_dir():
        raise FileNotFoundError(f"reports folder not found: {reports_dir}")
    try:
        with loading.staged_build(report_files(reports_dir), ref, db_path, workers) as staged:

            def load(con: duckdb.DuckDBPyConnection) -> None:
                create_schema(con)
                load_regions(con, ref)
                staged.copy_into(con)
                # corrections made while the files were extracted (outside the lock)
                loading.catch_up_corrections(con, reports_dir, ref)

            publish.publish(db_path, load, fresh=True)
    except BrokenProcessPool as exc:  # a worker killed (out of memory, or by a person)
        raise publish.StoreWriteError(
            f"an extraction worker died ({exc}); the store is unchanged",
            "抽取进程意外退出（可能内存不足或被终止），数据库保持原样；请重试，内存紧张时可少用并行进程") from exc
    except OSError as exc:  # the staging folder beside the store: read-only, or the disk full
        raise publish.os_error(exc, db_path.parent) from exc
    except duckdb.Error as exc:  # the staging file could not be written
        raise publish.duckdb_error(exc, db_path.parent) from exc
    return staged.results

