"""The mart tables pages read are rebuilt with every write: a report added or
removed shows at once, with its display name."""

from __future__ import annotations

import shutil

import duckdb

from tests.conftest import FIXTURES_DIR, ingest


def test_marts_follow_an_ingest(dash_store, tmp_path, ref):
    db = tmp_path / "store.duckdb"
    shutil.copy(dash_store, db)
    ingest(db, [FIXTURES_DIR / "special_fund_expenses_mismatch.txt"], ref)
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = dict(con.execute("select file, doc_name from mart_documents").fetchall())
        assert len(docs) == 5 and "special_fund_expenses_mismatch.txt" in docs
        assert docs["special_fund_expenses_mismatch.txt"].endswith("专项资金评价")
        counts = con.execute("select (select count(*) from mart_projects), (select count(*) from projects), "
                             "(select sum(projects) + sum(departments) from agg_projects where doc_type_zh = '评价')"
                             ).fetchone()
        evaluated = con.execute("select count(*) from projects where kind in ('evaluation', 'department')").fetchone()[0]
        assert counts[0] == counts[1] and counts[2] == evaluated
    finally:
        con.close()
