-- title: 地区×年度：所选指标（加权执行率、平均得分或量化率）
-- params: years, regions, levels, units, projects, doc_types, measure
-- grain: one row per region×year (the page passes the regions of its ranking)
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
        round(sum(executed_wan) filter (where executed_wan is not null)
              / nullif(sum(budget_wan) filter (where executed_wan is not null), 0) * 100, 2) as execution_rate_pct,
        round(avg(total_score), 2) as avg_score,
        count(distinct file) as docs
    from projects
    where kind = 'evaluation'
    group by region, year
),
quantified as (
    select region, year, round(count(*) filter (where target_is_numeric) * 100.0 / count(*), 2) as quantified_pct
    from mart_indicators
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
    group by region, year
),
final as (
    select
        coalesce(e.region, q.region) as region,
        coalesce(e.year, q.year) as year,
        case coalesce($measure, 'execution_rate_pct')
            when 'avg_score' then e.avg_score
            when 'quantified_pct' then q.quantified_pct
            else e.execution_rate_pct
        end as value,
        e.docs
    from evaluated e
    full outer join quantified q using (region, year)
)
select * from final
order by region, year
