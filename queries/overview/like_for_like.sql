-- title: 同比（同一批项目）：两个年度都有的评价项目的预算、执行、执行率与平均得分，以及两年的项目数
-- params: year, previous, regions, levels, units, projects, doc_types
-- grain: one row
with now_projects as (
    select * from evaluated_projects([$year], $regions, $levels, $units, $projects, $doc_types)
),
before_projects as (
    select * from evaluated_projects([$previous], $regions, $levels, $units, $projects, $doc_types)
),
-- each project of the year with its match in the previous year (mart_project_matches)
pairs as (
    select
        n.budget_wan, n.executed_wan, n.total_score,
        b.budget_wan as before_budget_wan, b.executed_wan as before_executed_wan, b.total_score as before_total_score
    from now_projects n
    join mart_project_matches m on m.project_id = n.project_id and m.earlier_year = $previous
    join before_projects b on b.project_id = m.earlier_project_id
),
-- a rate compares the projects that disclose their execution in both years, a score
-- those scored in both: otherwise a newly disclosed project would move the figure
matched as (
    select
        count(*) as matched_projects,
        sum(budget_wan) as budget_wan,
        sum(before_budget_wan) as before_budget_wan,
        sum(executed_wan) filter (where executed_wan is not null and before_executed_wan is not null) as executed_wan,
        sum(before_executed_wan) filter (where executed_wan is not null and before_executed_wan is not null)
            as before_executed_wan,
        sum(budget_wan) filter (where executed_wan is not null and before_executed_wan is not null) as disclosed_wan,
        sum(before_budget_wan) filter (where executed_wan is not null and before_executed_wan is not null)
            as before_disclosed_wan,
        avg(total_score) filter (where total_score is not null and before_total_score is not null) as avg_score,
        avg(before_total_score) filter (where total_score is not null and before_total_score is not null)
            as before_avg_score
    from pairs
),
final as (
    select
        (select count(*) from now_projects) as projects,
        (select count(*) from before_projects) as before_projects,
        matched_projects,
        budget_wan,
        before_budget_wan,
        executed_wan,
        before_executed_wan,
        round(executed_wan / nullif(disclosed_wan, 0) * 100, 2) as execution_rate_pct,
        round(before_executed_wan / nullif(before_disclosed_wan, 0) * 100, 2) as before_execution_rate_pct,
        round(avg_score, 2) as avg_score,
        round(before_avg_score, 2) as before_avg_score
    from matched
)
select * from final
