-- title: 各项目预算与执行（万元）及执行率
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per evaluated project
with projects as (
    select *, name as project_name from stg_projects
),
filtered as (
    select *
    from projects
    -- Evaluated projects only: a department's overall line repeats its projects'
    -- money, and target sheets have no execution yet.
    where kind = 'evaluation'
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
final as (
    select
        project_id,
        doc_id,
        file,
        region,
        level_zh,
        year,
        unit,
        project_name,
        budget_wan,
        executed_wan,
        -- the rate as reported, else derived from the amounts; NULL = 未披露
        coalesce(execution_rate_pct, execution_rate_computed_pct) as execution_rate_pct,
        is_execution_disclosed,
        total_score,
        grade_shown as grade,
        is_grade_derived
    from filtered
)
select * from final
order by region, year, project_name
