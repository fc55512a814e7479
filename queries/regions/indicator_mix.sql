-- title: 指标结构（一级、二级指标占比），按地区和年度（$by_region）或按年度合计
-- params: years, regions, levels, units, projects, doc_types, by_region
-- grain: one row per (region×)year×level-1×level-2 indicator
with filtered as (
    select *
    from mart_indicators
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
counted as (
    select
        case when coalesce($by_region, true) then region else '全部地区' end as region,
        year,
        coalesce(level1, '未分类') as level1,
        coalesce(level2, '未分类') as level2,
        count(*) as indicators
    from filtered
    group by all
),
sources as (
    select count(distinct doc_no) as docs_total from filtered
),
final as (
    select
        counted.*,
        round(indicators * 100.0 / sum(indicators) over (partition by region, year), 2) as share_pct,
        round(sum(indicators) over (partition by region, year, level1) * 100.0
              / sum(indicators) over (partition by region, year), 2) as level1_share_pct,
        sources.docs_total
    from counted, sources
)
select * from final
order by region, year, level1, level2
