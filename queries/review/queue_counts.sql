-- title: 数据校对队列的条目数（按类型）
-- params: years, regions, levels, units, projects, doc_types, skip_rules, search
-- grain: one row per issue kind (error | extraction | value) that has items, with the items and issues of that kind
-- Same items and filters as review/queue (without its 类型 filter), so the counts
-- beside the 类型 choices say what each choice will list.
with filtered as (
    select unnest(issues).key as issue_key, doc_id, project_id
    from mart_review_items
    where matches_doc_filters(year, region, level_zh, unit, project_name, doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      and ($search is null
           or contains(lower(concat_ws(' ', doc_name, file, project_name, messages_text)), lower($search)))
),
kinds as (
    select
        doc_id, project_id,
        case when starts_with(issue_key, 'review:') then 'extraction'
             when starts_with(issue_key, 'error:') then 'error' else 'value' end as issue_kind
    from filtered
    where starts_with(issue_key, 'review:')
       or not coalesce(list_contains($skip_rules, split_part(issue_key, ':', 2)), false)
),
final as (
    select issue_kind, count(distinct (doc_id, coalesce(project_id, ''))) as items, count(*) as issues
    from kinds
    group by issue_kind
)
select * from final
order by issue_kind
