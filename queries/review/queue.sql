-- title: 数据校对队列（需要人工核对的文档与项目，最重要的在前）
-- params: years, regions, levels, units, projects, doc_types, order, skip_rules, fallback_error, fallback_warning, issue_kinds, search, limit, offset
-- grain: one row per item (a document's own issues, or one project's), ranked by its most important issue, then the larger budget; rows $offset+1 to $offset+$limit (total_rows counts all)
-- The ranking is budgetperf/review_queue.py's: $order lists issue keys most important
-- first (review:<code>, error:<rule>, warning:<rule>); an unlisted rule ranks at
-- $fallback_error / $fallback_warning. Audit findings a person marked 已核实 or 忽略
-- are settled, so they leave the queue; info-level findings never enter it.
with issues as (
    select doc_id, project_id, 'review:' || code as issue_key, message_zh, line_start, line_end,
           null::varchar as check_id, null::varchar as finding_key
    from review_reasons
    union all
    select doc_id, project_id, severity || ':' || kind, message_zh, line_start, line_end, check_id, finding_key
    from checks
    where severity in ('error', 'warning')
      and coalesce(status, '未处理') = '未处理'
      and not coalesce(list_contains($skip_rules, kind), false)
),
ranked as (
    select
        *,
        coalesce(list_position($order, issue_key) - 1,
                 case when starts_with(issue_key, 'error:') then $fallback_error else $fallback_warning end) as issue_rank,
        case when starts_with(issue_key, 'review:') then 'extraction'
             when starts_with(issue_key, 'error:') then 'error' else 'value' end as issue_kind
    from issues
),
described as (
    select r.*, d.file, d.doc_name, d.region, d.year, d.unit, d.level_zh, p.project_name, p.seq,
           p.budget_wan as project_budget_wan
    from ranked r
    join mart_documents d using (doc_id)
    left join mart_projects p on p.project_id = r.project_id
    -- with a project filter, document-wide issues (no project) are left out
    where matches_doc_filters(d.year, d.region, d.level_zh, d.unit, p.project_name, d.doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      and ($search is null
           or contains(lower(concat_ws(' ', d.doc_name, d.file, p.project_name, r.message_zh)), lower($search)))
),
items as (
    select
        doc_id,
        project_id,
        any_value(file) as file,
        any_value(doc_name) as doc_name,
        any_value(region) as region,
        any_value(year) as year,
        any_value(unit) as unit,
        any_value(project_name) as project_name,
        any_value(seq) as seq,
        any_value(project_budget_wan) as project_budget_wan,
        min(issue_rank) as top_rank,
        arg_min(issue_key, issue_rank) as top_issue,
        arg_min(message_zh, issue_rank) as top_message_zh,
        count(*) as issues,
        list(distinct issue_kind) as issue_kinds,
        list(issue_key order by issue_rank, line_start) as issue_keys
    from described
    group by doc_id, project_id
),
chosen as (
    select * from items
    where $issue_kinds is null or list_has_any($issue_kinds, issue_kinds)
),
-- a document-wide item ranks by the largest budget among its projects
doc_budgets as (
    select doc_id, max(budget_wan) as budget_wan
    from mart_projects
    where doc_id in (select doc_id from chosen where project_id is null)
    group by doc_id
),
counted as (
    select count(*) as total_rows from chosen
),
page as (
    select c.*, coalesce(c.project_budget_wan, b.budget_wan) as budget_wan
    from chosen c
    left join doc_budgets b on b.doc_id = c.doc_id and c.project_id is null
    order by top_rank, budget_wan desc nulls last, doc_name, seq nulls first, project_id
    limit $limit offset $offset
),
final as (
    select page.* exclude (project_budget_wan), counted.total_rows from page, counted
)
select * from final
order by top_rank, budget_wan desc nulls last, doc_name, seq nulls first, project_id
