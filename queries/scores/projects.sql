-- title: 项目总得分与等级
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per evaluated project
with filtered as (
    select *
    from stg_projects
    where ($years is null or list_contains($years, year))
      and ($regions is null or list_contains($regions, region))
      and ($levels is null or list_contains($levels, level_zh))
      and ($units is null or list_contains($units, unit))
      and ($projects is null or list_contains($projects, name))
      and ($doc_types is null or list_contains($doc_types, doc_type_zh))
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
        grade,
        -- NULL when the grade was derived from the score band, not written
        grade_as_written
    from filtered
)
select * from final
order by region, year, total_score desc nulls last
