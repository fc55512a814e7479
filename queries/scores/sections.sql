-- title: 各评价部分得分率（得分/分值），按项目（$by_project，得分率最低的 $limit 个）或按部分汇总
-- params: years, regions, levels, units, projects, doc_types, by_project, limit
-- grain: one row per project×section (when $by_project) or per section
with sections as (
    select project_id, doc_id, file, doc_name, region, year, project_name, section, max_score, score, line_start, line_end
    from mart_sections
    where max_score > 0
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
per_project as (
    select project_id, sum(score) / sum(max_score) as rate from sections group by project_id
),
counted as (
    select count(*) as projects_total from per_project
),
chosen as (
    select project_id from per_project
    where coalesce($by_project, true)
    order by rate, project_id
    limit $limit
),
by_project as (
    select
        s.project_id, s.file, s.doc_name, s.region, s.year, s.project_name, s.section,
        s.max_score, s.score, round(s.score / s.max_score * 100, 2) as score_rate_pct,
        s.max_score - s.score as lost_points, s.line_start, s.line_end,
        1 as projects, counted.projects_total
    from sections s
    semi join chosen using (project_id)
    cross join counted
),
by_section as (
    select
        null as project_id, null as file, null as doc_name, '全部项目' as region, null as year, '全部项目' as project_name,
        section, sum(max_score) as max_score, sum(score) as score,
        round(sum(score) / sum(max_score) * 100, 2) as score_rate_pct,
        sum(max_score) - sum(score) as lost_points, null as line_start, null as line_end,
        count(distinct project_id) as projects,
        any_value(counted.projects_total) as projects_total
    from sections, counted
    where not coalesce($by_project, true)
    group by section
),
final as (
    select * from by_project
    union all
    select * from by_section
)
select * from final
order by score_rate_pct, region, year, project_name, section
