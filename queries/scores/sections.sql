-- title: 各评价部分得分率（得分/分值）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per project×section
with projects as (
    select *
    from stg_projects
    where matches_filters(year, region, level_zh, unit, name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
-- section_scores has no stg_ view yet: take region and year from the project
sections as (
    select
        s.project_id, p.doc_id, p.file, p.region, p.year, p.name as project_name,
        s.section, s.max_score, s.score, s.line_start, s.line_end, s.snippet
    from section_scores s
    join projects p using (project_id)
),
final as (
    select
        *,
        case when max_score > 0 then round(score / max_score * 100, 2) end as score_rate_pct,
        max_score - score as lost_points
    from sections
)
select * from final
order by region, year, project_name, section
