-- title: 地区排名：所选指标（加权执行率、平均得分或量化率）从低到高
-- params: years, regions, levels, units, projects, doc_types, measure, pins, limit, top
-- grain: one row per region (the $limit lowest, the $top highest and the pinned; regions_total counts all)
with -- evaluated projects and indicators per region×year: pre-aggregated when no unit
-- or project is chosen, else from the rows themselves
evaluated_ry as (
    select * from evaluated_by_region_year($years, $regions, $levels, $units, $projects, $doc_types)
),
quantified_ry as (
    select * from indicators_by_region_year($years, $regions, $levels, $units, $projects, $doc_types)
),
evaluated as (
    select
        region,
        any_value(level_zh) as level_zh,
        round(sum(executed) / nullif(sum(disclosed), 0) * 100, 2) as execution_rate_pct,
        round(sum(score_sum) / nullif(sum(scored), 0), 2) as avg_score,
        sum(projects)::bigint as projects,
        sum(docs)::bigint as docs
    from evaluated_ry
    group by region
),
quantified as (
    select region, round(sum(quantified) * 100.0 / nullif(sum(indicators), 0), 2) as quantified_pct
    from quantified_ry
    group by region
),
measured as (
    select
        coalesce(e.region, q.region) as region,
        e.level_zh,
        e.execution_rate_pct,
        e.avg_score,
        q.quantified_pct,
        coalesce(e.projects, 0) as projects,
        e.docs,
        case coalesce($measure, 'execution_rate_pct')
            when 'avg_score' then e.avg_score
            when 'quantified_pct' then q.quantified_pct
            else e.execution_rate_pct
        end as value
    from evaluated e
    full outer join quantified q using (region)
),
numbered as (
    select
        *,
        row_number() over (order by value asc nulls last, region) as rank,
        row_number() over (order by value desc nulls last, region) as rank_desc,
        count(*) over () as regions_total,
        count(value) over () as regions_measured,
        coalesce(list_contains($pins, region), false) as is_pinned
    from measured
),
final as (
    select * from numbered
    where rank <= coalesce($limit, rank) or rank_desc <= coalesce($top, 0) or is_pinned
)
select * from final
order by rank
