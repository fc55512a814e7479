-- title: 量化率（有数值目标的指标占比），量化率最低的地区×年度
-- params: years, regions, levels, units, projects, doc_types, pins, limit
-- grain: one row per region×year, the $limit lowest 量化率 plus pinned regions' (rows_total counts all)
with grouped_ry as (
    select * from indicators_by_region_year($years, $regions, $levels, $units, $projects, $doc_types)
),
grouped as (
    select
        region,
        year,
        indicators::bigint as indicators,
        quantified::bigint as quantified,
        round(quantified * 100.0 / indicators, 2) as quantified_pct,
        docs::bigint as docs
    from grouped_ry
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
