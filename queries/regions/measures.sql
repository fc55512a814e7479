-- title: 地区对比：加权执行率、平均得分、量化率（按地区和年度）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per region×year×measure (long format, one panel per measure)
with projects as (
    select *, name as project_name from stg_projects
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
evaluated as (
    select * from projects where kind = 'evaluation'
),
execution as (
    -- weighted like mart_region_year: executed over the budget of projects that disclose it
    select region, year, '加权执行率' as measure, 1 as measure_order,
        round(sum(executed_wan) filter (where executed_wan is not null)
              / nullif(sum(budget_wan) filter (where executed_wan is not null), 0) * 100, 2) as value,
        '%' as unit,
        list(distinct file order by file) as files
    from evaluated
    group by region, year
),
scores as (
    select region, year, '平均得分' as measure, 2 as measure_order,
        round(avg(total_score), 2) as value,
        '分' as unit,
        list(distinct file order by file) as files
    from evaluated
    group by region, year
),
quantified as (
    select region, year, '量化率' as measure, 3 as measure_order,
        round(count(*) filter (where target_is_numeric) * 100.0 / count(*), 2) as value,
        '%' as unit,
        list(distinct file order by file) as files
    from stg_indicators
    semi join projects using (project_id)
    group by region, year
),
final as (
    select * from execution
    union all
    select * from scores
    union all
    select * from quantified
)
select * from final
order by measure_order, region, year
