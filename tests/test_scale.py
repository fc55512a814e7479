"""A store about 100× the seeds (`scale_store`, synthetic): it builds completely, every
document is flagged synthetic, and every named query runs on it."""

from __future__ import annotations

import json

import pytest

from budgetperf.store import connect, list_queries, run_query


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
