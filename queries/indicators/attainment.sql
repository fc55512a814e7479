-- title: 指标完成情况分类计数（超额完成/完成/未完成/定性/未评价）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per project×attainment class
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
