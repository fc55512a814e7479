"""The one write path (budgetperf/publish.py): writers serialize on a lock, readers keep
their snapshot, a failed or killed write leaves the previous store whole and no drafts.

Faults are real where the machine allows it (kill -9 of a subprocess half-way, a file
size limit for "disk full", a user without write permission) and simulated by
monkeypatching otherwise (a write error at each step)."""

from __future__ import annotations

import errno
import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from budgetperf.storing import extracting, loading, publish, schema, store
from budgetperf.storing.reference import load_reference
from tests.conftest import FIXTURES_DIR, REPORTS_DIR, ROOT, ingest

NEW_REPORT = FIXTURES_DIR / "special_fund_expenses_mismatch.txt"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def documents(db: Path) -> int:
    with store.connect(db) as con:
        return con.execute("select count(*) from documents").fetchone()[0]


def leftovers(folder: Path) -> list[str]:
    """Drafts or staged originals a write left behind."""
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith((".tmp", ".tmp.wal", ".part")))


@pytest.fixture
def seeded(write_env, dash_store) -> Path:
    """This test's store: a copy of the seed store (4 documents)."""
    db = write_env["BUDGETPERF_DB"]
    shutil.copy(dash_store, db)
    return db


# ---------------------------------------------------------------------------
# publishing and snapshots

def test_publish_replaces_the_file_and_old_snapshots_keep_reading(seeded):
    before = publish.file_version(seeded)
    old = store.connect(seeded)
    try:
        ingest(seeded, [NEW_REPORT])
        # the reader that was open still sees its snapshot, and can keep querying it
        assert old.execute("select count(*) from documents").fetchone()[0] == 4
        assert len(store.run_query("manage/documents", con=old)) == 4
    finally:
        old.close()
    assert publish.file_version(seeded) != before
    assert documents(seeded) == 5  # a new reader sees the new file
    assert leftovers(seeded.parent) == []


def test_nothing_changed_keeps_the_file(seeded):
    before = publish.file_version(seeded)
    (result,) = ingest(seeded, [REPORTS_DIR / "000_c45d5bc83af97699.txt"])
    assert result.status == "unchanged"
    assert publish.file_version(seeded) == before  # readers need not reopen


def test_an_error_while_changing_leaves_the_store_and_no_draft(seeded):
    before = digest(seeded)

    def apply(con):
        con.execute("delete from documents")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        publish.publish(seeded, apply)
    assert digest(seeded) == before and documents(seeded) == 4
    assert leftovers(seeded.parent) == []


def test_stale_drafts_of_a_killed_writer_are_removed(seeded):
    stale = seeded.with_name(seeded.name + ".deadbeef.tmp")
    stale.write_bytes(b"half a store")
    ingest(seeded, [NEW_REPORT])
    assert not stale.exists() and documents(seeded) == 5


# ---------------------------------------------------------------------------
# the writer lock

def test_second_writer_waits_then_gives_up_with_a_chinese_message(seeded):
    with publish.writer_lock(seeded):
        start = time.monotonic()
        with pytest.raises(publish.StoreBusyError) as info:
            publish.publish(seeded, lambda con: None, timeout=0.3)
        assert time.monotonic() - start >= 0.3
    assert "正被另一个写入任务占用" in info.value.message_zh
    assert leftovers(seeded.parent) == []


def test_writers_take_turns(seeded):
    """Two writers at once both land: the second waits for the first's publish."""
    order = []

    def slow_apply(con):
        order.append("first starts")
        time.sleep(0.4)
        con.execute("update documents set unit = unit")
        order.append("first ends")

    first = threading.Thread(target=publish.publish, args=(seeded, slow_apply))
    first.start()
    time.sleep(0.1)
    ingest(seeded, [NEW_REPORT])
    order.append("second done")
    first.join()
    assert order == ["first starts", "first ends", "second done"]
    assert documents(seeded) == 5


