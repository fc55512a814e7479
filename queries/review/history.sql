-- title: 人工更正记录（一个文档或项目的更正：谁、何时、原值、新值、原因、状态）
-- params: doc_id, project_id
-- grain: one row per active correction of document $doc_id (of project $project_id only, when given), newest first
with final as (
    select doc_id, correction_id, field, label_zh, project_id, project_name, indicator_id, indicator_name,
           extracted_value, new_value, status, status_zh, editor, made_at, reason
    from corrections_applied
    where doc_id = $doc_id
      and ($project_id is null or project_id = $project_id)
)
select * from final
order by made_at desc, correction_id
