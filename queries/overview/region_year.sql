-- title: 各地区各年度关键数据（预算、执行、加权执行率、平均得分、项目数、审核发现）
-- params: years, regions, levels, units, projects, doc_types, sort, descending, limit, offset
-- grain: one row per region×year, sorted by $sort (default 加权执行率 from low to high), rows $offset+1 to $offset+$limit
with -- per region×year: evaluated projects' money, else the department's overall line
-- (they overlap: never add both); from the pre-aggregated table when no unit or
-- project is chosen, else from the projects themselves
region_year as (
    select * from projects_by_region_year($years, $regions, $levels, $units, $projects, $doc_types)
),
-- open findings (未处理: not verified or ignored by a person on 审核) of every matching
-- document (targets too); with a project filter only those about the chosen projects.
-- Pre-aggregated when no unit or project is chosen.
findings as (
    select * from open_findings_by_region_year($years, $regions, $levels, $units, $projects, $doc_types)
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
        round(m.score_sum / nullif(m.scored, 0), 2) as avg_score,
        m.projects::bigint as projects,
        m.projects_undisclosed::bigint as projects_undisclosed,
        coalesce(f.checks, 0)::bigint as checks,
        coalesce(f.errors, 0)::bigint as errors,
        m.docs::bigint as docs
    from region_year m
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
