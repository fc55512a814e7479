-- title: 支出进度计划（累计支出占预算比例）与实际
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per project×plan date
with projects as (
    select *, name as project_name from stg_projects
    where matches_filters(year, region, level_zh, unit, name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
-- spending_plans has no stg_ view yet: take region and year from the project
plans as (
    select
        s.project_id, p.doc_id, p.file, p.region, p.year, p.project_name, p.kind, p.doc_type_zh,
        p.budget_wan, s.by_date, s.share_pct,
        coalesce(p.execution_rate_pct, p.execution_rate_computed_pct) as execution_rate_pct,
        s.line_start, s.line_end
    from spending_plans s
    join projects p using (project_id)
),
final as (
    select
        project_id,
        doc_id,
        file,
        region,
        year,
        project_name,
        doc_type_zh,
        budget_wan,
        by_date,
        share_pct as planned_share_pct,
        round(budget_wan * share_pct / 100, 2) as planned_cum_wan,
        -- Reports give actual spending only for the whole year (the execution
        -- rate of an evaluated project); in-year progress is never reported.
        case when kind = 'evaluation' and by_date = '12-31' then execution_rate_pct end as actual_share_pct,
        line_start,
        line_end
    from plans
)
select * from final
order by region, year, project_name, by_date
