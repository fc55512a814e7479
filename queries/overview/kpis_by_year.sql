-- title: 关键指标（按年度：预算、执行、加权执行率、平均得分、项目数、审核发现、需复核文档）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per year
with -- per region×year: evaluated projects' money, else the department's overall line
-- (they overlap: never add both); from the pre-aggregated table when no unit or
-- project is chosen, else from the projects themselves
region_year as (
    select * from projects_by_region_year($years, $regions, $levels, $units, $projects, $doc_types)
),
money as (
    select
        year,
        sum(case when has_projects then p_budget else d_budget end) as budget_wan,
        sum(case when has_projects then p_executed else d_executed end) as executed_wan,
        sum(case when has_projects then p_disclosed else d_disclosed end) as disclosed_budget_wan,
        sum(projects) as projects,
        sum(projects_undisclosed) as projects_undisclosed,
        sum(score_sum) / nullif(sum(scored), 0) as avg_score,
        count(*) as regions
    from region_year
    group by year
),
-- open findings (未处理: not verified or ignored by a person on 审核) of every matching
-- document (targets too); with a project filter only those about the chosen projects.
-- Pre-aggregated when no unit or project is chosen.
findings as (
    select * from open_findings_by_region_year($years, $regions, $levels, $units, $projects, $doc_types)
),
findings_by_year as (
    select year, sum(checks) as checks, sum(errors) as errors from findings group by year
),
review as (
    select year, count(*) as docs_review
    from mart_documents
    where review_reasons > 0
      and matches_document_filters(year, region, level_zh, unit, project_names, doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
    group by year
),
years as (
    select year from money
    union
    select year from findings_by_year
    union
    select year from review
),
final as (
    select
        y.year,
        m.budget_wan,
        m.executed_wan,
        round(m.executed_wan / nullif(m.disclosed_budget_wan, 0) * 100, 2) as execution_rate_pct,
        round(m.avg_score, 2) as avg_score,
        coalesce(m.projects, 0)::bigint as projects,
        coalesce(m.projects_undisclosed, 0)::bigint as projects_undisclosed,
        coalesce(m.regions, 0) as regions,
        coalesce(f.checks, 0)::bigint as checks,
        coalesce(f.errors, 0)::bigint as errors,
        coalesce(r.docs_review, 0) as docs_review
    from years y
    left join money m using (year)
    left join findings_by_year f using (year)
    left join review r using (year)
)
select * from final
order by year desc nulls last
