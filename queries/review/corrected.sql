-- title: 若干项目的人工更正记录（列表页「已人工更正」一栏的历史）
-- params: project_ids
-- grain: one row per applied correction of a project in $project_ids (its indicators included), newest first
with final as (
    select c.made_at, c.editor, c.project_id, c.project_name, c.indicator_name, c.label_zh, c.extracted_value,
           c.new_value, c.reason, c.status_zh, c.correction_id, d.file, d.doc_name
    from corrections_applied c
    join mart_documents d using (doc_id)
    where c.status = 'applied' and list_contains($project_ids, c.project_id)
)
select * from final
order by made_at desc, correction_id
