-- title: 失分项明细（指标得分低于权重、评价部分得分低于分值）
-- params: years, regions, levels, units, projects, doc_types, limit, offset
-- grain: one row per indicator or section that lost points, most points lost first, rows $offset+1 to $offset+$limit (total_rows counts all)
with losses as (
    select
        '指标' as item_kind, project_id, doc_id, file, doc_name, region, year, project_name,
        coalesce(level2 || '·', '') || name as item,
        weight as max_score, score, line_start, line_end, snippet, weight - score as lost_points
    from mart_indicators
    where score < weight
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
    union all
    select
        '评价部分', project_id, doc_id, file, doc_name, region, year, project_name, section,
        max_score, score, line_start, line_end, snippet, max_score - score
    from mart_sections
    where score < max_score
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
counted as (
    select count(*) as total_rows from losses
),
page as (
    select * from losses
    order by lost_points desc, region, year, project_name, item
    limit $limit offset $offset
),
final as (
    select page.*, counted.total_rows from page, counted
)
select * from final
order by lost_points desc, region, year, project_name, item
