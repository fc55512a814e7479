-- title: 同一项目跨年对照（较早年度评价结果与当年目标，预算万元）
-- params: years, regions, levels, units, projects, doc_types, limit
-- grain: one row per programme link (a later project and the earlier project it continues), the $limit largest by later budget (links_total counts all)
with linked as (
    select *
    from mart_program_links
    -- a link is shown when either side matches the filters, so choosing 2021 or
    -- 2025 alone still shows the pair
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
                          $years, $regions, $levels, $units, $projects, $doc_types)
       or matches_filters(earlier_year, earlier_region, earlier_level_zh, earlier_unit, earlier_project_name,
                          earlier_doc_type_zh, $years, $regions, $levels, $units, $projects, $doc_types)
),
counted as (
    select count(*) as links_total from linked
),
largest as (
    select * from linked
    order by budget_wan desc nulls last, region, year, project_name, project_id
    limit $limit
),
final as (
    select largest.*, counted.links_total from largest, counted
)
select * from final
order by region, year, project_name
