-- title: 二级指标得分率（按地区），得分率最低的地区
-- params: years, regions, levels, units, projects, doc_types, pins, limit
-- grain: one row per region×level-2 indicator, for the $limit regions with the lowest score rate plus pinned ones (regions_total counts all)
with filtered as (
    select *
    from mart_indicators
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      and weight > 0 and score is not null
),
ranked as (
    select
        region,
        row_number() over (order by sum(score) / sum(weight), region) as rank,
        count(*) over () as regions_total,
        coalesce(list_contains($pins, region), false) as is_pinned
    from filtered
    group by region
),
chosen as (
    select * from ranked where rank <= coalesce($limit, rank) or is_pinned
),
grouped as (
    select
        f.region,
        coalesce(f.level1, '未分类') as level1,
        coalesce(f.level2, f.level1, '未分类') as level2,
        count(*) as indicators,
        sum(f.weight) as weight,
        sum(f.score) as score,
        round(sum(f.score) / sum(f.weight) * 100, 2) as score_rate_pct
    from filtered f
    semi join chosen c using (region)
    group by all
),
sources as (
    select count(distinct doc_no) as docs_total from filtered semi join chosen using (region)
),
final as (
    select g.*, c.rank, c.regions_total, c.is_pinned, s.docs_total
    from grouped g
    join chosen c using (region)
    cross join sources s
)
select * from final
order by rank, level1, level2
