-- title: 审核发现最多的地区（按严重程度）
-- params: years, regions, levels, units, projects, doc_types, severities, statuses, pins, limit
-- grain: one row per region×severity, for the $limit regions with the most findings plus pinned ones (regions_total counts all)
with filtered as (
    select *
    from mart_checks
    where matches_doc_filters(year, region, level_zh, unit, project_name, doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      and ($severities is null or list_contains($severities, severity_zh))
      and ($statuses is null or list_contains($statuses, finding_status(status)))
),
ranked as (
    select
        region,
        count(*) as region_findings,
        row_number() over (order by count(*) desc, region) as rank,
        count(*) over () as regions_total,
        coalesce(list_contains($pins, region), false) as is_pinned
    from filtered
    group by region
),
sources as (
    select count(distinct doc_no) as docs_total from filtered
),
final as (
    select
        f.region,
        f.severity,
        f.severity_zh,
        count(*) as findings,
        any_value(r.region_findings) as region_findings,
        any_value(r.rank) as rank,
        any_value(r.regions_total) as regions_total,
        any_value(r.is_pinned) as is_pinned,
        any_value(s.docs_total) as docs_total
    from filtered f
    join ranked r using (region)
    cross join sources s
    where r.rank <= coalesce($limit, rank) or r.is_pinned
    group by f.region, f.severity, f.severity_zh
)
select * from final
order by rank, case severity when 'error' then 0 when 'warning' then 1 else 2 end
