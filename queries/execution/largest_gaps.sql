-- title: 未执行金额最大的项目（预算 − 执行，万元）
-- params: years, regions, levels, units, projects, doc_types, limit
-- grain: one row per evaluated project, the $limit with the largest unspent budget (undisclosed ones by budget after them; projects_total counts all)
with filtered as (
    select
        project_id, doc_id, file, doc_name, region, level_zh, year, unit, project_name,
        budget_wan, executed_wan, unexecuted_wan,
        execution_rate_shown_pct as execution_rate_pct,
        is_execution_disclosed
    from evaluated_projects($years, $regions, $levels, $units, $projects, $doc_types)
),
counted as (
    select count(*) as projects_total from filtered
),
largest as (
    select * from filtered
    order by unexecuted_wan desc nulls last, budget_wan desc nulls last, region, project_name, project_id
    limit $limit
),
final as (
    select
        largest.*,
        row_number() over (order by unexecuted_wan desc nulls last, budget_wan desc nulls last, region,
                           project_name, project_id) as rank,
        counted.projects_total
    from largest, counted
)
select * from final
order by rank
