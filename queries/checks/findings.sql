-- title: 审核发现（按地区、年度、严重程度）
-- params: regions, years, severity
-- grain: one row per finding
with final as (
    select
        check_id, doc_id, project_id, file, region, year, unit, project_name,
        kind, severity, severity_zh, message_zh, what, line_start, line_end, snippet
    from stg_checks
    where ($regions is null or list_contains($regions, region))
      and ($years is null or list_contains($years, year))
      and ($severity is null or severity = $severity)
)
select * from final
order by case severity when 'error' then 0 when 'warning' then 1 else 2 end, region, year, file, check_id
