-- title: 地区对比：加权执行率、平均得分、量化率（按地区和年度）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per region×year with the three measures
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
        -- weighted: executed over the budget of projects that disclose it
        round(e.executed / nullif(e.disclosed, 0) * 100, 2) as execution_rate_pct,
        round(e.score_sum / nullif(e.scored, 0), 2) as avg_score,
        round(q.quantified * 100.0 / nullif(q.indicators, 0), 2) as quantified_pct,
        coalesce(e.projects, 0)::bigint as projects,
        coalesce(q.indicators, 0)::bigint as indicators,
        e.docs::bigint as docs
    from evaluated_ry e
    full outer join quantified_ry q using (region, year)
)
select * from final
order by region, year
