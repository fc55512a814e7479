-- title: 二级指标得分率（按项目）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per project×level-2 indicator
with filtered as (
    select *
    from stg_indicators
    where ($years is null or list_contains($years, year))
      and ($regions is null or list_contains($regions, region))
      and ($levels is null or list_contains($levels, level_zh))
      and ($units is null or list_contains($units, unit))
      and ($projects is null or list_contains($projects, project_name))
      and ($doc_types is null or list_contains($doc_types, doc_type_zh))
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
