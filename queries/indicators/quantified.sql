-- title: 量化率（有数值目标的指标占比），量化率最低的地区×年度
-- params: years, regions, levels, units, projects, doc_types, pins, limit
-- grain: one row per region×year, the $limit lowest 量化率 plus pinned regions' (rows_total counts all)
with grouped_ry as (
    select region, year, sum(indicators) as indicators, sum(quantified) as quantified, sum(docs) as docs
    from agg_indicators
    where $units is null and $projects is null
      and ($years is null or list_contains($years, year))
      and ($regions is null or list_contains($regions, region))
      and ($levels is null or list_contains($levels, level_zh))
      and ($doc_types is null or list_contains($doc_types, doc_type_zh))
    group by region, year
    union all
    select region, year, count(*), count(*) filter (where target_is_numeric), count(distinct doc_no)
    from mart_indicators
    where ($units is not null or $projects is not null)
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
    group by region, year
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
