"""The store: build, ingest, idempotence, atomicity, failures leave nothing behind."""

import shutil

import duckdb
import pandas as pd
import pytest

from budgetperf.storing.building import build_store
from budgetperf.storing.store import (
    QueryError,
    connect,
    list_queries,
    load_query,
    run_query,
)
from tests.conftest import FIXTURES_DIR, REPORTS_DIR, ingest


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory, ref):
    db = tmp_path_factory.mktemp("store") / "seed.duckdb"
    results = build_store(REPORTS_DIR, db, ref)
    assert all(r.status == "added" for r in results)
    return db


def count(db, table):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"select count(*) from {table}").fetchone()[0]
    finally:
        con.close()


def _region_year(con, region: str, year: int | None, *columns: str) -> tuple:
    """One region × year row of the overview's region table (the page's own query)."""
    df = run_query("overview/region_year", con=con, years=[year] if year else None, regions=[region], levels=None,
                   units=None, projects=None, doc_types=None, sort=None, descending=None, limit=10, offset=0)
    return tuple(None if pd.isna(v) else v for v in df.iloc[0][list(columns)])


def test_build_holds_the_seed_facts(seed_store):
    con = connect(seed_store)
    try:
        assert con.execute("select count(*) from documents").fetchone()[0] == 4
        assert con.execute("select count(*) from indicators").fetchone()[0] == 25 + 1 + 14
        row = _region_year(con, "三门峡市", 2021, "budget_wan", "executed_wan", "execution_rate_pct")
        assert row == (110, 98.69, 89.72)
        assert _region_year(con, "乐亭县", 2021, "budget_wan")[0] == 87
        # 丰南区 discloses no executed amount: NULL, never 0 or 100.
        assert _region_year(con, "丰南区", None, "executed_wan", "execution_rate_pct") == (None, None)
        links = con.execute("select count(*) from program_links").fetchone()[0]
        assert links == 2
    finally:
        con.close()


def test_every_value_keeps_its_source_lines(seed_store):
    con = connect(seed_store)
    try:
        assert con.execute("select count(*) from indicators where line_start is null or snippet is null").fetchone()[0] == 0
        prov = con.execute("select value_text, line_start, snippet from provenance where entity = 'project' "
                           "and field = 'executed' order by line_start").fetchall()
        assert any("98.69" in (value or "") and "98.69" in (snippet or "") for value, _, snippet in prov)
        # The cited line is in source_lines, so the app can show context around it.
        doc_id, line = con.execute("select doc_id, line_start from indicators limit 1").fetchone()
        assert con.execute("select text from source_lines where doc_id = ? and line_no = ?", [doc_id, line]).fetchone()
    finally:
        con.close()


def test_reingesting_the_same_file_changes_nothing(seed_store, tmp_path, ref):
    db = tmp_path / "copy.duckdb"
    shutil.copy(seed_store, db)
    before = {t: count(db, t) for t in ("documents", "projects", "indicators", "checks")}
    results = ingest(db, [REPORTS_DIR / "000_c45d5bc83af97699.txt"], ref)
    assert [r.status for r in results] == ["unchanged"]
    assert {t: count(db, t) for t in before} == before


def test_ingest_bad_files_stores_nothing(tmp_path, ref):
    db = tmp_path / "new.duckdb"
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    note = tmp_path / "note.txt"
    note.write_text("今天下午三点开会，请准时参加。", encoding="utf-8")
    results = ingest(db, [bad, binary, note, FIXTURES_DIR / "yuan_amounts_pipe_table.txt"], ref)
    assert [r.status for r in results] == ["failed", "failed", "failed", "added"]
    assert all(r.reason_zh and r.reason_en for r in results[:3])
    assert count(db, "documents") == 1
    assert count(db, "checks") == count(db, "checks where doc_id = (select doc_id from documents)")


def test_ingest_replaces_a_changed_file(tmp_path, ref):
    db = tmp_path / "r.duckdb"
    report = tmp_path / "report.txt"
    report.write_text((FIXTURES_DIR / "yuan_amounts_pipe_table.txt").read_text(encoding="utf-8"), encoding="utf-8")
    ingest(db, [report], ref)
    report.write_text(report.read_text(encoding="utf-8").replace("86.5分", "88分"), encoding="utf-8")
    (result,) = ingest(db, [report], ref)
    assert result.status == "replaced"
    assert count(db, "documents") == 1


def test_build_is_atomic_and_leaves_no_temp_files(tmp_path, ref):
    db = tmp_path / "a.duckdb"
    build_store(REPORTS_DIR, db, ref)
    # The writer lock file stays (removing a flock'd file races with a waiting writer).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.duckdb", "a.duckdb.lock"]


def test_build_from_missing_folder_raises(tmp_path, ref):
    with pytest.raises(FileNotFoundError):
        build_store(tmp_path / "nope", tmp_path / "x.duckdb", ref)
    assert not (tmp_path / "x.duckdb").exists()


def test_run_query_checks_params(seed_store):
    con = connect(seed_store)
    try:
        df = run_query("audit/findings", con=con, regions=["三门峡市"])
        assert set(df["kind"]) == {"total_vs_parts", "weights_sum", "satisfaction_vs_score"}
        with pytest.raises(QueryError):
            run_query("audit/findings", con=con, region="三门峡市")
    finally:
        con.close()


def test_every_named_query_declares_a_title():
    for name in list_queries():
        assert load_query(name).title != name, name


def test_ingest_one_by_one_links_programmes_like_build(tmp_path, ref):
    db = tmp_path / "one_by_one.duckdb"
    for name in ("003_5e5af2f25a3e5b2d.txt", "000_c45d5bc83af97699.txt"):
        ingest(db, [REPORTS_DIR / name], ref)
    con = connect(db)
    try:
        links = con.execute("""select p.name, e.name from program_links l join projects p using (project_id)
                               join projects e on e.project_id = l.earlier_project_id order by p.name""").fetchall()
    finally:
        con.close()
    assert links == [("网络强军建设及网络宣传经费", "网络强军工程建设与宣传"), ("网络舆情搜集发现及网络安全保障服务", "购买舆情监测服务")]


def test_budget_lines_and_goals_are_stored_with_their_lines(seed_store):
    con = connect(seed_store)
    try:
        rows = con.execute("""select b.label, b.budget_initial_wan, b.executed_wan, b.rate_pct, b.line_start
                              from budget_lines b join projects p using (project_id)
                              where p.name = '购买舆情监测服务' order by b.seq""").fetchall()
        goal = con.execute("select goal_expected from projects where name = '购买舆情监测服务'").fetchone()[0]
    finally:
        con.close()
    assert rows[0][:4] == ("年度资金总额", 50, 50, 100) and rows[1][0] == "其中：当年财政拨款"
    assert rows[0][4] > 500  # the table at the end of the report, not the text
    assert goal.startswith("通过购买常规舆情监测服务")
