-- title: 数据库中的文档（名称、文件、格式、地区、单位、年度及依据、类型、条目数）
-- params: years, regions, levels, units, projects, doc_types, search, limit, offset
-- grain: one row per document matching the filters (and $search in its name or file), rows $offset+1 to $offset+$limit
with filtered as (
    select *
    from mart_documents
    where matches_document_filters(year, region, level_zh, unit, project_names, doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      and ($search is null or contains(doc_name, $search) or contains(file, $search))
),
counted as (
    select count(*) as total_rows from filtered
),
page as (
    select * from filtered
    order by region, year, doc_name
    limit $limit offset $offset
),
final as (
    select
        doc_id,
        doc_name,
        file,
        fmt,
        encoding,
        region,
        unit,
        year,
        year_evidence,
        year_line,
        year_is_explicit,
        doc_kind_zh,
        doc_kinds,
        line_count,
        projects,
        indicators,
        checks,
        review_reasons,
        ingested_at,
        counted.total_rows
    from page, counted
)
select * from final
order by region, year, doc_name
