-- title: 单位/部门筛选项（在所选年度、地区、层级之下）
-- params: years, regions, levels, limit
-- grain: one row per unit, at most $limit (the page says when there are more)
with filtered as (
    select distinct unit
    from mart_projects
    where unit is not null
      and ($years is null or list_contains($years, year))
      and ($regions is null or list_contains($regions, region))
      and ($levels is null or list_contains($levels, level_zh))
),
final as (
    select unit, count(*) over () as total_rows
    from filtered
)
select * from final
order by unit
limit $limit
