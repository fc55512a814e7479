-- title: 指标完成情况分类计数（超额完成/完成/未完成/定性/未评价），未完成最多的项目
-- params: years, regions, levels, units, projects, doc_types, limit
-- grain: one row per project×attainment class, for the $limit projects with the most 未完成 indicators (projects_total counts all)
with filtered as (
    select *
    from mart_indicators
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
per_project as (
    select
        project_id,
        count(*) filter (where attainment_zh = '未完成') as missed,
        count(*) as indicators
    from filtered
    group by project_id
),
chosen as (
    select project_id, count(*) over () as projects_total
    from per_project
    order by missed desc, indicators desc, project_id
    limit $limit
),
final as (
    select
        f.project_id,
        any_value(f.region) as region,
        any_value(f.year) as year,
        any_value(f.project_name) as project_name,
        any_value(f.file) as file,
        any_value(f.doc_name) as doc_name,
        f.attainment_zh,
        count(*) as indicators,
        any_value(c.projects_total) as projects_total
    from filtered f
    join chosen c using (project_id)
    group by f.project_id, f.attainment_zh
)
select * from final
order by region, year, project_name, project_id, attainment_zh
