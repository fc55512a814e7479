-- title: 审核发现按规则分组（每条规则的发现数、涉及地区与文档数）
-- params: years, regions, levels, units, projects, doc_types, severities, statuses
-- grain: one row per audit rule (kind) with findings
with grouped as (
    -- pre-aggregated per region×year when no unit or project is chosen
    select region, kind, severity, severity_zh, severity_order, findings, docs, first_ord, example_message
    from agg_checks_kind
    where $units is null and $projects is null
      and ($years is null or list_contains($years, year))
      and ($regions is null or list_contains($regions, region))
      and ($levels is null or list_contains($levels, level_zh))
      and ($doc_types is null or list_has_any($doc_types, doc_types_zh))
      and ($severities is null or list_contains($severities, severity_zh))
      and ($statuses is null or list_contains($statuses, status))
    union all
    -- with a project filter, document-wide findings (no project) are left out
    select region, kind, severity, severity_zh, min(severity_order), count(*), count(distinct doc_no), min(ord),
           arg_min(message_zh, ord)
    from mart_checks
    where ($units is not null or $projects is not null)
      and matches_doc_filters(year, region, level_zh, unit, project_name, doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      and ($severities is null or list_contains($severities, severity_zh))
      and ($statuses is null or list_contains($statuses, finding_status(status)))
    group by region, year, kind, severity, severity_zh
),
-- a document's findings sit in one region and year: its documents add up per
-- rule, but over all rules only a count of distinct documents is right
sources as (
    select count(distinct doc_no) as docs_total
    from mart_checks
    where matches_doc_filters(year, region, level_zh, unit, project_name, doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      and ($severities is null or list_contains($severities, severity_zh))
      and ($statuses is null or list_contains($statuses, finding_status(status)))
),
by_kind as (
    select
        kind,
        any_value(severity) as severity,
        any_value(severity_zh) as severity_zh,
        min(severity_order) as severity_order,
        sum(findings)::bigint as findings,
        count(distinct region) as regions,
        -- documents sit in one region and year, so they add up across region×years
        sum(docs)::bigint as docs,
        -- one finding to read as an example
        arg_min(example_message, first_ord) as example_message
    from grouped
    group by kind
),
final as (
    select by_kind.*, sources.docs_total from by_kind, sources
)
select * from final
order by severity_order, findings desc, kind
