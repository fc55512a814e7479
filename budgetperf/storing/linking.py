"""Programme links across years in the store: what linking needs of each document
(`LinkInput`, from a fresh extraction or read back from the store), the links of
one region at a time (links never cross regions) and relinking the regions a write
touched. Which projects are the same programme is `understanding.linking`'s call.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from budgetperf.storing.arrow import insert_arrow, table_schemas, to_arrow
from budgetperf.understanding import linking
from budgetperf.understanding.extract import Extraction
from budgetperf.understanding.records import v


@dataclass
class LinkInput:
    """What programme linking needs of one document: who and when, and per project
    its name, kind, section text and indicator names."""

    doc_id: str
    file: str
    fmt: str
    region: str | None
    unit: str | None
    unit_short: str | None
    year: int | None
    projects: list[tuple[int, str, str, str, list[str]]]  # (seq, name, kind, section text, indicator names)


def link_input(ex: Extraction) -> LinkInput:
    f = ex.facts
    sections = linking.project_sections(ex.source, f.projects)
    projects = [(seq, p.name, p.kind, text if p.kind != "department" else "", [i.name for i in p.indicators])
                for seq, (p, text) in enumerate(zip(f.projects, sections), start=1)]
    return LinkInput(f.content_hash[:16], f.file, f.fmt, v(f.region), v(f.unit), f.unit_short, v(f.year), projects)


def _link_document(li: LinkInput) -> linking.LinkDocument:
    return linking.LinkDocument(li.region, li.unit_short or li.unit, li.year,
                                [(name, kind, text) for _, name, kind, text, _ in li.projects])


def link_rows(inputs: list[LinkInput], pool: ProcessPoolExecutor | None = None) -> list[tuple]:
    """program_links rows for these documents, computed one region at a time (links
    never cross regions, and comparing every pair of a province is quadratic);
    regions are spread over `pool`'s processes when given."""
    by_region: dict[str | None, list[LinkInput]] = {}
    for li in inputs:
        if li.region is not None and li.year is not None:
            by_region.setdefault(li.region, []).append(li)
    groups = [by_region[r] for r in sorted(by_region)]
    if pool is None or len(groups) < 8:
        return _link_groups(groups)
    size = max(1, len(groups) // 16)
    batches = [groups[i : i + size] for i in range(0, len(groups), size)]
    return [row for rows in pool.map(_link_groups, batches) for row in rows]


def _link_groups(groups: list[list[LinkInput]]) -> list[tuple]:
    return [row for group in groups for row in _link_group(group)]


def _link_group(group: list[LinkInput]) -> list[tuple]:
    """program_links rows of one region's documents (in file order: the earlier side
    of a link is the first project of that year and name)."""
    ids: dict[tuple, str] = {}
    for li in group:
        for seq, name, _, _, _ in li.projects:
            ids.setdefault((li.unit_short or li.unit, li.year, name), f"{li.doc_id}:{seq}")
    rows = []
    for li, links in zip(group, linking.link_documents([_link_document(li) for li in group])):
        unit = li.unit_short or li.unit
        for link in links:
            this = next(f"{li.doc_id}:{seq}" for seq, name, *_ in li.projects if name == link["this"])
            earlier = ids.get((unit, link["earlier_year"], link["earlier"]))
            if earlier:
                rows.append((li.doc_id, this, earlier, link["earlier_year"], link["similarity"]))
    return rows


def stored_link_inputs(con: duckdb.DuckDBPyConnection, doc_ids: list[str] | None = None) -> list[LinkInput]:
    """LinkInputs of stored documents (all, or these), read in three batched queries."""
    con.execute("create or replace temp table _link_docs (doc_id varchar)")
    if doc_ids is None:
        con.execute("insert into _link_docs select doc_id from documents")
    elif doc_ids:
        insert_arrow(con, "_link_docs", pa.table({"doc_id": pa.array(doc_ids, pa.string())}))
    docs = {d: LinkInput(d, file, fmt, region, unit, short, year, [])
            for d, file, fmt, region, unit, short, year in con.execute(
                "select doc_id, file, fmt, region, unit, unit_short, year from documents "
                "semi join _link_docs using (doc_id) order by file").fetchall()}
    # Each project's section, as `linking.project_sections` cuts it from a fresh
    # extraction: from its first line to the line before the next project's.
    texts = dict(con.execute("""
        with starts as (
            select p.project_id, p.doc_id, p.seq, p.kind,
                   greatest(least(coalesce(p.line_start, 1), coalesce(min(i.line_start), p.line_start, 1)), 1) as line_first
            from projects p semi join _link_docs using (doc_id)
            left join indicators i using (project_id)
            group by p.project_id, p.doc_id, p.seq, p.kind, p.line_start
        ),
        spans as (
            select project_id, doc_id, kind, line_first,
                   greatest(coalesce(lead(line_first) over (partition by doc_id order by line_first, seq) - 1,
                                     2147483647), line_first) as line_last
            from starts
        )
        select s.project_id, string_agg(l.text, '' order by l.line_no)
        from spans s join source_lines l on l.doc_id = s.doc_id and l.line_no between s.line_first and s.line_last
        where s.kind <> 'department'
        group by s.project_id""").fetchall())
    for pid, doc_id, seq, name, kind, indicator_names in con.execute("""
            select p.project_id, p.doc_id, p.seq, p.name, p.kind, list(i.name order by i.seq) filter (where i.name is not null)
            from projects p semi join _link_docs using (doc_id)
            left join indicators i using (project_id)
            group by all order by p.doc_id, p.seq""").fetchall():
        docs[doc_id].projects.append((seq, name, kind, texts.get(pid) or "", indicator_names or []))
    con.execute("drop table _link_docs")
    return list(docs.values())


def regions_of(con: duckdb.DuckDBPyConnection, where: str, params: list) -> set[str]:
    return {r for (r,) in con.execute(f"select distinct region from documents where {where}", params).fetchall() if r}


def relink_regions(con: duckdb.DuckDBPyConnection, regions: set[str]) -> None:
    """Recompute programme links of every stored document in these regions (links
    never cross regions, so the others stay as they are)."""
    if not regions:
        return
    regions_list = sorted(regions)
    doc_ids = [d for (d,) in con.execute("select doc_id from documents where list_contains(?, region)",
                                         [regions_list]).fetchall()]
    rows = link_rows(sorted(stored_link_inputs(con, doc_ids), key=lambda li: li.file))
    con.execute("delete from program_links where doc_id in (select doc_id from documents where list_contains(?, region))",
                [regions_list])
    if rows:
        insert_arrow(con, "program_links", to_arrow(table_schemas(con)["program_links"], rows))

