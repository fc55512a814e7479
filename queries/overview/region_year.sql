-- title: 各地区各年度关键数据（预算、执行、加权执行率、平均得分、项目数、审核发现）
-- params: years, regions, levels, units, projects, doc_types, sort, descending, limit, offset
-- grain: one row per region×year, sorted by $sort (default 加权执行率 from low to high), rows $offset+1 to $offset+$limit
with filtered as (
    select
        project_id, doc_id, file, region, level_zh, year, kind, project_name,
        budget_wan, executed_wan, execution_rate_shown_pct, is_execution_disclosed, total_score
    from mart_projects
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
-- evaluated projects' money, else the department's overall line (they overlap)
money as (
    select
        region,
        year,
        any_value(level_zh) as level_zh,
        count(*) filter (where kind = 'evaluation') > 0 as has_projects,
        sum(budget_wan) filter (where kind = 'evaluation') as p_budget,
        sum(executed_wan) filter (where kind = 'evaluation') as p_executed,
        sum(budget_wan) filter (where kind = 'evaluation' and executed_wan is not null) as p_disclosed,
        sum(budget_wan) filter (where kind = 'department') as d_budget,
        sum(executed_wan) filter (where kind = 'department') as d_executed,
        sum(budget_wan) filter (where kind = 'department' and executed_wan is not null) as d_disclosed,
        count(*) filter (where kind = 'evaluation') as projects,
        count(*) filter (where kind = 'evaluation' and not is_execution_disclosed) as projects_undisclosed,
        round(avg(total_score) filter (where kind = 'evaluation'), 2) as avg_score,
        count(distinct file) as docs
    from filtered
    where kind in ('evaluation', 'department')
    group by region, year
),
findings as (
    select region, year, count(*) as checks, count(*) filter (where severity = 'error') as errors
    from mart_checks
    where matches_doc_filters(year, region, level_zh, unit, project_name, doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
    group by region, year
),
rows as (
    select
        m.region,
        m.level_zh,
        m.year,
        case when has_projects then p_budget else d_budget end as budget_wan,
        case when has_projects then p_executed else d_executed end as executed_wan,
        round(case when has_projects then p_executed / nullif(p_disclosed, 0)
                   else d_executed / nullif(d_disclosed, 0) end * 100, 2) as execution_rate_pct,
        m.avg_score,
        m.projects,
        m.projects_undisclosed,
        coalesce(f.checks, 0) as checks,
        coalesce(f.errors, 0) as errors,
        m.docs
    from money m
    left join findings f using (region, year)
),
sorted as (
    select
        *,
        case coalesce($sort, 'execution_rate_pct')
            when 'budget_wan' then budget_wan
            when 'executed_wan' then executed_wan
            when 'avg_score' then avg_score
            when 'projects' then projects
            when 'checks' then checks
            when 'year' then year
            else execution_rate_pct
        end as sort_key
    from rows
),
counted as (
    select count(*) as total_rows from rows
),
page as (
    select * from sorted
    order by case when coalesce($descending, false) then -sort_key else sort_key end asc nulls last, region, year
    limit $limit offset $offset
),
final as (
    select page.*, counted.total_rows from page, counted
)
select * from final
order by case when coalesce($descending, false) then -sort_key else sort_key end asc nulls last, region, year
