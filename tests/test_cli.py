"""`python -m budgetperf ...` as a user runs it."""

import json
import subprocess
import sys

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
    assert "documents: 4" in result.stdout
    checks = run_cli("check", "--db", db, "--json")
    findings = json.loads(checks.stdout)
    assert {f["kind"] for f in findings} >= {"total_vs_parts", "weights_sum", "cost_cap_over_budget", "year_inferred"}
    text = run_cli("check", "--db", db, "--region", "丰南区")
    assert "3 findings" in text.stdout


def test_ingest_one_line_per_file_and_exit_1_on_failure(tmp_path):
    db = tmp_path / "ingest.duckdb"
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"this is not a zip file")
    good = FIXTURES_DIR / "special_fund_expenses_mismatch.txt"
    result = run_cli("ingest", "--db", db, good, bad)
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 1
    assert len(lines) == 2
    assert lines[0].startswith("added") and lines[1].startswith("FAILED") and "broken.docx" in lines[1]
    again = run_cli("ingest", "--db", db, good)
    assert again.returncode == 0 and again.stdout.startswith("unchanged")


@pytest.mark.parametrize("args", [("check", "--db", "/nonexistent/x.duckdb"), ("info", "--db", "/nonexistent/x.duckdb")])
def test_missing_store_is_a_clear_error(args):
    result = run_cli(*args)
    assert result.returncode == 2 and "store not found" in result.stderr


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
    assert "wrote" in result.stdout


@pytest.mark.skipif(__import__("budgetperf.export", fromlist=["x"]).chromium_path() is None, reason="chromium missing")
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
    from budgetperf.export import PNG_HEIGHT, PNG_SCALE, PNG_WIDTH

    assert Image.open(png).size == (PNG_WIDTH * PNG_SCALE, PNG_HEIGHT * PNG_SCALE)


@pytest.mark.parametrize("args, message", [
    (("--page", "nope", "--format", "xlsx"), "unknown page"),
    (("--page", "execution", "--year", "1999", "--format", "xlsx"), "no chart"),
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
