-- Indicators and quantified ones (a numeric target) per region × year, with the
-- documents they come from: pre-aggregated when no unit or project is chosen.
create or replace macro indicators_by_region_year(f_years, f_regions, f_levels, f_units, f_projects, f_doc_types) as table
    select region, year, sum(indicators) as indicators, sum(quantified) as quantified, sum(docs) as docs
    from agg_indicators
    where f_units is null and f_projects is null
      and (f_years is null or list_contains(f_years, year))
      and (f_regions is null or list_contains(f_regions, region))
      and (f_levels is null or list_contains(f_levels, level_zh))
      and (f_doc_types is null or list_contains(f_doc_types, doc_type_zh))
    group by region, year
    union all
    select region, year, count(*), count(*) filter (where target_is_numeric), count(distinct doc_no)
    from mart_indicators
    where (f_units is not null or f_projects is not null)
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          f_years, f_regions, f_levels, f_units, f_projects, f_doc_types)
    group by region, year;
