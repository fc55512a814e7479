-- title: 绩效指标明细（目标值、实际值、权重、得分、完成情况）
-- params: years, regions, levels, units, projects, doc_types, attainments, sort, descending, limit, offset
-- grain: one row per indicator, sorted by $sort (default 地区、年度、项目、序号), rows $offset+1 to $offset+$limit (total_rows counts all)
with filtered as (
    -- only the sort keys: a page is chosen on narrow rows, then its columns fetched
    select
        ord,
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
    select ord, sort_key from filtered
    order by case when coalesce($descending, false) then -sort_key else sort_key end asc nulls last, ord
    limit $limit offset $offset
),
final as (
    select
        i.indicator_id, i.project_id, i.doc_id, i.file, i.doc_name, i.region, i.year, i.doc_type_zh,
        i.project_name, i.seq, i.level1, i.level2, i.name as indicator_name, i.target_raw, i.actual_raw,
        i.weight, i.score, i.score_rate_pct, i.attainment_zh, i.target_is_numeric, i.deviation_reason,
        i.line_start, i.line_end, i.ord, page.sort_key,
        -- a person corrected a cell of this indicator (issue 12): marked ✎ in the table
        exists (select 1 from corrections_applied c
                where c.indicator_id = i.indicator_id and c.status = 'applied') as is_corrected,
        counted.total_rows
    from page
    join mart_indicators i using (ord)
    cross join counted
)
select * from final
order by case when coalesce($descending, false) then -sort_key else sort_key end asc nulls last, ord
