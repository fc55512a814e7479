-- title: 二级指标得分率（按项目），得分率最低的项目
-- params: years, regions, levels, units, projects, doc_types, limit
-- grain: one row per project×level-2 indicator, for the $limit projects with the lowest score rate (projects_total counts all)
with filtered as (
    select *
    from mart_indicators
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      -- only scored indicators have a score rate (targets are not scored yet)
      and weight > 0 and score is not null
),
chosen as (
    select project_id, count(*) over () as projects_total
    from filtered
    group by project_id
    order by sum(score) / sum(weight), project_id
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
        coalesce(f.level1, '未分类') as level1,
        coalesce(f.level2, f.level1, '未分类') as level2,
        count(*) as indicators,
        sum(f.weight) as weight,
        sum(f.score) as score,
        round(sum(f.score) / sum(f.weight) * 100, 2) as score_rate_pct,
        any_value(c.projects_total) as projects_total
    from filtered f
    join chosen c using (project_id)
    group by f.project_id, coalesce(f.level1, '未分类'), coalesce(f.level2, f.level1, '未分类')
)
select * from final
order by region, year, project_name, level1, level2
