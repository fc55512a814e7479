-- title: 原文行（用于显示出处上下文）
-- params: doc, line_from, line_to
-- grain: one row per source line
with docs as (
    select doc_id from documents where file = $doc
),
final as (
    select line_no, text, page, sheet, table_index
    from source_lines
    where doc_id in (select doc_id from docs)
      and line_no between coalesce($line_from, 1) and coalesce($line_to, 2147483647)
)
select * from final
order by line_no
