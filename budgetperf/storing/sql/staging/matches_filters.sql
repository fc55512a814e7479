-- The shared sidebar filters, one place: NULL means "all" (全部), a list keeps the
-- rows whose value is in it. Queries call it with their $params, so the SQL stays
-- static and every value is bound, never formatted in.
create or replace macro matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
                                        years, regions, levels, units, projects, doc_types) as (
    (years is null or list_contains(years, year))
    and (regions is null or list_contains(regions, region))
    and (levels is null or list_contains(levels, level_zh))
    and (units is null or list_contains(units, unit))
    and (projects is null or list_contains(projects, project_name))
    and (doc_types is null or list_contains(doc_types, doc_type_zh))
);
