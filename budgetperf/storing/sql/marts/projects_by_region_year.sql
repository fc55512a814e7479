-- Money, counts and scores per region × year: evaluated projects' (p_*) and the
-- department's overall line (d_*), which overlap (never add both). From the
-- pre-aggregated table when no unit or project is chosen, else from the projects.
create or replace macro projects_by_region_year(f_years, f_regions, f_levels, f_units, f_projects, f_doc_types) as table
    select
        region, year, any_value(level_zh) as level_zh,
        sum(projects) > 0 as has_projects,
        sum(p_budget) as p_budget, sum(p_executed) as p_executed, sum(p_disclosed) as p_disclosed,
        sum(d_budget) as d_budget, sum(d_executed) as d_executed, sum(d_disclosed) as d_disclosed,
        sum(projects) as projects, sum(projects_undisclosed) as projects_undisclosed,
        sum(score_sum) as score_sum, sum(scored) as scored, sum(docs) as docs
    from agg_projects
    where f_units is null and f_projects is null
      and (f_years is null or list_contains(f_years, year))
      and (f_regions is null or list_contains(f_regions, region))
      and (f_levels is null or list_contains(f_levels, level_zh))
      and (f_doc_types is null or list_contains(f_doc_types, doc_type_zh))
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
    where (f_units is not null or f_projects is not null)
      and kind in ('evaluation', 'department')
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          f_years, f_regions, f_levels, f_units, f_projects, f_doc_types)
    group by region, year;
