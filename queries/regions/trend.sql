-- title: 各地区历年预算（评价）与目标预算（万元）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per region×year×doc type
with filtered as (
    select *, name as project_name from stg_projects
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
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
