-- title: 关键指标（按年度：预算、执行、加权执行率、平均得分、项目数、审核发现、需复核文档）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per year
with filtered as (
    select
        project_id, doc_id, file, region, level_zh, year, kind, project_name,
        budget_wan, executed_wan, execution_rate_shown_pct, is_execution_disclosed, total_score
    from mart_projects
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
-- Per region×year the evaluated projects' money, or the department's overall line
-- where no project is evaluated (the two overlap: never add both).
region_year as (
    select
        region,
        year,
        count(*) filter (where kind = 'evaluation') > 0 as has_projects,
        sum(budget_wan) filter (where kind = 'evaluation') as p_budget,
        sum(executed_wan) filter (where kind = 'evaluation') as p_executed,
        sum(budget_wan) filter (where kind = 'evaluation' and executed_wan is not null) as p_disclosed_budget,
        sum(budget_wan) filter (where kind = 'department') as d_budget,
        sum(executed_wan) filter (where kind = 'department') as d_executed,
        sum(budget_wan) filter (where kind = 'department' and executed_wan is not null) as d_disclosed_budget,
        count(*) filter (where kind = 'evaluation') as projects,
        count(*) filter (where kind = 'evaluation' and not is_execution_disclosed) as projects_undisclosed,
        sum(total_score) filter (where kind = 'evaluation') as score_sum,
        count(total_score) filter (where kind = 'evaluation') as scored
    from filtered
    where kind in ('evaluation', 'department')
    group by region, year
),
money as (
    select
        year,
        sum(case when has_projects then p_budget else d_budget end) as budget_wan,
        sum(case when has_projects then p_executed else d_executed end) as executed_wan,
        sum(case when has_projects then p_disclosed_budget else d_disclosed_budget end) as disclosed_budget_wan,
        sum(projects) as projects,
        sum(projects_undisclosed) as projects_undisclosed,
        sum(score_sum) / nullif(sum(scored), 0) as avg_score,
        count(*) as regions
    from region_year
    group by year
),
-- findings and review reasons of every matching document (targets too); with a
-- project filter, only the findings about those projects
findings as (
    select
        year,
        count(*) as checks,
        count(*) filter (where severity = 'error') as errors
    from mart_checks
    where matches_doc_filters(year, region, level_zh, unit, project_name, doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
    group by year
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
    select year from findings
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
        coalesce(f.checks, 0) as checks,
        coalesce(f.errors, 0) as errors,
        coalesce(r.docs_review, 0) as docs_review
    from years y
    left join money m using (year)
    left join findings f using (year)
    left join review r using (year)
)
select * from final
order by year desc nulls last
