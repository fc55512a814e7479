-- The evaluated projects under the shared filters: what every execution and score
-- figure counts. A department's overall line repeats its projects' money, and a
-- target sheet has no execution or score yet, so both are left out here, once.
create or replace macro evaluated_projects(f_years, f_regions, f_levels, f_units, f_projects, f_doc_types) as table
    select *
    from mart_projects
    where kind = 'evaluation'
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
                          f_years, f_regions, f_levels, f_units, f_projects, f_doc_types);
