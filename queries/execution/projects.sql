-- title: 各项目预算与执行（万元）及执行率
-- params: years, regions, levels, units, projects, doc_types, sort, descending, limit, offset
-- grain: one row per evaluated project, sorted by $sort (default 执行率 from low to high), rows $offset+1 to $offset+$limit (total_rows counts all)
with filtered as (
    select
        project_id, doc_id, file, doc_name, region, level_zh, year, unit, project_name,
        budget_wan, executed_wan, unexecuted_wan,
        -- the rate as reported, else derived from the amounts; NULL = 未披露
        execution_rate_shown_pct as execution_rate_pct,
        is_execution_rate_computed, is_execution_disclosed, total_score,
        grade_shown as grade, is_grade_derived,
        case coalesce($sort, 'execution_rate_pct')
            when 'budget_wan' then budget_wan
            when 'executed_wan' then executed_wan
            when 'unexecuted_wan' then unexecuted_wan
            when 'total_score' then total_score
            when 'year' then year
            else execution_rate_shown_pct
        end as sort_key
    from evaluated_projects($years, $regions, $levels, $units, $projects, $doc_types)
),
counted as (
    select count(*) as total_rows from filtered
),
page as (
    select * from filtered
    order by case when coalesce($descending, false) then -sort_key else sort_key end asc nulls last,
             region, year, project_name, project_id
    limit $limit offset $offset
),
final as (
    select
        page.*,
        -- a person corrected a value of this project (issue 12): marked ✎ in the table
        exists (select 1 from corrections_applied c
                where c.project_id = page.project_id and c.status = 'applied') as is_corrected,
        counted.total_rows
    from page, counted
)
select * from final
order by case when coalesce($descending, false) then -sort_key else sort_key end asc nulls last,
         region, year, project_name, project_id
