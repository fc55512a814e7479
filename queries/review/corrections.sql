-- title: 人工更正记录（按当前筛选：地区、年度、单位、项目、类型）
-- params: years, regions, levels, units, projects, doc_types, limit
-- grain: one row per applied correction of a matching document (at most $limit), newest first
with final as (
    select c.made_at, c.editor, d.doc_name, d.file, d.region, d.year, c.project_name, c.indicator_name, c.label_zh,
           c.extracted_value, c.new_value, c.reason, c.status_zh, c.doc_id, c.project_id, c.correction_id
    from corrections_applied c
    join mart_documents d using (doc_id)
    where c.status = 'applied'
      and matches_doc_filters(d.year, d.region, d.level_zh, d.unit, c.project_name, d.doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
)
select * from final
order by made_at desc, correction_id
limit $limit
