-- title: 各地区各年度关键数据（预算、执行、加权执行率、平均得分、项目数、审核发现）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per region×year
with projects as (
    select *, name as project_name from stg_projects
),
-- mart_region_year has no unit or project grain: those filters pick the
-- region×years that contain a matching project, and the row shows the whole
-- region×year (the page says so).
matching as (
    select distinct region, year
    from projects
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
-- the documents behind each mart row (evaluations and department statements)
sources as (
    select region, year, list(distinct file order by file) as files
    from projects
    where kind in ('evaluation', 'department')
    group by region, year
),
final as (
    select
        m.region,
        m.level_zh,
        m.year,
        m.budget_wan,
        m.executed_wan,
        m.execution_rate_pct,
        round(m.avg_score, 2) as avg_score,
        m.projects,
        m.projects_undisclosed,
        m.checks,
        m.errors,
        m.warnings,
        s.files
    from mart_region_year m
    semi join matching using (region, year)
    left join sources s using (region, year)
)
select * from final
order by region, year
