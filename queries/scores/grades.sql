-- title: 评价等级分布（优/良/中/差）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per region×grade
with filtered as (
    select *
    from stg_projects
    where ($years is null or list_contains($years, year))
      and ($regions is null or list_contains($regions, region))
      and ($levels is null or list_contains($levels, level_zh))
      and ($units is null or list_contains($units, unit))
      and ($projects is null or list_contains($projects, name))
      and ($doc_types is null or list_contains($doc_types, doc_type_zh))
      and kind = 'evaluation'
      and grade is not null
),
final as (
    select
        region,
        grade,
        count(*) as projects,
        list(distinct file order by file) as files
    from filtered
    group by region, grade
)
select * from final
order by region, case grade when '优' then 1 when '良' then 2 when '中' then 3 when '差' then 4 else 5 end
