"""Loading internals (budgetperf/loading.py): batched rows equal the per-document
path, worker processes give the same rows in the same order, unchanged files are
reused across builds, and ingest keeps its per-file outcomes."""

from __future__ import annotations

import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
import pytest

from budgetperf.storing import arrow, extracting, linking, loading
from budgetperf.storing.building import build_store, report_files
from budgetperf.storing.extracting import extract_file
from budgetperf.storing.rows import document_rows
from budgetperf.storing.schema import create_schema, load_regions
from budgetperf.synth.corpus import write_corpus
from budgetperf.understanding.linking import link_programs
from tests.conftest import FIXTURES_DIR, REPORTS_DIR, ingest

TABLES = ("documents", "source_lines", "units", "projects", "budget_lines", "provenance", "indicators",
          "section_scores", "expense_items", "spending_plans", "output_facts", "checks", "program_links",
          "review_reasons", "corrections_applied")


@pytest.fixture(scope="module")
def synth_reports(tmp_path_factory, ref) -> Path:
    out = tmp_path_factory.mktemp("synth_loading")
    write_corpus(out, regions=3, years=(2023, 2025), seed=4, ref=ref, workers=1)
    folder = out / "reports"
    for seed in REPORTS_DIR.iterdir():  # real seeds beside the synthetic ones
        shutil.copy(seed, folder / seed.name)
    return folder


