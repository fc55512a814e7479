-- title: 指标概况（指标数、量化率、各完成情况的个数）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row (the filtered total)
with grouped as (
    -- pre-aggregated when no unit or project is chosen, else from the indicators
    select region, indicators, quantified, exceeded, met, missed, qualitative, not_evaluated, projects, docs
    from agg_indicators
    where $units is null and $projects is null
      and ($years is null or list_contains($years, year))
      and ($regions is null or list_contains($regions, region))
      and ($levels is null or list_contains($levels, level_zh))
      and ($doc_types is null or list_contains($doc_types, doc_type_zh))
    union all
    select
        region,
        count(*),
        count(*) filter (where target_is_numeric),
        count(*) filter (where attainment_zh = '超额完成'),
        count(*) filter (where attainment_zh = '完成'),
        count(*) filter (where attainment_zh = '未完成'),
        count(*) filter (where attainment_zh = '定性'),
        count(*) filter (where attainment_zh = '未评价'),
        count(distinct project_no),
        count(distinct doc_no)
    from mart_indicators
    where ($units is not null or $projects is not null)
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
    group by region
),
final as (
    select
        coalesce(sum(indicators), 0)::bigint as indicators,
        coalesce(sum(quantified), 0)::bigint as quantified,
        round(sum(quantified) * 100.0 / nullif(sum(indicators), 0), 2) as quantified_pct,
        coalesce(sum(exceeded), 0)::bigint as exceeded,
        coalesce(sum(met), 0)::bigint as met,
        coalesce(sum(missed), 0)::bigint as missed,
        coalesce(sum(qualitative), 0)::bigint as qualitative,
        coalesce(sum(not_evaluated), 0)::bigint as not_evaluated,
        coalesce(sum(projects), 0)::bigint as projects,
        count(distinct region) as regions,
        coalesce(sum(docs), 0)::bigint as docs
    from grouped
)
select * from final
