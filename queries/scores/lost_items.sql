-- title: 失分最多的条目（按指标或评价部分名称汇总：失分合计、涉及项目数）
-- params: years, regions, levels, units, projects, doc_types, limit
-- grain: one row per item name (indicator or section) that lost points, the $limit with the most points lost (items_total counts all)
with losses as (
    select '指标' as item_kind, coalesce(level2 || '·', '') || name as item, project_id, project_no, file, doc_no, doc_name,
           weight - score as lost_points, weight as max_score, score, region, year, project_name,
           line_start, line_end
    from mart_indicators
    where score < weight
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
    union all
    select '评价部分', section, project_id, project_no, file, doc_no, doc_name, max_score - score, max_score, score,
           region, year, project_name, line_start, line_end
    from mart_sections
    where score < max_score
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
grouped as (
    select
        item_kind,
        item,
        sum(lost_points) as lost_points,
        count(distinct project_no) as projects,
        round(avg(lost_points), 2) as avg_lost_points,
        -- one example to open: the project that lost most on it
        arg_max(project_name, lost_points) as example_project,
        arg_max(file, lost_points) as example_file,
        arg_max(doc_name, lost_points) as example_doc_name,
        arg_max(region, lost_points) as example_region,
        arg_max(year, lost_points) as example_year,
        arg_max(line_start, lost_points) as example_line_start,
        arg_max(score, lost_points) as example_score,
        arg_max(max_score, lost_points) as example_max_score
    from losses
    group by item_kind, item
),
sources as (
    select count(distinct doc_no) as docs_total, count(*) as losses from losses
),
counted as (
    select count(*) as items_total from grouped
),
top_items as (
    select * from grouped
    order by lost_points desc, projects desc, item
    limit $limit
),
final as (
    select
        top_items.*,
        row_number() over (order by lost_points desc, projects desc, item) as rank,
        counted.items_total,
        sources.docs_total
    from top_items, counted, sources
)
select * from final
order by rank
