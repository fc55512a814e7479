-- title: 项目总得分与等级
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per evaluated project
with filtered as (
    select *
    from stg_projects
    where matches_filters(year, region, level_zh, unit, name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      and kind = 'evaluation'
),
final as (
    select
        project_id,
        doc_id,
        file,
        region,
        year,
        unit,
        name as project_name,
        total_score,
        coalesce(total_weight, 100) as total_weight,
        score_rate_pct,
        grade_shown as grade,
        is_grade_derived,
        grade_as_written
    from filtered
)
select * from final
order by region, year, total_score desc nulls last
