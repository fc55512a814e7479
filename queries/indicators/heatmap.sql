-- title: 二级指标得分率（按项目）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per project×level-2 indicator
with filtered as (
    select *
    from stg_indicators
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      -- only scored indicators have a score rate (targets are not scored yet)
      and weight > 0 and score is not null
),
final as (
    select
        project_id,
        region,
        year,
        project_name,
        level1,
        coalesce(level2, level1, '未分类') as level2,
        count(*) as indicators,
        sum(weight) as weight,
        sum(score) as score,
        round(sum(score) / sum(weight) * 100, 2) as score_rate_pct,
        any_value(file) as file
    from filtered
    group by all
)
select * from final
order by region, year, project_name, level1, level2
