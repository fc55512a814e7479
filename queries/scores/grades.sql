-- title: 评价等级分布（优/良/中/差），按地区（$by_region）或合计
-- params: years, regions, levels, units, projects, doc_types, by_region
-- grain: one row per grade (and per region when $by_region)
with filtered as (
    select *
    from evaluated_projects($years, $regions, $levels, $units, $projects, $doc_types)    where grade_shown is not null
),
sources as (
    select count(distinct doc_no) as docs_total from filtered
),
grouped as (
    select
        case when coalesce($by_region, false) then region else '全部地区' end as region,
        grade_shown as grade,
        count(*) as projects,
        count(*) filter (where is_grade_derived) as projects_derived,
        count(distinct doc_no) as docs
    from filtered
    group by 1, 2
),
final as (
    select grouped.*, sources.docs_total from grouped, sources
)
select * from final
order by region, case grade when '优' then 1 when '良' then 2 when '中' then 3 when '差' then 4 else 5 end
