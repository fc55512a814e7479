-- title: 失分项（指标得分低于权重、评价部分得分低于分值）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per indicator or section that lost points
with projects as (
    select *
    from stg_projects
    where matches_filters(year, region, level_zh, unit, name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
indicators as (
    select
        '指标' as item_kind, i.project_id, i.doc_id, i.file, i.region, i.year, i.project_name,
        coalesce(i.level2 || '·', '') || i.name as item,
        i.weight as max_score, i.score, i.line_start, i.line_end, i.snippet
    from stg_indicators i
    semi join projects using (project_id)
    where i.score < i.weight
),
-- section_scores has no stg_ view yet: take region and year from the project
sections as (
    select
        '评价部分' as item_kind, s.project_id, p.doc_id, p.file, p.region, p.year, p.name as project_name,
        s.section as item,
        s.max_score, s.score, s.line_start, s.line_end, s.snippet
    from section_scores s
    join projects p using (project_id)
    where s.score < s.max_score
),
final as (
    select *, max_score - score as lost_points from indicators
    union all
    select *, max_score - score as lost_points from sections
)
select * from final
order by lost_points desc, region, year, project_name, item
