-- title: 评价等级分布（优/良/中/差）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per region×grade
with filtered as (
    select *
    from stg_projects
    where matches_filters(year, region, level_zh, unit, name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      and kind = 'evaluation'
      and grade_shown is not null
),
final as (
    select
        region,
        grade_shown as grade,
        count(*) as projects,
        count(*) filter (where is_grade_derived) as projects_derived,
        list(distinct file order by file) as files
    from filtered
    group by region, grade_shown
)
select * from final
order by region, case grade when '优' then 1 when '良' then 2 when '中' then 3 when '差' then 4 else 5 end
