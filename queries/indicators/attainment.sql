-- title: 指标完成情况分类计数（超额完成/完成/未完成/定性/未评价）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per project×attainment class
with filtered as (
    select *
    from stg_indicators
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
final as (
    select
        project_id,
        region,
        year,
        project_name,
        attainment_zh,
        count(*) as indicators,
        any_value(file) as file
    from filtered
    group by all
)
select * from final
order by region, year, project_name, attainment_zh
