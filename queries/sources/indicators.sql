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
        snippet,
        exists (select 1 from corrections_applied c
                where c.indicator_id = mart_indicators.indicator_id and c.status = 'applied') as is_corrected
    from mart_indicators
    where file = $doc and project_name = $project
)
select * from final
order by seq
