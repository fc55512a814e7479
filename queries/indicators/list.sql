-- title: 绩效指标明细（目标值、实际值、权重、得分、完成情况）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per indicator
with filtered as (
    select *
    from stg_indicators
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
final as (
    select
        indicator_id,
        project_id,
        doc_id,
        file,
        region,
        year,
        doc_type_zh,
        project_name,
        seq,
        level1,
        level2,
        name as indicator_name,
        target_raw,
        actual_raw,
        weight,
        score,
        score_rate_pct,
        attainment_zh,
        target_is_numeric,
        deviation_reason,
        line_start,
        line_end
    from filtered
)
select * from final
order by region, year, project_name, seq
