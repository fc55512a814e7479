-- title: 量化率（有数值目标的指标占比，按地区和年度）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per region×year
with filtered as (
    select *
    from stg_indicators
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
final as (
    select
        region,
        year,
        count(*) as indicators,
        count(*) filter (where target_is_numeric) as quantified,
        round(count(*) filter (where target_is_numeric) * 100.0 / count(*), 2) as quantified_pct,
        list(distinct file order by file) as files
    from filtered
    group by region, year
)
select * from final
order by region, year
