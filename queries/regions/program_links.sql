-- title: 同一项目跨年对照（较早年度评价结果与当年目标，预算万元）
-- params: years, regions, levels, units, projects, doc_types, limit
-- grain: one row per programme link (a later project and the earlier project it continues), the $limit largest by later budget (links_total counts all)
with linked as (
    select
        l.project_id,
        l.earlier_project_id,
        l.similarity,
        later.region,
        later.doc_id,
        later.file,
        later.doc_name,
        later.project_name,
        later.year,
        later.doc_type_zh,
        later.budget_wan,
        earlier.doc_id as earlier_doc_id,
        earlier.file as earlier_file,
        earlier.doc_name as earlier_doc_name,
        earlier.project_name as earlier_project_name,
        earlier.year as earlier_year,
        earlier.budget_wan as earlier_budget_wan,
        earlier.executed_wan as earlier_executed_wan,
        earlier.execution_rate_shown_pct as earlier_execution_rate_pct,
        earlier.total_score as earlier_total_score,
        earlier.grade as earlier_grade
    from program_links l
    join mart_projects later on later.project_id = l.project_id
    join mart_projects earlier on earlier.project_id = l.earlier_project_id
    -- a link is shown when either side matches the filters, so choosing 2021 or
    -- 2025 alone still shows the pair
    where matches_filters(later.year, later.region, later.level_zh, later.unit, later.project_name,
                          later.doc_type_zh, $years, $regions, $levels, $units, $projects, $doc_types)
       or matches_filters(earlier.year, earlier.region, earlier.level_zh, earlier.unit, earlier.project_name,
                          earlier.doc_type_zh, $years, $regions, $levels, $units, $projects, $doc_types)
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
