-- title: 地区对比：加权执行率、平均得分、量化率（按地区和年度）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per region×year with the three measures
with projects as (
    select region, year, level_zh, kind, executed_wan, budget_wan, total_score, file
    from mart_projects
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
evaluated as (
    select
        region,
        year,
        -- weighted: executed over the budget of projects that disclose it
        round(sum(executed_wan) filter (where executed_wan is not null)
              / nullif(sum(budget_wan) filter (where executed_wan is not null), 0) * 100, 2) as execution_rate_pct,
        round(avg(total_score), 2) as avg_score,
        count(*) as projects,
        count(distinct file) as docs
    from projects
    where kind = 'evaluation'
    group by region, year
),
quantified as (
    select
        region,
        year,
        round(count(*) filter (where target_is_numeric) * 100.0 / count(*), 2) as quantified_pct,
        count(*) as indicators
    from mart_indicators
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
    group by region, year
),
final as (
    select
        coalesce(e.region, q.region) as region,
        coalesce(e.year, q.year) as year,
        e.execution_rate_pct,
        e.avg_score,
        q.quantified_pct,
        coalesce(e.projects, 0) as projects,
        coalesce(q.indicators, 0) as indicators,
        e.docs
    from evaluated e
    full outer join quantified q using (region, year)
)
select * from final
order by region, year
