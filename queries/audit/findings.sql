-- title: 审核发现（按地区、年度、严重程度）
-- params: years, regions, levels, units, projects, doc_types, severities
-- grain: one row per finding
with projects as (
    select *, name as project_name from stg_projects
),
-- stg_checks has no level or doc type: take the documents with matching projects
matching as (
    select distinct doc_id
    from projects
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
final as (
    select
        check_id, doc_id, project_id, file, region, year, unit, project_name,
        kind, severity, severity_zh, message_zh, what, line_start, line_end, snippet
    from stg_checks
    where doc_id in (select doc_id from matching)
      -- with a project filter, document-wide findings (no project) are left out
      and ($projects is null or list_contains($projects, project_name))
      and ($severities is null or list_contains($severities, severity_zh))
)
select * from final
order by case severity when 'error' then 0 when 'warning' then 1 else 2 end, region, year, file, check_id
