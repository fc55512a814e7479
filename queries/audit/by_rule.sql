-- title: 审核发现按规则分组（每条规则的发现数、涉及地区与文档数）
-- params: years, regions, levels, units, projects, doc_types, severities
-- grain: one row per audit rule (kind) with findings
with filtered as (
    select *
    from mart_checks
    where matches_doc_filters(year, region, level_zh, unit, project_name, doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      and ($severities is null or list_contains($severities, severity_zh))
),
sources as (
    select count(distinct doc_no) as docs_total from filtered
),
grouped as (
    select
        kind,
        any_value(severity) as severity,
        any_value(severity_zh) as severity_zh,
        min(severity_order) as severity_order,
        count(*) as findings,
        count(distinct region) as regions,
        count(distinct doc_no) as docs,
        -- one finding to read as an example
        arg_min(message_zh, ord) as example_message
    from filtered
    group by kind
),
final as (
    select grouped.*, sources.docs_total from grouped, sources
)
select * from final
order by severity_order, findings desc, kind
