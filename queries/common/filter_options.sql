-- title: 筛选项（年度、地区及层级、文档类型）
-- params: none
-- grain: one row per distinct option: (key, value, level) for years, regions (with their level) and doc types
with regions as (
    select distinct 'regions' as key, region as value, level_zh as level
    from mart_projects
),
years as (
    select distinct 'years' as key, year::varchar as value, null as level
    from mart_projects
    where year is not null
),
doc_types as (
    select distinct 'doc_types' as key, doc_type_zh as value, null as level
    from mart_projects
),
final as (
    select * from regions
    union all
    select * from years
    union all
    select * from doc_types
)
select * from final
order by key, value
