-- title: 当前筛选下的文档数（「来源：N 份报告」）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row
with final as (
    select count(*) as docs
    from mart_documents
    where matches_document_filters(year, region, level_zh, unit, project_names, doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
)
select * from final
