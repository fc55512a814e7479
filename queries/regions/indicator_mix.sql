-- title: 指标结构（一级、二级指标占比，按地区和年度）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per region×year×level-1×level-2 indicator
with filtered as (
    select *
    from stg_indicators
    where ($years is null or list_contains($years, year))
      and ($regions is null or list_contains($regions, region))
      and ($levels is null or list_contains($levels, level_zh))
      and ($units is null or list_contains($units, unit))
      and ($projects is null or list_contains($projects, project_name))
      and ($doc_types is null or list_contains($doc_types, doc_type_zh))
),
counted as (
    select
        region,
        year,
        coalesce(level1, '未分类') as level1,
        coalesce(level2, '未分类') as level2,
        count(*) as indicators,
        list(distinct file order by file) as files
    from filtered
    group by all
),
final as (
    select
        *,
        round(indicators * 100.0 / sum(indicators) over (partition by region, year), 2) as share_pct,
        round(sum(indicators) over (partition by region, year, level1) * 100.0
              / sum(indicators) over (partition by region, year), 2) as level1_share_pct
    from counted
)
select * from final
order by region, year, level1, level2
