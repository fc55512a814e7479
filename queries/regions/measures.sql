-- title: 地区对比：加权执行率、平均得分、量化率（按地区和年度）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per region×year with the three measures
with -- evaluated projects and indicators per region×year: pre-aggregated when no unit
-- or project is chosen, else from the rows themselves
evaluated_ry as (
    select region, year, any_value(level_zh) as level_zh, sum(p_executed) as executed,
           sum(p_disclosed) as disclosed, sum(score_sum) as score_sum, sum(scored) as scored,
           sum(projects) as projects, sum(docs) as docs
    from agg_projects
    where $units is null and $projects is null
      and ($years is null or list_contains($years, year))
      and ($regions is null or list_contains($regions, region))
      and ($levels is null or list_contains($levels, level_zh))
      and ($doc_types is null or list_contains($doc_types, doc_type_zh))
    group by region, year
    having sum(projects) > 0
    union all
    select region, year, any_value(level_zh), sum(executed_wan) filter (where executed_wan is not null),
           sum(budget_wan) filter (where executed_wan is not null), sum(total_score), count(total_score),
           count(*), count(distinct doc_no)
    from mart_projects
    where kind = 'evaluation'
      and ($units is not null or $projects is not null)
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
    group by region, year
),
quantified_ry as (
    select region, year, sum(indicators) as indicators, sum(quantified) as quantified
    from agg_indicators
    where $units is null and $projects is null
      and ($years is null or list_contains($years, year))
      and ($regions is null or list_contains($regions, region))
      and ($levels is null or list_contains($levels, level_zh))
      and ($doc_types is null or list_contains($doc_types, doc_type_zh))
    group by region, year
    union all
    select region, year, count(*), count(*) filter (where target_is_numeric)
    from mart_indicators
    where ($units is not null or $projects is not null)
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
    group by region, year
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
