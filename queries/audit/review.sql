-- title: 需要人工复核的文档（抽取时不确定之处）
-- params: years, regions, levels, units, projects, doc_types, limit, offset
-- grain: one row per review reason of a matching document, rows $offset+1 to $offset+$limit (total_rows, docs_total count all)
with documents as (
    select doc_id, doc_no, file, doc_name, region, year
    from mart_documents
    where review_reasons > 0
      and matches_document_filters(year, region, level_zh, unit, project_names, doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
reasons as (
    select d.*, v.code, v.message_zh, v.line_start, v.line_end, v.project_id
    from review_reasons v
    join documents d using (doc_id)
),
counted as (
    select count(*) as total_rows, count(distinct doc_no) as docs_total from reasons
),
page as (
    select * from reasons
    order by region, year, doc_name, code, line_start
    limit $limit offset $offset
),
final as (
    select page.*, p.name as project_name, counted.total_rows, counted.docs_total
    from page
    left join projects p using (project_id)
    cross join counted
)
select * from final
order by region, year, doc_name, code, line_start
