-- grain: project_id
-- One row per project (stg_projects) with its document's display name, the rate
-- to show (as reported, else computed from the amounts; NULL = 未披露) and
-- project_name, the filters' name for it.
create or replace table mart_projects as
with final as (
    select
        p.*,
        p.name as project_name,
        d.doc_name,
        d.doc_no,
        row_number() over (order by p.project_id)::integer as project_no,
        -- the indicator list's order (region, year, project), numbered here over
        -- projects so mart_indicators needs no sort of a million rows
        row_number() over (order by p.region, p.year, p.name, p.project_id) as list_ord,
        -- One rate everywhere: executed ÷ budget whenever both amounts are known, the
        -- rate every region, year and weighted figure is summed from (a stated rate
        -- that disagrees, or one left stale by a correction of an amount, is an audit
        -- finding and stays in execution_rate_pct); the stated rate only without them.
        coalesce(p.execution_rate_computed_pct, p.execution_rate_pct) as execution_rate_shown_pct,
        p.execution_rate_pct is null and p.execution_rate_computed_pct is not null as is_execution_rate_computed,
        -- budget not spent (NULL when execution is not disclosed)
        p.budget_wan - p.executed_wan as unexecuted_wan
    from stg_projects p
    join mart_documents d using (doc_id)
)
select * from final;
