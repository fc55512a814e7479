-- grain: doc_id, project_id
-- The 数据校对 queue (issue 12): one row per item that needs a person, a document's
-- own issues (project_id NULL) or one project's, with its open issues (key and
-- message; the key is review:<code> for a review reason, error:<rule> / warning:<rule>
-- for an audit finding still 未处理, info never) and the filter columns. The
-- ranking is a query param (budgetperf/changes/queue.py) applied to the keys, so
-- the queue ranks and pages this one table: ~0.15 s instead of ~1 s for grouping
-- every issue at a hundred thousand documents. A document-wide item weighs by the
-- largest budget among its projects.
create or replace table mart_review_items as
with issues as (
    select doc_id, project_id, 'review:' || code as issue_key, message_zh, line_start
    from review_reasons
    union all
    select doc_id, project_id, severity || ':' || kind, message_zh, line_start
    from checks
    where severity in ('error', 'warning') and is_open_finding(status)
),
items as (
    select
        doc_id,
        project_id,
        list({'key': issue_key, 'message': message_zh} order by line_start nulls last, issue_key) as issues,
        string_agg(message_zh, ' ') as messages_text
    from issues
    group by doc_id, project_id
),
doc_budgets as (
    select doc_id, max(budget_wan) as budget_wan from mart_projects group by doc_id
),
final as (
    select
        i.*, d.file, d.doc_name, d.region, d.year, d.unit, d.level_zh, d.doc_types_zh,
        p.project_name, p.seq, coalesce(p.budget_wan, b.budget_wan) as budget_wan
    from items i
    join mart_documents d using (doc_id)
    left join mart_projects p on p.project_id = i.project_id
    left join doc_budgets b on i.project_id is null and b.doc_id = i.doc_id
)
select * from final;

-- ---------------------------------------------------------------------------
-- Per region × year figures several pages share, as table macros called with the
-- filter parameters (here, after the tables they read: DuckDB binds a macro's
-- tables when it is created): f_years … f_doc_types (NULL = 全部), named apart from the
-- columns (agg_projects has a column `projects`).
