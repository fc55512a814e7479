"""Grow a built store to a much larger one in SQL, for trying the dashboard at the
size of many provinces (issue 9: "about a million indicator rows").

Building a million-indicator store through extraction takes far longer than the
dashboard measurements need; this replicates every row of a built store `--times`
times instead, each replica's documents moved to other counties and districts of
the store's `regions` table (ids, file names and content hashes made unique; the
region's name replaced in unit names, project names and source lines), so the
result has the shape of real data: thousands of regions, each with dozens of
units and projects per year. Numbers repeat the base store's; that is what
the base (e.g. the relocated seed copies, `python -m tests.province`) holds.

    python -m tests.province --copies 100 --out /tmp/province
    python -m budgetperf build --reports /tmp/province --db /tmp/p100.duckdb
    python scripts/grow_store.py --base /tmp/p100.duckdb --times 250 --out /tmp/p25k.duckdb

For manual checks and `scripts/measure_pages.py`; never used by the app or tests.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetperf.storing import (
    schema,
    store,  # noqa: E402
)

# Columns holding ids that start with the 16-hex-digit doc_id ("<doc_id>:3:7").
ID_COLUMNS = {"doc_id", "project_id", "earlier_project_id", "indicator_id", "check_id", "entity_id"}
# Columns whose text names the document's region (its stem is replaced).
NAMED_COLUMNS = {("documents", "unit"), ("units", "unit"), ("projects", "name"), ("source_lines", "text")}
CHILD_TABLES = ("source_lines", "projects", "budget_lines", "provenance", "indicators", "section_scores",
                "expense_items", "spending_plans", "output_facts", "checks", "program_links", "review_reasons")
_STEM = "regexp_replace({col}, '(自治县|自治旗|县|区|市|旗)$', '')"


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [row[0] for row in con.execute(f"select * from {table} limit 0").description]


def _expr(table: str, column: str) -> str:
    if column in ID_COLUMNS:
        return f"regexp_replace(t.{column}, '^([0-9a-f]{{16}})', '\\1~' || r.k)"
    if column == "file":
        return "'g' || r.k || '_' || t.file"
    if column == "content_hash":
        return "t.content_hash || '~' || r.k"
    if table == "documents" and column in ("fingerprint", "report_key"):
        # a replica moved to another region is another report, not a duplicate of its base
        return f"t.{column} || '~' || r.k"
    if column in ("year", "earlier_year"):
        return f"t.{column}"
    if (table, column) in NAMED_COLUMNS:
        return f"case when length(m.old_stem) >= 2 then replace(t.{column}, m.old_stem, m.new_stem) else t.{column} end"
    if table == "documents" and column in ("region", "region_level", "city", "province", "region_code"):
        return {"region": "m.new_region", "region_level": "m.level", "city": "m.city", "province": "m.province",
                "region_code": "m.code"}[column]
    return f"t.{column}"


def grow(base: Path, out: Path, times: int) -> dict[str, int]:
    """Copy `base` to `out` and add `times - 1` relocated replicas of every row."""
    shutil.copy(base, out)
    con = duckdb.connect(str(out))
    try:
        con.execute("set preserve_insertion_order = false")
        con.execute(f"create temp table reps as select range as k from range(1, {int(times)})")
        # Every county/district (names used once), in code order; each base region
        # i goes, in replica k, to target (k * n_base + i) mod n_targets.
        con.execute(f"""
            create temp table targets as
            select row_number() over (order by code) - 1 as j, region, level, city, province, code
            from regions
            where level in ('county', 'district') and region in (
                select region from regions group by region having count(*) = 1)
              and length({_STEM.format(col='region')}) >= 2""")
        con.execute("""
            create temp table base_regions as
            select row_number() over (order by region) - 1 as i, region
            from (select distinct region from documents where region is not null)""")
        n_base = con.execute("select count(*) from base_regions").fetchone()[0]
        n_targets = con.execute("select count(*) from targets").fetchone()[0]
        con.execute(f"""
            create temp table rmap as
            select r.k, b.region as old_region, t.region as new_region, t.level, t.city, t.province, t.code,
                   {_STEM.format(col='b.region')} as old_stem, {_STEM.format(col='t.region')} as new_stem
            from reps r cross join base_regions b
            join targets t on t.j = (r.k * {n_base} + b.i) % {n_targets}""")
        con.execute("create temp table base_docs as select doc_id, region from documents")
        for table in ("documents", "units", *CHILD_TABLES):
            start = time.perf_counter()
            cols = _columns(con, table)
            select = ", ".join(_expr(table, c) for c in cols)
            if table == "documents":
                source = "documents t cross join reps r left join rmap m on m.k = r.k and m.old_region = t.region"
            elif table == "units":
                source = ("units t cross join reps r left join rmap m on m.k = r.k and m.old_region = t.region")
            else:
                source = (f"{table} t join base_docs d on d.doc_id = t.doc_id cross join reps r "
                          "left join rmap m on m.k = r.k and m.old_region = d.region")
            verb = "insert or ignore into" if table == "units" else "insert into"
            con.execute(f"{verb} {table} ({', '.join(cols)}) select {select} from {source}")
            print(f"  {table:<16}{con.execute(f'select count(*) from {table}').fetchone()[0]:>12,} rows"
                  f"  ({time.perf_counter() - start:.1f} s)", flush=True)
        if hasattr(store, "refresh_marts"):
            schema.refresh_marts(con)
        con.execute("checkpoint")
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("documents", "projects", "indicators")}
    finally:
        con.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="a built store")
    parser.add_argument("--times", type=int, required=True, help="size of the result in multiples of the base")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    counts = grow(args.base, args.out, args.times)
    print(f"{args.out}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items())
          + f" in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
