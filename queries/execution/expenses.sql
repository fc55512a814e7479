-- title: 支出明细（万元），按项目
-- params: years, regions, levels, units, projects, doc_types, limit
-- grain: one row per expense item of the $limit projects with the largest itemized amounts (projects_total counts all)
with filtered as (
    select project_id, doc_id, file, doc_name, region, year, project_name, budget_wan, item, amount_wan,
           amount_raw, line_start, line_end
    from mart_expenses
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
itemized as (
    select project_id, sum(amount_wan) as itemized_wan, any_value(region) as region,
           any_value(project_name) as project_name
    from filtered
    group by project_id
),
counted as (
    select count(*) as projects_total from itemized
),
chosen as (
    select project_id from itemized
    order by itemized_wan desc nulls last, region, project_name, project_id
    limit $limit
),
final as (
    select f.*, counted.projects_total
    from filtered f
    semi join chosen using (project_id)
    cross join counted
)
select * from final
order by region, year, project_name, amount_wan desc
