-- title: 指标完成情况分类计数，按二级指标
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per level-2 indicator×attainment class
with filtered as (
    select *
    from mart_indicators
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
grouped as (
    select
        coalesce(level1, '未分类') as level1,
        coalesce(level2, level1, '未分类') as level2,
        attainment_zh,
        count(*) as indicators
    from filtered
    group by all
),
sources as (
    select count(distinct doc_no) as docs_total from filtered
),
final as (
    select grouped.*, sources.docs_total from grouped, sources
)
select * from final
order by level1, level2, attainment_zh
