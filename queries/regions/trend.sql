-- title: 各地区历年预算（评价）与目标预算（万元）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per region×year×doc type
with filtered as (
    select *, name as project_name from stg_projects
    where ($years is null or list_contains($years, year))
      and ($regions is null or list_contains($regions, region))
      and ($levels is null or list_contains($levels, level_zh))
      and ($units is null or list_contains($units, unit))
      and ($projects is null or list_contains($projects, project_name))
      and ($doc_types is null or list_contains($doc_types, doc_type_zh))
      -- projects only: a department's overall line repeats its projects' money
      and kind in ('evaluation', 'target')
),
final as (
    select
        region,
        year,
        doc_type_zh,
        sum(budget_wan) as budget_wan,
        sum(executed_wan) as executed_wan,
        round(avg(total_score), 2) as avg_score,
        count(*) as projects,
        list(distinct file order by file) as files
    from filtered
    group by region, year, doc_type_zh
)
select * from final
order by region, year, doc_type_zh
