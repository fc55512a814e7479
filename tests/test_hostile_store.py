"""A damaged store file (issue 19 item 8) is reported as damaged, with what to do,
by the CLI (`info`, `check`, a write) and the app: never as 「旧版本」 (outdated), never
as a traceback. A build into a read-only folder or onto a full disk exits 2 with a
Chinese reason."""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES_DIR, REPORTS_DIR, ROOT

HEADERS = 3 * 4096  # DuckDB's file header and its two database headers


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(42).randbytes(256 * 1024))


def _truncated(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 3)


def _headers_zeroed(path: Path) -> None:
    with open(path, "r+b") as f:
        f.seek(4096)
        f.write(b"\0" * (HEADERS - 4096))


def _blocks_overwritten(path: Path) -> None:
    """Headers intact, every block after them garbage: the catalog's checksums fail."""
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(HEADERS)
        f.write(random.Random(7).randbytes(size - HEADERS))


DAMAGE = {"random_bytes": _random_bytes, "truncated": _truncated, "headers_zeroed": _headers_zeroed,
          "blocks_overwritten": _blocks_overwritten}


@pytest.fixture(params=sorted(DAMAGE))
def damaged(request, dash_store, tmp_path) -> Path:
    db = tmp_path / "budgetperf.duckdb"
    shutil.copy(dash_store, db)
    DAMAGE[request.param](db)
    return db


def _cli(*args, env=None, preexec_fn=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budgetperf", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env=env, preexec_fn=preexec_fn)


@pytest.mark.parametrize("command", ["info", "check"])
def test_the_cli_says_a_damaged_store_is_damaged(damaged, command):
    result = _cli(command, "--db", damaged)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "数据库文件已损坏" in result.stderr and "budgetperf build" in result.stderr
    assert "Traceback" not in result.stderr and "旧版本" not in result.stdout + result.stderr


def test_a_write_into_a_damaged_store_says_it_is_damaged(damaged, write_env):
    result = _cli("ingest", "--db", damaged, FIXTURES_DIR / "special_fund_expenses_mismatch.txt")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "数据库文件已损坏" in result.stdout


def test_the_app_says_a_damaged_store_is_damaged(damaged, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("BUDGETPERF_DB", str(damaged))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "数据库文件已损坏" in errors and "旧版本" not in errors


# ---------------------------------------------------------------------------
# a build that cannot write

def test_build_into_a_read_only_folder_exits_2_in_chinese(tmp_path):
    from tests.test_publish import _without_root_override

    folder = tmp_path / "store"
    folder.mkdir()
    os.chmod(folder, 0o555)
    try:
        result = subprocess.run(_without_root_override(
            [sys.executable, "-m", "budgetperf", "build", "--reports", str(REPORTS_DIR), "--db", str(folder / "s.duckdb")]),
            cwd=ROOT, capture_output=True, text=True, timeout=300)
    finally:
        os.chmod(folder, 0o755)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "没有写入权限" in result.stderr and "Traceback" not in result.stderr
    assert list(folder.iterdir()) == []


def test_build_on_a_full_disk_exits_2_in_chinese(tmp_path):
    def full_disk():  # the kernel refuses writes past 64 KB, as a full disk would
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    result = _cli("build", "--reports", REPORTS_DIR, "--db", tmp_path / "s.duckdb", preexec_fn=full_disk)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "磁盘空间不足" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "s.duckdb").exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no staging folder, no draft
