-- grain: none (a project may list the same item or date twice, as its report does)
create or replace table mart_plans as
select
    s.*, p.file, p.doc_name, p.doc_no, p.project_no, p.region, p.level_zh, p.year, p.unit, p.project_name,
    p.doc_type_zh, p.kind, p.budget_wan, p.execution_rate_shown_pct
from spending_plans s
join mart_projects p using (project_id);
