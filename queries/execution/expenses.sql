-- title: 支出明细（万元）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per expense item
with projects as (
    select *, name as project_name from stg_projects
    where matches_filters(year, region, level_zh, unit, name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
-- expense_items has no stg_ view yet: take region and year from the project
items as (
    select
        e.project_id, p.doc_id, p.file, p.region, p.year, p.project_name, p.budget_wan,
        e.item, e.amount_wan, e.amount_raw, e.line_start, e.line_end
    from expense_items e
    join projects p using (project_id)
),
final as (
    select * from items
)
select * from final
order by region, year, project_name, amount_wan desc
