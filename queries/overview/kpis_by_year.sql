-- title: 关键指标（按年度：预算、执行、加权执行率、平均得分、项目数、审核发现、需复核文档）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per year
with -- per region×year: evaluated projects' money, else the department's overall line
-- (they overlap: never add both); from the pre-aggregated table when no unit or
-- project is chosen, else from the projects themselves
region_year as (
    select
        region, year, any_value(level_zh) as level_zh,
        sum(projects) > 0 as has_projects,
        sum(p_budget) as p_budget, sum(p_executed) as p_executed, sum(p_disclosed) as p_disclosed,
        sum(d_budget) as d_budget, sum(d_executed) as d_executed, sum(d_disclosed) as d_disclosed,
        sum(projects) as projects, sum(projects_undisclosed) as projects_undisclosed,
        sum(score_sum) as score_sum, sum(scored) as scored, sum(docs) as docs
    from agg_projects
    where $units is null and $projects is null
      and ($years is null or list_contains($years, year))
      and ($regions is null or list_contains($regions, region))
      and ($levels is null or list_contains($levels, level_zh))
      and ($doc_types is null or list_contains($doc_types, doc_type_zh))
    group by region, year
    having sum(projects) + sum(departments) > 0
    union all
    select
        region, year, any_value(level_zh),
        count(*) filter (where kind = 'evaluation') > 0,
        sum(budget_wan) filter (where kind = 'evaluation'),
        sum(executed_wan) filter (where kind = 'evaluation'),
        sum(budget_wan) filter (where kind = 'evaluation' and executed_wan is not null),
        sum(budget_wan) filter (where kind = 'department'),
        sum(executed_wan) filter (where kind = 'department'),
        sum(budget_wan) filter (where kind = 'department' and executed_wan is not null),
        count(*) filter (where kind = 'evaluation'),
        count(*) filter (where kind = 'evaluation' and not is_execution_disclosed),
        sum(total_score) filter (where kind = 'evaluation'),
        count(total_score) filter (where kind = 'evaluation'),
        count(distinct doc_no)
    from mart_projects
    where ($units is not null or $projects is not null)
      and kind in ('evaluation', 'department')
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
    group by region, year
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
    select region, year, sum(checks) as checks, sum(errors) as errors
    from agg_checks
    where $units is null and $projects is null
      and ($years is null or list_contains($years, year))
      and ($regions is null or list_contains($regions, region))
      and ($levels is null or list_contains($levels, level_zh))
      and ($doc_types is null or list_has_any($doc_types, doc_types_zh))
    group by region, year
    union all
    select region, year, count(*), count(*) filter (where severity = 'error')
    from mart_checks
    where ($units is not null or $projects is not null)
      and coalesce(status, '未处理') = '未处理'
      and matches_doc_filters(year, region, level_zh, unit, project_name, doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
    group by region, year
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
