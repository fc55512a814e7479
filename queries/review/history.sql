-- title: 人工更正记录（一个文档或项目的更正与审核发现处理状态：谁、何时、原值、新值、原因、状态）
-- params: doc_id, project_id
-- grain: one row per active correction or finding status of document $doc_id (of project $project_id only, when given), newest first
with corrected as (
    select doc_id, correction_id, field, label_zh, project_id, project_name, indicator_id, indicator_name,
           extracted_value, new_value, status, status_zh, editor, made_at, reason
    from corrections_applied
    where doc_id = $doc_id
      and ($project_id is null or project_id = $project_id)
),
-- an editor's status of a finding changes no value: its 原值 is 未处理
statuses as (
    select d.doc_id, f.correction_id, 'finding_status' as field, '审核发现处理状态' as label_zh,
           p.project_id, f.project_name, null::varchar as indicator_id, null::varchar as indicator_name,
           finding_status(null) as extracted_value, f.status as new_value, f.outcome as status,
           case f.outcome when 'applied' then '已更正' else '找不到要更正的对象' end as status_zh,
           f.editor, f.made_at, f.reason
    from finding_statuses f
    join documents d on d.content_hash = f.doc_hash
    left join projects p on p.doc_id = d.doc_id and p.name = f.project_name
    where d.doc_id = $doc_id
      and ($project_id is null or p.project_id = $project_id)
),
final as (
    select * from corrected
    union all
    select * from statuses
)
select * from final
order by made_at desc, correction_id
