-- title: 筛选项（年度、地区、层级、单位、项目、文档类型）
-- params: none
-- grain: one row per distinct year×region×level×unit×project×doc type
with final as (
    select distinct
        year,
        region,
        level_zh,
        unit,
        name as project_name,
        doc_type_zh
    from stg_projects
)
select * from final
order by region, year, unit, project_name
