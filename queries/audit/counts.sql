-- title: 审核发现数（按地区、年度、严重程度）
-- params: years, regions, levels, units, projects, doc_types, severities
-- grain: one row per region×year×severity
with projects as (
    select *, name as project_name from stg_projects
),
matching as (
    select distinct doc_id
    from projects
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
filtered as (
    select *
    from stg_checks
    where doc_id in (select doc_id from matching)
      and ($projects is null or list_contains($projects, project_name))
      and ($severities is null or list_contains($severities, severity_zh))
),
final as (
    select
        region,
        year,
        severity,
        severity_zh,
        count(*) as findings,
        list(distinct file order by file) as files
    from filtered
    group by region, year, severity, severity_zh
)
select * from final
order by region, year, case severity when 'error' then 0 when 'warning' then 1 else 2 end
