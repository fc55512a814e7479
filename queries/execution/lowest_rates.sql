-- title: 执行率最低的项目（未披露的另列）
-- params: years, regions, levels, units, projects, doc_types, limit
-- grain: one row per evaluated project with a rate, the $limit lowest (projects_total counts all)
with filtered as (
    select
        project_id, doc_id, file, doc_name, region, level_zh, year, unit, project_name,
        budget_wan, executed_wan, unexecuted_wan,
        execution_rate_shown_pct as execution_rate_pct,
        is_execution_rate_computed,
        total_score
    from evaluated_projects($years, $regions, $levels, $units, $projects, $doc_types)
    where execution_rate_shown_pct is not null
),
counted as (
    select count(*) as projects_total from filtered
),
lowest as (
    select * from filtered
    order by execution_rate_pct, region, project_name, project_id
    limit $limit
),
final as (
    select
        lowest.*,
        row_number() over (order by execution_rate_pct, region, project_name, project_id) as rank,
        counted.projects_total
    from lowest, counted
)
select * from final
order by rank
