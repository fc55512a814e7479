-- title: 未披露执行数的项目
-- params: years, regions, levels, units, projects, doc_types, limit
-- grain: one row per evaluated project without executed amount or rate, at most $limit (projects_total counts all)
with filtered as (
    select *
    from evaluated_projects($years, $regions, $levels, $units, $projects, $doc_types)    where not is_execution_disclosed
),
final as (
    select
        project_id, file, doc_name, region, year, project_name, budget_wan,
        count(*) over () as projects_total
    from filtered
)
select * from final
order by region, year, project_name
limit $limit
