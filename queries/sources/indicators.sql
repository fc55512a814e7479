-- title: 项目的指标及出处（行号、摘录）
-- params: doc, project
-- grain: one row per indicator of the chosen project
with final as (
    select
        indicator_id,
        project_id,
        seq,
        level1,
        level2,
        name as indicator_name,
        target_raw,
        actual_raw,
        weight,
        score,
        attainment_zh,
        line_start,
        line_end,
        snippet
    from mart_indicators
    where file = $doc and project_name = $project
)
select * from final
order by seq
