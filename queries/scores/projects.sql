-- title: 项目总得分与等级（得分最低的项目）
-- params: years, regions, levels, units, projects, doc_types, limit
-- grain: one row per evaluated project with a total score, the $limit lowest (projects_total counts all)
with filtered as (
    select *
    from evaluated_projects($years, $regions, $levels, $units, $projects, $doc_types)    where total_score is not null
),
final as (
    select
        project_id,
        doc_id,
        file,
        doc_name,
        region,
        year,
        unit,
        project_name,
        total_score,
        coalesce(total_weight, 100) as total_weight,
        score_rate_pct,
        grade_shown as grade,
        is_grade_derived,
        grade_as_written,
        count(*) over () as projects_total
    from filtered
)
select * from final
order by total_score / total_weight, region, year, project_name
limit $limit