def dump(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in TABLES:
            cols = [c for (c,) in con.execute(
                "select column_name from duckdb_columns() where table_name = ? and column_name <> 'ingested_at' "
                "order by column_index", [table]).fetchall()]
            out[table] = sorted(map(repr, con.execute(f"select {', '.join(cols)} from {table}").fetchall()))
        return out
    finally:
        con.close()


def build_document_by_document(folder: Path, db: Path, ref) -> None:
    """The old path: one extraction, one insert per table, one transaction at a time."""
    con = duckdb.connect(str(db))
    try:
        create_schema(con)
        load_regions(con, ref)
        extractions = []
        for path in report_files(folder):
            ex = extract_file(path, ref)
            con.execute("begin")
            schemas = arrow.table_schemas(con)
            arrow.insert_tables(con, {t: arrow.to_arrow(schemas[t], r) for t, r in document_rows(ex).items() if r})
            con.execute("commit")
            extractions.append(ex)
        link_programs(extractions)
        inputs = [linking.link_input(ex) for ex in extractions]
        rows = linking.link_rows(sorted(inputs, key=lambda li: li.file))
        if rows:
            arrow.insert_arrow(con, "program_links",
                                 arrow.to_arrow(arrow.table_schemas(con)["program_links"], rows))
    finally:
        con.close()


def test_batched_build_equals_document_by_document(synth_reports, tmp_path, ref):
    build_store(synth_reports, tmp_path / "batched.duckdb", ref, workers=1)
    build_document_by_document(synth_reports, tmp_path / "one_by_one.duckdb", ref)
    batched, one_by_one = dump(tmp_path / "batched.duckdb"), dump(tmp_path / "one_by_one.duckdb")
    assert batched["documents"] and batched["program_links"]
    for table in TABLES:
        assert batched[table] == one_by_one[table], table


def test_worker_processes_return_the_same_rows_in_order(synth_reports, tmp_path, ref):
    con = duckdb.connect()
    create_schema(con)
    schemas = arrow.table_schemas(con)
    paths = report_files(synth_reports)
    here = list(extracting.extract_rows(paths, ref, schemas, pool=None))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(2, mp_context=context, initializer=extracting._init_worker,
                             initargs=(ref, schemas, {})) as pool:
        there = list(extracting.extract_rows(paths, ref, schemas, pool=pool))
    assert [o.result.file for c in there for o in c.outcomes] == [p.name for p in paths]
    assert [o.content_hash for c in here for o in c.outcomes] == [o.content_hash for c in there for o in c.outcomes]
    for a, b in zip(here, there):
        assert a.tables.keys() == b.tables.keys()
        assert all(a.tables[t].equals(b.tables[t]) for t in a.tables)
    # links computed over the pool equal those computed here
    inputs = sorted((o.link for c in here for o in c.outcomes if o.link), key=lambda li: li.file)
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        assert sorted(linking.link_rows(inputs, pool)) == sorted(linking.link_rows(inputs))


def test_pool_only_when_it_pays(ref, monkeypatch):
    with extracting.worker_pool(3, ref, {}, workers=2) as pool:
        assert pool is None  # a few files: in this process
    with extracting.worker_pool(1000, ref, {}, workers=1) as pool:
        assert pool is None
    monkeypatch.setattr("threading.active_count", lambda: 3)  # e.g. inside the Streamlit app
    with extracting.worker_pool(1000, ref, {}, workers=2) as pool:
        assert pool is None


def _count_extractions(monkeypatch) -> list[str]:
    seen = []
    original = extracting.extract_one

    def counting(path, ref, index, corrections=None):
        seen.append(Path(path).name)
        return original(path, ref, index, corrections)

    monkeypatch.setattr(extracting, "extract_one", counting)
    return seen


def test_rebuild_reuses_unchanged_files(synth_reports, tmp_path, ref, monkeypatch):
    folder = tmp_path / "reports"
    shutil.copytree(synth_reports, folder)
    db = tmp_path / "store.duckdb"
    build_store(folder, db, ref, workers=1)
    before = dump(db)
    extracted = _count_extractions(monkeypatch)
    results = build_store(folder, db, ref, workers=1)
    assert extracted == [] and all(r.status == "added" and r.doc_id for r in results)
    assert dump(db) == before  # copied rows are the same rows
    changed = sorted(folder.glob("*.txt"))[0]
    changed.write_bytes(changed.read_bytes() + b"\n")
    sorted(folder.glob("synth-*"))[-1].unlink()  # and one file gone
    build_store(folder, db, ref, workers=1)
    assert extracted == [changed.name]
    # rows and programme links (copied for untouched regions, recomputed for the
    # others) are those of a build from scratch
    build_store(folder, tmp_path / "fresh.duckdb", ref, workers=1)
    assert dump(db) == dump(tmp_path / "fresh.duckdb")
    monkeypatch.setattr(loading, "extractor_fingerprint", lambda: "another extractor")
    extracted.clear()
    build_store(folder, db, ref, workers=1)
    assert len(extracted) == len(report_files(folder))  # other code: nothing is reused


def test_duplicate_content_is_stored_once(tmp_path, ref):
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(REPORTS_DIR / "000_c45d5bc83af97699.txt", folder / "a.txt")
    shutil.copy(REPORTS_DIR / "000_c45d5bc83af97699.txt", folder / "b.txt")
    results = build_store(folder, tmp_path / "d.duckdb", ref)
    assert [r.status for r in results] == ["added", "unchanged"]
    assert results[0].doc_id == results[1].doc_id and results[1].projects == results[0].projects
    con = duckdb.connect(str(tmp_path / "d.duckdb"), read_only=True)
    assert con.execute("select count(*) from documents").fetchone()[0] == 1
    con.close()


def test_synthetic_documents_are_flagged(synth_reports, tmp_path, ref):
    db = tmp_path / "flag.duckdb"
    build_store(synth_reports, db, ref)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select file, is_synthetic from documents").fetchall()
    finally:
        con.close()
    assert all(flag == file.startswith("synth-") for file, flag in rows)
    assert {flag for _, flag in rows} == {True, False}


def test_ingest_in_one_batch_equals_build(synth_reports, tmp_path, ref):
    db = tmp_path / "ingested.duckdb"
    results = ingest(db, report_files(synth_reports), ref)
    assert {r.status for r in results} == {"added"}
    build_store(synth_reports, tmp_path / "built.duckdb", ref)
    ingested, built = dump(db), dump(tmp_path / "built.duckdb")
    for table in TABLES:
        assert ingested[table] == built[table], table


def test_ingest_same_name_twice_keeps_the_later(tmp_path, ref):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    shutil.copy(FIXTURES_DIR / "pipe_table.txt", a / "report.txt")
    shutil.copy(FIXTURES_DIR / "yuan_amounts_pipe_table.txt", b / "report.txt")
    db = tmp_path / "s.duckdb"
    results = ingest(db, [a / "report.txt", b / "report.txt"], ref)
    assert [r.status for r in results] == ["added", "replaced"]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from documents").fetchone()[0] == 1
    assert con.execute("select content_hash from documents").fetchone()[0][:16] == results[1].doc_id
    con.close()


def test_ingest_falls_back_to_file_by_file(tmp_path, ref, monkeypatch):
    """One file whose rows the store refuses fails alone; the others are stored."""
    original = arrow.insert_tables
    bad = "yuan_amounts_pipe_table.txt"

    def refusing(con, tables):
        files = set(tables["documents"].column("file").to_pylist()) if "documents" in tables else set()
        if bad in files:
            raise duckdb.ConstraintException("refused for the test")
        return original(con, tables)

    monkeypatch.setattr(loading, "insert_tables", refusing)
    db = tmp_path / "f.duckdb"
    results = ingest(db, [FIXTURES_DIR / "pipe_table.txt", FIXTURES_DIR / bad,
                                FIXTURES_DIR / "split_target_columns.txt"], ref)
    assert [r.status for r in results] == ["added", "failed", "added"]
    assert "写入数据库失败" in results[1].reason_zh
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from documents").fetchone()[0] == 2
        assert con.execute(f"select count(*) from source_lines where doc_id = '{results[1].doc_id}'").fetchone()[0] == 0
    finally:
        con.close()


def test_delete_relinks_only_what_it_must(synth_reports, tmp_path, ref):
    """Deleting a document relinks its region's programmes; the store equals a build
    without the file."""
    from budgetperf.storing import publish

    folder = tmp_path / "reports"
    shutil.copytree(synth_reports, folder)
    db = tmp_path / "store.duckdb"
    build_store(folder, db, ref, workers=1)
    con = duckdb.connect(str(db), read_only=True)
    doc_id, file = con.execute("select doc_id, file from documents d where exists "
                               "(select 1 from program_links l where l.doc_id = d.doc_id) order by file limit 1").fetchone()
    con.close()
    found = publish.publish(db, lambda c: loading.delete_documents(c, [doc_id]))
    assert found == [(doc_id, file)]
    (folder / file).unlink()
    build_store(folder, tmp_path / "without.duckdb", ref, workers=1)
    assert dump(db) == dump(tmp_path / "without.duckdb")




_TEST_PROCESS = __import__("os").getpid()


def _die_in_worker(job):
    import os

    if os.getpid() == _TEST_PROCESS:  # never end pytest itself, whatever path the build took
        raise RuntimeError("the build extracted in-process; this test needs the worker pool")
    os._exit(9)  # as the kernel's OOM killer would leave it


def test_a_dead_worker_fails_the_build_with_a_message_and_changes_nothing(synth_reports, tmp_path, ref, monkeypatch):
    from budgetperf.storing import publish

    db = tmp_path / "s.duckdb"
    build_store(synth_reports, db, ref, workers=2)
    before = db.stat().st_mtime_ns

    monkeypatch.setattr(extracting, "_extract_chunk", _die_in_worker)
    monkeypatch.setattr(extracting, "PARALLEL_MIN_FILES", 1)
    # tests run earlier (the export browser, AppTest) leave threads, and a process with
    # threads extracts in-process: the "worker" would then exit pytest itself (code 9)
    monkeypatch.setattr("threading.active_count", lambda: 1)
    monkeypatch.setattr(loading, "extractor_fingerprint", lambda: "changed")  # nothing reusable: extract all
    with pytest.raises(publish.StoreWriteError) as err:
        build_store(synth_reports, db, ref, workers=2)
    assert "抽取进程意外退出" in err.value.message_zh
    assert db.stat().st_mtime_ns == before
    assert not list(tmp_path.glob(".s.duckdb.staging-*"))


def test_workers_end_when_their_parent_dies(tmp_path):
    """A worker forked by a build that is killed must not wait on its queue for ever."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import multiprocessing, os, sys, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from budgetperf.storing import extracting\n"
        "ctx = multiprocessing.get_context('fork')\n"
        "pool = ProcessPoolExecutor(1, mp_context=ctx, initializer=extracting._die_with_parent)\n"
        "print(pool.submit(os.getpid).result(), flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[1])
    worker = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    for _ in range(50):
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.kill(worker, signal.SIGKILL)
        pytest.fail("the worker outlived its parent")


def test_a_killed_builds_staging_folder_is_removed_by_the_next(tmp_path, ref, monkeypatch):
    import os
    import time

    db = tmp_path / "s.duckdb"
    abandoned = tmp_path / ".s.duckdb.staging-abc"
    abandoned.mkdir()
    (abandoned / "staging.duckdb").write_bytes(b"x" * 100)
    old = time.time() - 3600
    os.utime(abandoned, (old, old))
    build_store(REPORTS_DIR, db, ref)
    assert not abandoned.exists()
