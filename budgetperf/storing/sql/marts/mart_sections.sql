-- grain: project_id, section
-- Section scores, expense items and spending plans with their project's filter
-- columns, so page queries filter them without a join.
create or replace table mart_sections as
select
    s.*, p.file, p.doc_name, p.doc_no, p.project_no, p.region, p.level_zh, p.year, p.unit, p.project_name,
    p.doc_type_zh, p.kind
from section_scores s
join mart_projects p using (project_id);
