-- title: 各评价部分得分率（得分/分值）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per project×section
with projects as (
    select *
    from stg_projects
    where ($years is null or list_contains($years, year))
      and ($regions is null or list_contains($regions, region))
      and ($levels is null or list_contains($levels, level_zh))
      and ($units is null or list_contains($units, unit))
      and ($projects is null or list_contains($projects, name))
      and ($doc_types is null or list_contains($doc_types, doc_type_zh))
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
