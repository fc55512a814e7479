-- title: 两个地区对照（A 与 B）：各年度的加权执行率、平均得分、量化率、预算与项目数，及较上年同一批项目的变化
-- params: a, b, years, levels, units, projects, doc_types
-- grain: one row per region×year of the two regions
with measures as (
    select * from evaluated_by_region_year($years, [$a, $b], $levels, $units, $projects, $doc_types)
),
quantified_ry as (
    select * from indicators_by_region_year($years, [$a, $b], $levels, $units, $projects, $doc_types)
),
projects as (
    select * from evaluated_projects($years, [$a, $b], $levels, $units, $projects, $doc_types)
),
budgets as (
    select region, year, sum(budget_wan) as budget_wan from projects group by region, year
),
-- each region-year's previous evaluated year, and the projects present in both
previous as (
    select region, year, lag(year) over (partition by region order by year) as previous_year
    from measures
),
pairs as (
    select p.region, p.year, p.previous_year,
           n.budget_wan, n.executed_wan, n.total_score,
           e.budget_wan as e_budget_wan, e.executed_wan as e_executed_wan, e.total_score as e_total_score
    from previous p
    join projects n on n.region = p.region and n.year = p.year
    join mart_project_matches m on m.project_id = n.project_id and m.earlier_year = p.previous_year
    join projects e on e.project_id = m.earlier_project_id
),
same_projects as (
    select
        region, year,
        count(*) as matched_projects,
        round(sum(executed_wan) filter (where executed_wan is not null and e_executed_wan is not null)
              / nullif(sum(budget_wan) filter (where executed_wan is not null and e_executed_wan is not null), 0)
              * 100, 2) as matched_rate_pct,
        round(sum(e_executed_wan) filter (where executed_wan is not null and e_executed_wan is not null)
              / nullif(sum(e_budget_wan) filter (where executed_wan is not null and e_executed_wan is not null), 0)
              * 100, 2) as matched_before_rate_pct,
        round(avg(total_score) filter (where total_score is not null and e_total_score is not null), 2)
            as matched_score,
        round(avg(e_total_score) filter (where total_score is not null and e_total_score is not null), 2)
            as matched_before_score,
        sum(budget_wan) as matched_budget_wan,
        sum(e_budget_wan) as matched_before_budget_wan
    from pairs
    group by region, year
),
final as (
    select
        m.region,
        m.year,
        round(m.executed / nullif(m.disclosed, 0) * 100, 2) as execution_rate_pct,
        round(m.score_sum / nullif(m.scored, 0), 2) as avg_score,
        round(q.quantified * 100.0 / nullif(q.indicators, 0), 2) as quantified_pct,
        b.budget_wan,
        m.projects::bigint as projects,
        m.docs::bigint as docs,
        p.previous_year,
        coalesce(s.matched_projects, 0)::bigint as matched_projects,
        s.matched_rate_pct, s.matched_before_rate_pct, s.matched_score, s.matched_before_score,
        s.matched_budget_wan, s.matched_before_budget_wan
    from measures m
    left join quantified_ry q using (region, year)
    left join budgets b using (region, year)
    left join previous p using (region, year)
    left join same_projects s using (region, year)
)
select * from final
order by region, year
