-- title: 量化率（有数值目标的指标占比），量化率最低的地区×年度
-- params: years, regions, levels, units, projects, doc_types, pins, limit
-- grain: one row per region×year, the $limit lowest 量化率 plus pinned regions' (rows_total counts all)
with filtered as (
    select *
    from mart_indicators
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
grouped as (
    select
        region,
        year,
        count(*) as indicators,
        count(*) filter (where target_is_numeric) as quantified,
        round(count(*) filter (where target_is_numeric) * 100.0 / count(*), 2) as quantified_pct,
        count(distinct file) as docs
    from filtered
    group by region, year
),
numbered as (
    select
        *,
        row_number() over (order by quantified_pct, region, year) as rank,
        count(*) over () as rows_total,
        coalesce(list_contains($pins, region), false) as is_pinned
    from grouped
),
final as (
    select * from numbered where rank <= coalesce($limit, rank) or is_pinned
)
select * from final
order by rank
