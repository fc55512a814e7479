-- Evaluated projects per region × year (executed and disclosed budget, scores,
-- counts): pre-aggregated when no unit or project is chosen, else from the rows.
create or replace macro evaluated_by_region_year(f_years, f_regions, f_levels, f_units, f_projects, f_doc_types) as table
    select region, year, any_value(level_zh) as level_zh, sum(p_executed) as executed,
           sum(p_disclosed) as disclosed, sum(score_sum) as score_sum, sum(scored) as scored,
           sum(projects) as projects, sum(docs) as docs
    from agg_projects
    where f_units is null and f_projects is null
      and (f_years is null or list_contains(f_years, year))
      and (f_regions is null or list_contains(f_regions, region))
      and (f_levels is null or list_contains(f_levels, level_zh))
      and (f_doc_types is null or list_contains(f_doc_types, doc_type_zh))
    group by region, year
    having sum(projects) > 0
    union all
    select region, year, any_value(level_zh), sum(executed_wan) filter (where executed_wan is not null),
           sum(budget_wan) filter (where executed_wan is not null), sum(total_score), count(total_score),
           count(*), count(distinct doc_no)
    from evaluated_projects(f_years, f_regions, f_levels, f_units, f_projects, f_doc_types)
    where f_units is not null or f_projects is not null
    group by region, year;
