-- Open audit findings (未处理: not verified or ignored on 审核) per region × year, of
-- every matching document (targets too); with a project filter only those about
-- the chosen projects. Pre-aggregated when no unit or project is chosen.
create or replace macro open_findings_by_region_year(f_years, f_regions, f_levels, f_units, f_projects, f_doc_types) as table
    select region, year, sum(checks) as checks, sum(errors) as errors
    from agg_checks
    where f_units is null and f_projects is null
      and (f_years is null or list_contains(f_years, year))
      and (f_regions is null or list_contains(f_regions, region))
      and (f_levels is null or list_contains(f_levels, level_zh))
      and (f_doc_types is null or list_has_any(f_doc_types, doc_types_zh))
    group by region, year
    union all
    select region, year, count(*), count(*) filter (where severity = 'error')
    from mart_checks
    where (f_units is not null or f_projects is not null)
      and is_open_finding(status)
      and matches_doc_filters(year, region, level_zh, unit, project_name, doc_types_zh,
          f_years, f_regions, f_levels, f_units, f_projects, f_doc_types)
    group by region, year;
