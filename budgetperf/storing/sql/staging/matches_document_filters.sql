-- The filters for a whole document: it matches when one of its projects' names
-- or doc types is chosen (a document without projects matches no project or doc
-- type filter, and every other filter by its own year, region, level and unit).
create or replace macro matches_document_filters(year, region, level_zh, unit, project_names, doc_types_zh,
                                                 years, regions, levels, units, projects, doc_types) as (
    (years is null or list_contains(years, year))
    and (regions is null or list_contains(regions, region))
    and (levels is null or list_contains(levels, level_zh))
    and (units is null or list_contains(units, unit))
    and (projects is null or list_has_any(projects, project_names))
    and (doc_types is null or list_has_any(doc_types, doc_types_zh))
);
