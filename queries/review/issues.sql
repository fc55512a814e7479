-- title: 一个待核对条目的全部问题（抽取存疑、审核错误、数值存疑）及其原文行
-- params: doc_id, project_id, skip_rules
-- grain: one row per issue of the document's own ($project_id NULL) or of the project $project_id
-- Audit findings of every status are listed (a settled one shows its status), so
-- the item says what was settled and by whom; info-level findings are left out.
with issues as (
    select doc_id, project_id, 'review' as source, code, 'review:' || code as issue_key, message_zh,
           line_start, line_end, null::varchar as check_id, null::varchar as finding_key,
           null::varchar as status, null::varchar as status_by, null::varchar as status_at,
           null::varchar as status_reason
    from review_reasons
    where doc_id = $doc_id
    union all
    select doc_id, project_id, severity, kind, severity || ':' || kind, message_zh, line_start, line_end,
           check_id, finding_key, finding_status(status), status_by, status_at::varchar, status_reason
    from checks
    where doc_id = $doc_id
      and severity in ('error', 'warning')
      and not coalesce(list_contains($skip_rules, kind), false)
),
final as (
    select * from issues
    where ($project_id is null and project_id is null) or project_id = $project_id
)
select * from final
order by case source when 'review' then 1 when 'error' then 0 else 2 end, line_start, issue_key
