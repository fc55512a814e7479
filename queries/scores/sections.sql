-- title: 各评价部分得分率（得分/分值），按项目（$by_project，得分率最低的 $limit 个）或按部分汇总
-- params: years, regions, levels, units, projects, doc_types, by_project, limit
-- grain: one row per project×section (when $by_project) or per section
with sections as (
    select project_id, project_no, doc_id, file, doc_name, region, year, project_name, section, max_score, score,
           line_start, line_end
    from mart_sections
    where max_score > 0
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
counted as (
    -- the documents too: an aggregated chart names its sources (never 「来源：无」)
    select count(distinct project_no) as projects_total, count(distinct doc_id) as docs_total from sections
),
-- the projects with the lowest section score rate, only when drawn per project
per_project as (
    select project_no, sum(score) / sum(max_score) as rate
    from sections
    where coalesce($by_project, true)
    group by project_no
),
chosen as (
    select project_no from per_project
    order by rate, project_no
    limit $limit
),
by_project as (
    select
        s.project_id, s.file, s.doc_name, s.region, s.year, s.project_name, s.section,
        s.max_score, s.score, round(s.score / s.max_score * 100, 2) as score_rate_pct,
        s.max_score - s.score as lost_points, s.line_start, s.line_end,
        1 as projects, counted.projects_total, counted.docs_total
    from sections s
    semi join chosen using (project_no)
    cross join counted
),
-- every project's sections summed per section: pre-aggregated when no unit or
-- project is chosen
section_sums as (
    select section, max_score, score, projects
    from agg_sections
    where not coalesce($by_project, true)
      and $units is null and $projects is null
      and ($years is null or list_contains($years, year))
      and ($regions is null or list_contains($regions, region))
      and ($levels is null or list_contains($levels, level_zh))
      and ($doc_types is null or list_contains($doc_types, doc_type_zh))
    union all
    select section, sum(max_score), sum(score), count(distinct project_no)
    from sections
    where not coalesce($by_project, true)
      and ($units is not null or $projects is not null)
    group by section
),
by_section as (
    select
        null as project_id, null as file, null as doc_name, '全部项目' as region, null as year, '全部项目' as project_name,
        section, sum(max_score) as max_score, sum(score) as score,
        round(sum(score) / sum(max_score) * 100, 2) as score_rate_pct,
        sum(max_score) - sum(score) as lost_points, null as line_start, null as line_end,
        sum(projects)::bigint as projects,
        any_value(counted.projects_total) as projects_total, any_value(counted.docs_total) as docs_total
    from section_sums
    cross join counted
    group by section
),
final as (
    select * from by_project
    union all
    select * from by_section
)
select * from final
order by score_rate_pct, region, year, project_name, section
