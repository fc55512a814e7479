-- title: 项目筛选项（在所选年度、地区、层级、单位之下）
-- params: years, regions, levels, units, limit
-- grain: one row per project name, at most $limit (the page says when there are more)
with filtered as (
    select distinct project_name
    from mart_projects
    where ($years is null or list_contains($years, year))
      and ($regions is null or list_contains($regions, region))
      and ($levels is null or list_contains($levels, level_zh))
      and ($units is null or list_contains($units, unit))
),
final as (
    select project_name, count(*) over () as total_rows
    from filtered
)
select * from final
order by project_name
limit $limit
