"""A store about 100× the seeds (`scale_store`, synthetic): it builds completely, every
document is flagged synthetic, and every named query runs on it."""

from __future__ import annotations

import json

import pytest

from budgetperf.storing.store import connect, list_queries, run_query


@pytest.fixture(scope="module")
def con(scale_store):
    con = connect(scale_store)
    yield con
    con.close()


def test_the_scale_store_holds_the_whole_corpus(con, scale_corpus):
    truth = json.loads((scale_corpus / "truth.json").read_text(encoding="utf-8"))["documents"]
    documents, synthetic, regions = con.execute(
        "select count(*), count(*) filter (where is_synthetic), count(distinct region) from documents").fetchone()
    assert documents == synthetic == len(truth) >= 350
    assert regions == len({d["region"] for d in truth}) == 20
    indicators = con.execute("select count(*) from indicators").fetchone()[0]
    assert indicators > 5000
    assert con.execute("select count(*) from program_links").fetchone()[0] > 0
    assert con.execute("select count(*) from checks").fetchone()[0] > 0


@pytest.mark.parametrize("name", list_queries())
def test_every_query_runs_at_scale(con, name):
    df = run_query(name, con=con)  # every declared param NULL: the whole store
    assert list(df.columns)


@pytest.mark.parametrize("name", list_queries())
def test_run_query_frames_equal_duckdb_df(con, name):
    """run_query converts through Arrow (much faster on large results); the frame is
    the one DuckDB's .df() gives: same values, same dtypes."""
    import pandas as pd

    from budgetperf.storing.store import load_query

    query = load_query(name)
    params = {p: None for p in query.params}
    if "doc" in params:
        params["doc"] = con.execute("select min(file) from documents").fetchone()[0]
    # a total order, so the two runs agree on rows the query's own order leaves tied
    sql = f"select * from ({query.sql}) order by all"
    expected = con.execute(sql, params).df()
    from budgetperf.storing.store import arrow_to_frame

    got = arrow_to_frame(con.sql(sql, params=params).to_arrow_table())
    pd.testing.assert_frame_equal(got, expected, check_dtype=len(expected) > 0)
