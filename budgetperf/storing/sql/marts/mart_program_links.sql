-- grain: project_id, earlier_project_id
-- Programme links with both sides' figures and filter columns: a page reads one
-- table instead of joining the links to the projects twice.
create or replace table mart_program_links as
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
from program_links l
join mart_projects later on later.project_id = l.project_id
join mart_projects earlier on earlier.project_id = l.earlier_project_id;
