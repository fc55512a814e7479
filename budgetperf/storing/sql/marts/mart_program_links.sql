-- grain: project_id, earlier_project_id
-- Programme links with both sides' figures and filter columns: a page reads one
-- table instead of joining the links to the projects twice.
create or replace table mart_program_links as
with twins as (
    -- A link may point at a project of a copy left out as a probable duplicate (the
    -- linker takes the first file of that year): it stands for the same project of
    -- the copy that counts (by name, else by position).
    select p.project_id,
           arg_min(o.project_id, [(o.name <> p.name)::int, abs(o.seq - p.seq)]) as counted_project_id
    from projects p
    join documents d on d.doc_id = p.doc_id
    join projects o on o.doc_id = d.duplicate_of and (o.name = p.name or o.seq = p.seq)
    where d.duplicate_of is not null
    group by p.project_id
),
l as (
    select l.* replace (coalesce(t.counted_project_id, l.earlier_project_id) as earlier_project_id)
    from program_links l
    left join twins t on t.project_id = l.earlier_project_id
)
select
    l.project_id,
    l.earlier_project_id,
    l.similarity,
    later.region, later.level_zh, later.unit, later.doc_type_zh, later.doc_id, later.file, later.doc_name,
    later.doc_no, later.project_name, later.year, later.budget_wan,
    earlier.region as earlier_region, earlier.level_zh as earlier_level_zh, earlier.unit as earlier_unit,
    earlier.doc_type_zh as earlier_doc_type_zh,
    earlier.doc_id as earlier_doc_id, earlier.file as earlier_file, earlier.doc_name as earlier_doc_name,
    earlier.doc_no as earlier_doc_no, earlier.project_name as earlier_project_name, earlier.year as earlier_year,
    earlier.budget_wan as earlier_budget_wan, earlier.executed_wan as earlier_executed_wan,
    earlier.execution_rate_shown_pct as earlier_execution_rate_pct, earlier.total_score as earlier_total_score,
    earlier.grade as earlier_grade
from l
join mart_projects later on later.project_id = l.project_id
join mart_projects earlier on earlier.project_id = l.earlier_project_id;
