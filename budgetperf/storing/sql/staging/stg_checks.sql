-- grain: check_id
create or replace view stg_checks as
select
    c.*,
    d.file,
    coalesce(d.region, '地区未知') as region,
    d.year,
    coalesce(d.unit_short, d.unit) as unit,
    p.name as project_name
from checks c
join documents d using (doc_id)
left join projects p using (project_id);
