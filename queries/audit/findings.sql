-- title: 审核发现明细（按严重程度、规则、地区、年度）
-- params: years, regions, levels, units, projects, doc_types, severities, kinds, statuses, limit, offset
-- grain: one row per finding, errors first, rows $offset+1 to $offset+$limit (total_rows counts all)
with filtered as (
    select check_id, ord
    from mart_checks
    -- with a project filter, document-wide findings (no project) are left out
    where matches_doc_filters(year, region, level_zh, unit, project_name, doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      and ($severities is null or list_contains($severities, severity_zh))
      and ($kinds is null or list_contains($kinds, kind))
      -- 处理状态 (issue 12): 未处理 | 已核实 | 忽略, set by an editor
      and ($statuses is null or list_contains($statuses, finding_status(status)))
),
counted as (
    select count(*) as total_rows from filtered
),
page as (
    select check_id, ord from filtered order by ord limit $limit offset $offset
),
final as (
    select
        c.check_id, c.doc_id, c.project_id, c.file, c.doc_name, c.region, c.year, c.unit, c.project_name,
        c.kind, c.severity, c.severity_zh, c.message_zh, c.what, c.line_start, c.line_end, c.snippet,
        c.ord, finding_status(c.status) as finding_status, c.status_by, c.status_at, c.status_reason,
        c.finding_key, d.content_hash, counted.total_rows
    from page
    join mart_checks c using (check_id)
    join documents d on d.doc_id = c.doc_id
    cross join counted
)
select * from final
order by ord
