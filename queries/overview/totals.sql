-- title: 当前筛选下的合计（预算、执行、加权执行率、平均得分、项目数、审核发现）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row (the filtered total)
with projects as (
    select *, name as project_name from stg_projects
),
matching as (
    select distinct region, year
    from projects
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
selected as (
    select * from mart_region_year semi join matching using (region, year)
),
-- findings of every matching document, as on the audit page (target documents
-- have findings too but no mart row)
findings as (
    select count(*) as checks
    from stg_checks
    where doc_id in (
            select doc_id from projects
            where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
                  $years, $regions, $levels, $units, $projects, $doc_types))
      and ($projects is null or list_contains($projects, project_name))
),
scores as (
    -- average over projects, not over region×year averages
    select avg(total_score) as avg_score
    from projects semi join matching using (region, year)
    where kind = 'evaluation'
),
final as (
    select
        sum(budget_wan) as budget_wan,
        sum(executed_wan) as executed_wan,
        -- weighted like the mart: executed over the budget of projects that disclose it
        round(sum(project_executed_wan) / nullif(sum(disclosed_budget_wan), 0) * 100, 2) as execution_rate_pct,
        round(any_value(scores.avg_score), 2) as avg_score,
        coalesce(sum(projects), 0) as projects,
        coalesce(sum(projects_undisclosed), 0) as projects_undisclosed,
        any_value(findings.checks) as checks,
        count(*) as region_years
    from selected, scores, findings
)
select * from final
