-- title: 历年预算（评价）与目标预算（万元），按地区（$by_region）或合计，另列关注地区
-- params: years, regions, levels, units, projects, doc_types, by_region, pins
-- grain: one row per (region×)year×doc type, plus one per pinned region×year×doc type when not $by_region
with filtered as (
    select region, year, doc_type_zh, budget_wan, executed_wan, total_score, doc_no
    from mart_projects
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      -- projects only: a department's overall line repeats its projects' money
      and kind in ('evaluation', 'target')
),
grouped as (
    select
        case when coalesce($by_region, true) then region else '全部地区' end as region,
        year,
        doc_type_zh,
        sum(budget_wan) as budget_wan,
        sum(executed_wan) as executed_wan,
        round(avg(total_score), 2) as avg_score,
        count(*) as projects,
        count(distinct region) as regions,
        count(distinct doc_no) as docs
    from filtered
    group by 1, year, doc_type_zh
),
pinned as (
    select
        region, year, doc_type_zh, sum(budget_wan), sum(executed_wan), round(avg(total_score), 2), count(*),
        1, 0
    from filtered
    where not coalesce($by_region, true) and coalesce(list_contains($pins, region), false)
    group by region, year, doc_type_zh
),
final as (
    select * from grouped
    union all
    select * from pinned
)
select * from final
order by region, year, doc_type_zh
