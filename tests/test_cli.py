"""`budgetperf ...` (and `python -m budgetperf ...`) as a user runs it: Chinese messages,
exit codes, the console command from any directory, no Streamlit chatter."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES_DIR, REPORTS_DIR, ROOT
from tests.test_extract_seeds import KEY, _differences


def run_cli(*args, env_db=None):
    return subprocess.run([sys.executable, "-m", "budgetperf", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_extract_json_matches_the_answer_key():
    files = [REPORTS_DIR / d["file"] for d in KEY["documents"]]
    result = run_cli("extract", *files, "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert list(out) == ["documents"]
    by_file = {d["file"]: d for d in out["documents"]}
    for doc in KEY["documents"]:
        assert _differences(doc, by_file[doc["file"]]) == [], doc["file"]


def test_extract_reports_bad_files_and_exits_1(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run_cli("extract", empty, "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["failures"][0]["error"] == "file is empty"


def test_build_then_check(tmp_path):
    db = tmp_path / "cli.duckdb"
    result = run_cli("build", "--reports", REPORTS_DIR, "--db", db)
    assert result.returncode == 0, result.stderr
    assert "文档：4 份" in result.stdout and "已生成数据库" in result.stdout
    checks = run_cli("check", "--db", db, "--json")
    findings = json.loads(checks.stdout)
    assert {f["kind"] for f in findings} >= {"total_vs_parts", "weights_sum", "cost_cap_over_budget", "year_inferred"}
    text = run_cli("check", "--db", db, "--region", "丰南区")
    assert "共 3 条审核发现" in text.stdout


def test_ingest_one_line_per_file_and_exit_1_on_failure(tmp_path):
    db = tmp_path / "ingest.duckdb"
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"this is not a zip file")
    good = FIXTURES_DIR / "special_fund_expenses_mismatch.txt"
    result = run_cli("ingest", "--db", db, good, bad)
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 1
    assert len(lines) == 2
    assert lines[0].startswith("新增") and lines[1].startswith("失败") and "broken.docx" in lines[1]
    assert "Word 文件已损坏" in lines[1]
    again = run_cli("ingest", "--db", db, good)
    assert again.returncode == 0 and again.stdout.startswith("重复") and "内容相同" in again.stdout


@pytest.mark.parametrize("args", [("check", "--db", "/nonexistent/x.duckdb"), ("info", "--db", "/nonexistent/x.duckdb")])
def test_missing_store_is_a_clear_error(args):
    result = run_cli(*args)
    assert result.returncode == 2 and "找不到数据库" in result.stderr and "Traceback" not in result.stderr


def test_export_xlsx_has_a_sheet_and_chart_per_page_chart(tmp_path):
    from openpyxl import load_workbook

    db = tmp_path / "e.duckdb"
    run_cli("build", "--reports", REPORTS_DIR, "--db", db)
    out = tmp_path / "exec.xlsx"
    result = run_cli("export", "--db", db, "--page", "execution", "--format", "xlsx", "--out", out)
    assert result.returncode == 0, result.stderr
    wb = load_workbook(out)
    assert len(wb.sheetnames) == 4  # budget vs executed, rate, spending plan, expenses
    assert all(len(wb[name]._charts) == 1 for name in wb.sheetnames)
    assert "已写出" in result.stdout
    # the page runs headless under AppTest: none of Streamlit's runtime warnings reach the user
    assert result.stderr == "", result.stderr


@pytest.mark.skipif(__import__("budgetperf.export.packs", fromlist=["x"]).chromium_path() is None, reason="chromium missing")
def test_export_zip_and_png_render_every_chart(tmp_path):
    import zipfile

    from PIL import Image

    db = tmp_path / "e.duckdb"
    run_cli("build", "--reports", REPORTS_DIR, "--db", db)
    out = tmp_path / "regions.zip"
    result = run_cli("export", "--db", db, "--page", "地区对比", "--region", "乐亭县", "--format", "zip", "--out", out)
    assert result.returncode == 0, result.stderr
    names = zipfile.ZipFile(out).namelist()
    assert len(names) >= 2 and all(n.endswith(".png") and "乐亭县" in n for n in names)
    folder = tmp_path / "pngs"
    result = run_cli("export", "--db", db, "--page", "overview", "--year", "2021", "--format", "png", "--out", folder)
    assert result.returncode == 0, result.stderr
    (png,) = folder.glob("*.png")
    from budgetperf.export.packs import PNG_HEIGHT, PNG_SCALE, PNG_WIDTH

    assert Image.open(png).size == (PNG_WIDTH * PNG_SCALE, PNG_HEIGHT * PNG_SCALE)


@pytest.mark.parametrize("args, message", [
    (("--page", "nope", "--format", "xlsx"), "没有页面"),
    (("--page", "execution", "--year", "1999", "--format", "xlsx"), "没有图表"),
])
def test_export_bad_requests_say_why(tmp_path, args, message):
    db = tmp_path / "e.duckdb"
    run_cli("build", "--reports", REPORTS_DIR, "--db", db)
    result = run_cli("export", "--db", db, *args, "--out", tmp_path / "x.xlsx")
    assert result.returncode in (1, 2) and message in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_score_prints_per_document_per_kind_and_the_total():
    files = [REPORTS_DIR / d["file"] for d in KEY["documents"]]
    result = run_cli("score", ROOT / "tests" / "seed_facts.json", *files, "--floor", "100")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "per document:" in result.stdout and "per field kind:" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "fields correct: 424/424 (100.0%)"


def test_score_below_the_floor_exits_1_and_lists_misses(tmp_path):
    doc = dict(KEY["documents"][1], year=1999)  # a key that disagrees with the report
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"documents": [doc]}, ensure_ascii=False), encoding="utf-8")
    result = run_cli("score", key, REPORTS_DIR / doc["file"], "--floor", "100")
    assert result.returncode == 1
    assert "expected 1999" in result.stdout and "below the floor" in result.stdout


# ---------------------------------------------------------------------------
# the console command, from anywhere

BIN = Path(sys.executable).parent


def test_console_command_runs_from_another_directory(tmp_path):
    """`make venv` installs the package: `budgetperf` works in any folder, and file
    arguments are relative to where the user is (settings still find data/, queries/)."""
    command = BIN / "budgetperf"
    assert command.is_file(), "budgetperf command missing: run `make venv` (pip install -e .)"
    shutil.copy(FIXTURES_DIR / "special_fund_expenses_mismatch.txt", tmp_path / "报告.txt")
    db = tmp_path / "store" / "budgetperf.duckdb"
    env = {**os.environ, "BUDGETPERF_DB": str(db), "BUDGETPERF_REPORTS_DIR": str(tmp_path / "reports")}
    ingest = subprocess.run([command, "ingest", "报告.txt"], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=120)
    assert ingest.returncode == 0, ingest.stderr
    assert ingest.stdout.startswith("新增") and (tmp_path / "reports" / "报告.txt").is_file()
    info = subprocess.run([command, "info"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert info.returncode == 0 and "文档：1 份" in info.stdout, info.stderr
    module = subprocess.run([sys.executable, "-m", "budgetperf", "info", "--db", db], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert module.returncode == 0 and "文档：1 份" in module.stdout, module.stderr


def test_help_is_chinese():
    result = run_cli("--help")
    assert result.returncode == 0 and "从报告文件夹重建数据库" in result.stdout and "导入报告文件" in result.stdout


def test_editor_hash_prints_a_secrets_line_that_verifies():
    import tomllib

    from budgetperf.changes.editors import verify_password

    result = subprocess.run([sys.executable, "-m", "budgetperf", "editor-hash", "张三", "--password-stdin"], cwd=ROOT,
                            input="correct horse battery\n", capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "secrets.toml" in result.stderr and "correct horse" not in result.stdout + result.stderr
    editors = tomllib.loads("[editors]\n" + result.stdout)["editors"]
    assert verify_password("correct horse battery", editors["张三"])


@pytest.mark.parametrize("name, password, message", [
    ("张三", "short", "至少 8 个字符"),
    ("a=b", "long enough", "不含"),
])
def test_editor_hash_refuses_weak_input(name, password, message):
    result = subprocess.run([sys.executable, "-m", "budgetperf", "editor-hash", name, "--password-stdin"], cwd=ROOT,
                            input=password + "\n", capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and message in result.stderr and not result.stdout


def test_delete_archives_the_original_and_log_records_it(write_env):
    reports = write_env["BUDGETPERF_REPORTS_DIR"]
    shutil.copy(FIXTURES_DIR / "special_fund_expenses_mismatch.txt", reports)
    shutil.copy(FIXTURES_DIR / "pipe_table.txt", reports)
    assert run_cli("build").returncode == 0
    result = run_cli("delete", "special_fund_expenses_mismatch.txt", "nope.txt")
    assert result.returncode == 1  # one of the two is not in the store
    assert "已删除" in result.stdout and "nope.txt" in result.stdout and "不存在" in result.stdout
    assert not (reports / "special_fund_expenses_mismatch.txt").exists()
    (archived,) = write_env["BUDGETPERF_ARCHIVE_DIR"].iterdir()
    assert archived.name.endswith("_special_fund_expenses_mismatch.txt")
    assert "文档：1 份" in run_cli("info").stdout
    log = run_cli("log")
    assert log.returncode == 0
    assert "重建" in log.stdout and "删除" in log.stdout and "命令行:" in log.stdout
    entries = json.loads(run_cli("log", "--json").stdout)
    assert [e["action"] for e in entries] == ["build", "delete"]


def test_build_from_a_missing_folder_says_so_in_chinese(tmp_path):
    result = run_cli("build", "--reports", tmp_path / "没有", "--db", tmp_path / "x.duckdb")
    assert result.returncode == 2 and "找不到报告文件夹" in result.stderr
    assert not (tmp_path / "x.duckdb").exists()
