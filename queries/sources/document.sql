-- title: 一份文档（按文件名）
-- params: doc
-- grain: one row: the document whose file is $doc (none when it is not in the store)
with final as (
    select
        doc_id, doc_name, file, fmt, encoding, region, unit, year, year_evidence, year_line, year_is_explicit,
        doc_kind_zh, line_count, projects, indicators, checks, review_reasons
    from mart_documents
    where file = $doc
)
select * from final
