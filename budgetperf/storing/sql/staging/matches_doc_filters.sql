-- The same filters for a row that belongs to a document rather than a project
-- (an audit finding, a review reason): the document's doc types and project names
-- are lists, and the row matches when any of them is chosen. A project filter
-- keeps only rows about those projects (`project_name`, NULL for document-wide
-- rows, which a project filter therefore leaves out).
create or replace macro matches_doc_filters(year, region, level_zh, unit, project_name, doc_types_zh,
                                            years, regions, levels, units, projects, doc_types) as (
    (years is null or list_contains(years, year))
    and (regions is null or list_contains(regions, region))
    and (levels is null or list_contains(levels, level_zh))
    and (units is null or list_contains(units, unit))
    and (projects is null or list_contains(projects, project_name))
    and (doc_types is null or list_has_any(doc_types, doc_types_zh))
);
