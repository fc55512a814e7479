-- title: 绩效指标明细（目标值、实际值、权重、得分、完成情况）
-- params: years, regions, levels, units, projects, doc_types, attainments, sort, descending, limit, offset
-- grain: one row per indicator, sorted by $sort (default 地区、年度、项目、序号), rows $offset+1 to $offset+$limit (total_rows counts all)
with filtered as (
    select
        indicator_id, project_id, doc_id, file, doc_name, region, year, doc_type_zh, project_name, seq,
        level1, level2, name as indicator_name, target_raw, actual_raw, weight, score, score_rate_pct,
        attainment_zh, target_is_numeric, deviation_reason, line_start, line_end, ord,
        case $sort
            when 'score_rate_pct' then score_rate_pct
            when 'weight' then weight
            when 'score' then score
        end as sort_key
    from mart_indicators
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      and ($attainments is null or list_contains($attainments, attainment_zh))
),
counted as (
    select count(*) as total_rows from filtered
),
page as (
    select * from filtered
    order by case when coalesce($descending, false) then -sort_key else sort_key end asc nulls last, ord
    limit $limit offset $offset
),
final as (
    select page.*, counted.total_rows from page, counted
)
select * from final
order by case when coalesce($descending, false) then -sort_key else sort_key end asc nulls last, ord
