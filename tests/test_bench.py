"""The benchmark's smoke run (what `make test` runs of `python -m budgetperf bench`):
every section is measured and saved; figures are reported, never asserted."""

from __future__ import annotations

import argparse
import json

from budgetperf.bench import add_arguments, main, render
from budgetperf.bench.pages import _pandas_version, _relations, page_files
from budgetperf.bench.timing import percentile, repeat


def test_smoke_run_measures_every_section(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BUDGETPERF_BENCH_DIR", str(tmp_path / "bench"))
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    out = tmp_path / "smoke.json"
    assert main(parser.parse_args(["--smoke", "--json", str(out)])) == 0
    results = json.loads(out.read_text(encoding="utf-8"))
    assert {r["set"] for r in results["extraction"]} >= {"txt (seeds)", "txt (synthetic)", "docx (synthetic)"}
    assert [r["mb"] for r in results["per_mb"]] == [0.05, 0.1] and all(r["s_per_mb"] > 0 for r in results["per_mb"])
    assert all(b["seconds"] > 0 and b["size_mb"] > 0 and b["peak_rss_mb"] > 0 for b in results["builds"])
    pages = results["pages"]["seed"]["pages"]
    assert [p["page"] for p in pages] == page_files()
    assert not [p for p in pages if p.get("error")], [p.get("error") for p in pages]
    queries = [q for p in pages for q in p["queries"]]
    assert queries and not [q for q in queries if "error" in q]
    assert all(q["app"]["n"] >= 3 and q["duckdb"]["n"] >= 3 and q["pandas"]["n"] >= 1 for q in queries)
    assert results["accuracy"]["fields"] > 0 and results["accuracy"]["refused"] == 0
    assert results["planted"]
    assert results["links"]["documents"] > 0 and results["links"]["precision_pct"] >= 0
    printed = capsys.readouterr().out
    assert "== targets (issue 9)" in printed and "saved:" in printed and "programme links:" in printed
    assert "CPU seconds per MB" in printed
    assert render(results) in printed


def test_links_run_measures_the_links_alone(tmp_path, monkeypatch, capsys):
    import budgetperf.bench as bench
    from budgetperf.bench.stores import Tier

    monkeypatch.setenv("BUDGETPERF_BENCH_DIR", str(tmp_path / "bench"))
    monkeypatch.setattr(bench, "LINKS", Tier("links", "links (tiny)", regions=2, years=(2024, 2025)))
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert main(parser.parse_args(["--links"])) == 0
    results = json.loads((tmp_path / "bench" / "links.json").read_text(encoding="utf-8"))
    assert set(results) >= {"links", "machine"} and "pages" not in results and "builds" not in results
    assert results["links"]["documents"] > 0
    printed = capsys.readouterr().out
    assert "programme links:" in printed and "== targets" not in printed


def test_percentiles_and_repeat():
    assert percentile([5, 1, 3], 50) == 3
    assert percentile([0, 10], 95) == 9.5
    calls = []
    t = repeat(lambda: calls.append(1), min_runs=3, max_runs=4, budget_s=0, warmup=1)
    assert len(t.samples_ms) == 3 and len(calls) == 4


def test_pandas_baseline_reads_the_query_relations_and_filters(dash_store):
    import duckdb

    sql = "with x as (select * from stg_projects) select * from x join documents d using (doc_id) -- from nowhere"
    assert _relations(sql, {"stg_projects", "documents", "projects"}) == ["documents", "stg_projects"]
    con = duckdb.connect(str(dash_store), read_only=True)
    try:
        frames = _pandas_version(con, ["stg_projects"], {"regions": ["三门峡市"], "years": None})
        assert set(frames["stg_projects"]["region"]) == {"三门峡市"}
    finally:
        con.close()
