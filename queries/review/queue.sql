-- title: 数据校对队列（需要人工核对的文档与项目，最重要的在前）
-- params: years, regions, levels, units, projects, doc_types, order, skip_rules, fallback_error, fallback_warning, issue_kinds, search, limit, offset
-- grain: one row per item (a document's own issues, or one project's), ranked by its most important issue, then the larger budget; rows $offset+1 to $offset+$limit (total_rows counts all)
-- The ranking is budgetperf/changes/queue.py's: $order lists issue keys most important
-- first (review:<code>, error:<rule>, warning:<rule>); an unlisted rule ranks at
-- $fallback_error / $fallback_warning. Audit rules in $skip_rules restate a review
-- reason and are left out. Items come from mart_review_items (open issues only:
-- findings marked 已核实 or 忽略 are settled; info-level findings never enter).
with filtered as (
    select
        doc_id, project_id, file, doc_name, region, year, unit, project_name, seq, budget_wan,
        list_filter(issues, lambda x: starts_with(x.key, 'review:')
                    or not coalesce(list_contains($skip_rules, split_part(x.key, ':', 2)), false)) as kept
    from mart_review_items
    -- with a project filter, document-wide items (no project) are left out
    where matches_doc_filters(year, region, level_zh, unit, project_name, doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      and ($search is null
           or contains(lower(concat_ws(' ', doc_name, file, project_name, messages_text)), lower($search)))
),
ranked as (
    select
        * exclude (kept),
        list_transform(kept, lambda x: coalesce(list_position($order, x.key) - 1,
                       case when starts_with(x.key, 'error:') then $fallback_error else $fallback_warning end)) as ranks,
        list_distinct(list_transform(kept, lambda x: case when starts_with(x.key, 'review:') then 'extraction'
                                                         when starts_with(x.key, 'error:') then 'error'
                                                         else 'value' end)) as issue_kinds,
        kept
    from filtered
    where len(kept) > 0
),
chosen as (
    select
        * exclude (ranks, kept),
        list_min(ranks) as top_rank,
        kept[list_position(ranks, list_min(ranks))].key as top_issue,
        kept[list_position(ranks, list_min(ranks))].message as top_message_zh,
        len(kept) as issues
    from ranked
    where $issue_kinds is null or list_has_any($issue_kinds, issue_kinds)
),
counted as (
    select count(*) as total_rows from chosen
),
page as (
    select * from chosen
    order by top_rank, budget_wan desc nulls last, doc_name, seq nulls first, project_id
    limit $limit offset $offset
),
final as (
    select page.*, counted.total_rows from page, counted
)
select * from final
order by top_rank, budget_wan desc nulls last, doc_name, seq nulls first, project_id