def test_cli_waits_for_a_writer_then_says_busy(seeded, monkeypatch):
    monkeypatch.setenv("BUDGETPERF_LOCK_TIMEOUT", "0.5")
    with publish.writer_lock(seeded):
        result = subprocess.run([sys.executable, "-m", "budgetperf", "ingest", NEW_REPORT], cwd=ROOT,
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stdout.startswith("失败") and "正被另一个写入任务占用" in result.stdout
    assert "Traceback" not in result.stderr and documents(seeded) == 4


# ---------------------------------------------------------------------------
# write errors: disk full, no permission

def _publish_report(db: Path, path: Path) -> None:
    """Add one report through the write beneath intake (publish + loading), so the
    write's own failure reaches the test as the exception intake reports per file."""
    ref = load_reference()
    ex, result = extracting.extract_safely(path, ref)

    def apply(con):
        schema.prepare_draft(con, ref)
        return loading.add_extractions(con, [(ex, result)])
    publish.publish(db, apply, is_changed=bool)


@pytest.mark.parametrize("step", ["copy", "fsync", "duckdb"])
def test_disk_full_at_any_step_gives_a_clear_message_and_changes_nothing(seeded, monkeypatch, step):
    before = digest(seeded)
    if step == "copy":
        def fail(src, dst):
            Path(dst).write_bytes(b"partial")  # a real copy dies half-way
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(publish, "_copy_store", fail)
    elif step == "fsync":
        monkeypatch.setattr(publish, "_fsync_file", lambda path: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space")))
    else:
        real = loading.add_extractions

        def fail(con, items):
            real(con, items)
            raise duckdb.IOException("Could not write file: No space left on device")
        monkeypatch.setattr(loading, "add_extractions", fail)
    with pytest.raises(publish.StoreWriteError) as info:
        _publish_report(seeded, NEW_REPORT)
    assert "磁盘空间不足" in info.value.message_zh and "原有数据未受影响" in info.value.message_zh
    assert digest(seeded) == before
    assert leftovers(seeded.parent) == []


def _limit_file_size(max_bytes: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return apply


def test_real_write_limit_fails_cleanly_through_the_cli(seeded):
    """The kernel refuses writes past 64 KB (RLIMIT_FSIZE), as a full disk would:
    the copy of the store fails, the CLI says why, the store stays as it was."""
    before = digest(seeded)
    result = subprocess.run([sys.executable, "-m", "budgetperf", "ingest", NEW_REPORT], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, preexec_fn=_limit_file_size(64 * 1024))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "磁盘空间不足" in result.stdout and "Traceback" not in result.stderr
    assert digest(seeded) == before and leftovers(seeded.parent) == []


def _without_root_override(command: list) -> list:
    """Permission bits do not bind root (CAP_DAC_OVERRIDE): as root, run the command
    with those capabilities dropped (util-linux setpriv), so a read-only folder is
    read-only to it as to any user."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a folder read-only to the writer")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", *command]


def test_read_only_folder_gives_a_permission_message(seeded):
    folder = seeded.parent
    before = digest(seeded)
    os.chmod(folder, 0o555)
    try:
        result = subprocess.run(_without_root_override([sys.executable, "-m", "budgetperf", "ingest", NEW_REPORT]),
                                cwd=ROOT, capture_output=True, text=True, timeout=120)
    finally:
        os.chmod(folder, 0o755)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "没有写入权限" in result.stdout and "Traceback" not in result.stderr
    assert digest(seeded) == before
    assert sorted(p.name for p in folder.iterdir()) == [seeded.name]


# ---------------------------------------------------------------------------
# kill -9 half-way

def _many_reports(folder: Path, n: int) -> list[Path]:
    """`n` distinct reports (the same text with a different project number), so the
    draft takes a while to fill."""
    folder.mkdir(exist_ok=True)
    text = NEW_REPORT.read_text(encoding="utf-8")
    paths = []
    for i in range(n):
        path = folder / f"report_{i:03d}.txt"
        path.write_text(text + f"\n附注：第 {i} 号\n", encoding="utf-8")
        paths.append(path)
    return paths


UPLOAD_SCRIPT = """
import sys
from pathlib import Path
from budgetperf.storing import intake
from budgetperf.storing.reference import load_reference
ref = load_reference()
prepared = [intake.prepare_one(intake.Incoming(Path(p).name, data=Path(p).read_bytes()), ref) for p in sys.argv[1:]]
intake.add_reports(prepared, "张三", via="app", ref=ref)
"""


@pytest.mark.parametrize("via", ["cli", "upload"])
def test_kill_9_half_way_leaves_the_previous_store_intact(seeded, write_env, tmp_path, via):
    before = digest(seeded)
    reports = _many_reports(tmp_path / "incoming", 150)
    if via == "cli":
        command = [sys.executable, "-m", "budgetperf", "ingest", *reports]
    else:  # the upload's code path: bytes in memory, originals saved by intake
        command = [sys.executable, "-c", UPLOAD_SCRIPT, *reports]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not publish.draft_paths(seeded):  # the draft exists: the write is half-way
            assert proc.poll() is None, "the write finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # the published store is the one from before, whole and readable
    assert digest(seeded) == before and documents(seeded) == 4
    # the lock died with the writer: the next write runs at once and cleans up
    (result,) = ingest(seeded, [NEW_REPORT])
    assert result.status == "added" and documents(seeded) == 5
    assert leftovers(seeded.parent) == []
