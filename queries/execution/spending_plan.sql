-- title: 支出进度计划（累计支出占预算比例）与实际，按项目
-- params: years, regions, levels, units, projects, doc_types, limit
-- grain: one row per project×plan date, for the $limit projects with the largest budgets (projects_total counts all)
with filtered as (
    select *
    from mart_plans
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
per_project as (
    select project_id, any_value(budget_wan) as budget_wan, any_value(region) as region,
           any_value(project_name) as project_name
    from filtered
    group by project_id
),
counted as (
    select count(*) as projects_total from per_project
),
chosen as (
    select project_id from per_project
    order by budget_wan desc nulls last, region, project_name, project_id
    limit $limit
),
final as (
    select
        f.project_id,
        f.doc_id,
        f.file,
        f.doc_name,
        f.region,
        f.year,
        f.project_name,
        f.doc_type_zh,
        f.budget_wan,
        f.by_date,
        f.share_pct as planned_share_pct,
        round(f.budget_wan * f.share_pct / 100, 2) as planned_cum_wan,
        -- Reports give actual spending only for the whole year (the execution
        -- rate of an evaluated project); in-year progress is never reported.
        case when f.kind = 'evaluation' and f.by_date = '12-31' then f.execution_rate_shown_pct end
            as actual_share_pct,
        f.line_start,
        f.line_end,
        counted.projects_total
    from filtered f
    semi join chosen using (project_id)
    cross join counted
)
select * from final
order by region, year, project_name, by_date
