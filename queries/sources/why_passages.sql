-- title: 报告自己说明的原因：每个项目的第一段「原因」或「存在的问题」（总览「需要关注」与会议材料备注）
-- params: project_ids
-- grain: one row per project of $project_ids whose report explains itself (a reason first, else a problem)
with why as (
    -- 改进措施 says what comes next, not why: left out here (数据来源 shows it)
    select
        project_id, file, doc_name, project_name, kind, kind_zh, label, text, line_start, line_end, passage_no
    from mart_passages
    where list_contains($project_ids, project_id)
      and kind in ('reason', 'problem')
),
ranked as (
    select
        *,
        row_number() over (
            partition by project_id order by case kind when 'reason' then 0 else 1 end, passage_no
        ) as pick
    from why
),
final as (
    select project_id, file, doc_name, project_name, kind_zh, label, text, line_start, line_end
    from ranked
    where pick = 1
)
select * from final
order by project_id
