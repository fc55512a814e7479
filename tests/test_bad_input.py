"""Every bad input of issue 10 through both doors, the CLI and the 数据管理 page: a
clear Chinese message per file, nothing partial in the store, the app stays up.

One CLI run and one page upload take the whole table (tests/bad_inputs.py); the
parametrized tests then check each file's line and the store afterwards."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from budgetperf.storing import store
from tests.bad_inputs import CASES, HTML_SQL_MARKERS
from tests.conftest import ROOT, login, open_manage, preview_table

ADDED = sum(c.status == "added" for c in CASES)


def _store_rows(db) -> dict:
    with store.connect(db) as con:
        tables = [t for (t,) in con.execute("select table_name from information_schema.tables "
                                            "where table_type = 'BASE TABLE'").fetchall()]
        counts = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
        texts = [t for (t,) in con.execute("select text from source_lines").fetchall()]
        names = [n for (n,) in con.execute("select name from projects").fetchall()]
        # nothing partial: every row belongs to a stored document
        orphans = {t: con.execute(f"select count(*) from {t} where doc_id not in (select doc_id from documents)")
                   .fetchone()[0] for t in tables
                   if "doc_id" in [c[0] for c in con.execute(f"select * from {t} limit 0").description]}
    assert not any(orphans.values()), orphans
    return {"counts": counts, "texts": "\n".join(texts), "names": names}


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    """`budgetperf ingest --json` over every case, into an empty store."""
    base = tmp_path_factory.mktemp("bad_cli")
    folder = base / "incoming"
    folder.mkdir()
    paths = []
    for case in CASES:
        path = folder / case.name
        path.write_bytes(case.make())
        paths.append(path)
    env = {**__import__("os").environ, "BUDGETPERF_DB": str(base / "store.duckdb"),
           "BUDGETPERF_REPORTS_DIR": str(base / "reports"), "BUDGETPERF_WRITE_LOG": str(base / "log.jsonl")}
    result = subprocess.run([sys.executable, "-m", "budgetperf", "ingest", "--json", *paths], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    text = subprocess.run([sys.executable, "-m", "budgetperf", "ingest", *paths[:3]], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    return {"result": result, "text": text, "by_file": {r["file"]: r for r in json.loads(result.stdout)["results"]},
            "db": base / "store.duckdb", "reports": base / "reports"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_cli_says_why_in_chinese(cli_run, case):
    row = cli_run["by_file"][case.name]
    assert row["status"] == case.status, row
    if case.status == "failed":
        assert case.message_zh in row["reason_zh"]
    assert "Traceback" not in cli_run["result"].stderr


def test_cli_exit_code_and_lines(cli_run):
    assert cli_run["result"].returncode == 1  # some files failed
    lines = cli_run["text"].stdout.splitlines()
    assert [line[:2] for line in lines] == ["失败"] * 3
    assert "文件为空" in lines[0]


def test_cli_store_holds_only_the_good_files(cli_run):
    rows = _store_rows(cli_run["db"])
    assert rows["counts"]["documents"] == ADDED
    for marker in HTML_SQL_MARKERS:  # stored as literal text, nothing executed
        assert marker in rows["texts"]
    assert "农村公路养护<b>专项资金</b>" in rows["names"]
    good = sorted(c.name for c in CASES if c.status == "added")
    assert sorted(p.name for p in cli_run["reports"].iterdir()) == good  # only good originals kept


# ---------------------------------------------------------------------------
# the page

@pytest.fixture(scope="module")
def page_run(tmp_path_factory, editor_env_module):
    """One upload of every case on the 数据管理 page: the preview, then the commit."""
    at = open_manage()
    login(at)
    at.file_uploader[0].set_value([(c.name, c.make(), "application/octet-stream") for c in CASES])
    at.run()
    assert not at.exception, at.exception
    preview = preview_table(at)
    at.button(key="admin.commit").click()
    at.run()
    assert not at.exception, at.exception
    outcome = next(df.value for df in at.dataframe if "结果" in df.value.columns)
    return {"preview": preview.set_index("文件"), "outcome": outcome.set_index("文件"), "at": at,
            "db": editor_env_module["BUDGETPERF_DB"]}


STATUS_ZH = {"failed": "失败", "added": "新增"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_page_preview_and_outcome_say_why(page_run, case):
    preview = page_run["preview"].loc[case.name]
    outcome = page_run["outcome"].loc[case.name]
    assert preview["预计结果"] == STATUS_ZH[case.status]
    assert outcome["结果"] == STATUS_ZH[case.status]
    if case.status == "failed":
        assert case.message_zh in preview["说明"] and case.message_zh in outcome["说明"]
    else:
        assert preview["地区"] == case.message_zh


def test_page_stays_up_and_store_holds_only_the_good_files(page_run):
    at = page_run["at"]
    assert not at.exception
    assert any("入库完成" in w.value for w in at.warning)  # some failed: a warning, not a success
    rows = _store_rows(page_run["db"])
    assert rows["counts"]["documents"] == 4 + ADDED  # the four seeds, and the good files
    for marker in HTML_SQL_MARKERS:
        assert marker in rows["texts"]
