-- title: 地区×年度：所选指标（加权执行率、平均得分或量化率）
-- params: years, regions, levels, units, projects, doc_types, measure
-- grain: one row per region×year (the page passes the regions of its ranking)
with -- evaluated projects and indicators per region×year: pre-aggregated when no unit
-- or project is chosen, else from the rows themselves
evaluated_ry as (
    select * from evaluated_by_region_year($years, $regions, $levels, $units, $projects, $doc_types)
),
quantified_ry as (
    select * from indicators_by_region_year($years, $regions, $levels, $units, $projects, $doc_types)
),
final as (
    select
        coalesce(e.region, q.region) as region,
        coalesce(e.year, q.year) as year,
        case coalesce($measure, 'execution_rate_pct')
            when 'avg_score' then round(e.score_sum / nullif(e.scored, 0), 2)
            when 'quantified_pct' then round(q.quantified * 100.0 / nullif(q.indicators, 0), 2)
            else round(e.executed / nullif(e.disclosed, 0) * 100, 2)
        end as value,
        e.docs::bigint as docs
    from evaluated_ry e
    full outer join quantified_ry q using (region, year)
)
select * from final
order by region, year
