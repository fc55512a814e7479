-- title: 同一项目跨年对照（较早年度评价结果与当年目标，预算万元）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per programme link (a later project and the earlier project it continues)
with projects as (
    select *, name as project_name from stg_projects
),
-- a link is shown when either side matches the filters, so choosing 2021 or
-- 2025 alone still shows the pair
matching as (
    select project_id
    from projects
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
-- program_links only holds ids: take both sides' figures from stg_projects
linked as (
    select
        l.project_id,
        l.earlier_project_id,
        l.similarity,
        later.region,
        later.doc_id,
        later.file,
        later.project_name,
        later.year,
        later.doc_type_zh,
        later.budget_wan,
        earlier.doc_id as earlier_doc_id,
        earlier.file as earlier_file,
        earlier.project_name as earlier_project_name,
        earlier.year as earlier_year,
        earlier.budget_wan as earlier_budget_wan,
        earlier.executed_wan as earlier_executed_wan,
        coalesce(earlier.execution_rate_pct, earlier.execution_rate_computed_pct) as earlier_execution_rate_pct,
        earlier.total_score as earlier_total_score,
        earlier.grade as earlier_grade
    from program_links l
    join projects later on later.project_id = l.project_id
    join projects earlier on earlier.project_id = l.earlier_project_id
    where l.project_id in (select project_id from matching)
       or l.earlier_project_id in (select project_id from matching)
),
final as (
    select * from linked
)
select * from final
order by region, year, project_name
