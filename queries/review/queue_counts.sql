-- title: 数据校对队列的条目数（按类型）
-- params: years, regions, levels, units, projects, doc_types, skip_rules, search
-- grain: one row per issue kind (error | extraction | value) that has items, with the items and issues of that kind
-- Same issues and filters as review/queue (without its 类型 filter), so the counts
-- beside the 类型 choices say what each choice will list.
with issues as (
    select doc_id, project_id, 'extraction' as issue_kind, message_zh
    from review_reasons
    union all
    select doc_id, project_id, case severity when 'error' then 'error' else 'value' end, message_zh
    from checks
    where severity in ('error', 'warning')
      and coalesce(status, '未处理') = '未处理'
      and not coalesce(list_contains($skip_rules, kind), false)
),
described as (
    select i.doc_id, i.project_id, i.issue_kind
    from issues i
    join mart_documents d using (doc_id)
    left join mart_projects p on p.project_id = i.project_id
    where matches_doc_filters(d.year, d.region, d.level_zh, d.unit, p.project_name, d.doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      and ($search is null
           or contains(lower(concat_ws(' ', d.doc_name, d.file, p.project_name, i.message_zh)), lower($search)))
),
final as (
    select
        issue_kind,
        count(distinct (doc_id, coalesce(project_id, ''))) as items,
        count(*) as issues
    from described
    group by issue_kind
)
select * from final
order by issue_kind
