-- title: 一个项目的指标（可更正的单元格，按表中顺序）
-- params: project_id
-- grain: one row per indicator of project $project_id, by its row number (seq)
with final as (
    select indicator_id, seq, level1, level2, name as indicator_name, target_raw, actual_raw, weight, score,
           line_start, line_end
    from indicators
    where project_id = $project_id
)
select * from final
order by seq
