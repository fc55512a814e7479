-- title: 字段出处（数值、原文写法、行号、摘录）
-- params: doc, project
-- grain: one row per sourced field of the document and of the chosen project
with docs as (
    select doc_id from documents where file = $doc
),
chosen as (
    select project_id from projects
    where doc_id in (select doc_id from docs) and name = $project
),
final as (
    select
        entity,
        entity_id,
        field,
        value_text,
        line_start,
        line_end,
        snippet
    from provenance
    where doc_id in (select doc_id from docs)
      and (entity = 'document' or entity_id in (select project_id from chosen))
)
select * from final
order by case entity when 'document' then 0 else 1 end, line_start, field
