-- title: 指标概况（指标数、量化率、各完成情况的个数）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row (the filtered total)
with filtered as (
    select *
    from mart_indicators
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
final as (
    select
        count(*) as indicators,
        count(*) filter (where target_is_numeric) as quantified,
        round(count(*) filter (where target_is_numeric) * 100.0 / nullif(count(*), 0), 2) as quantified_pct,
        count(*) filter (where attainment_zh = '超额完成') as exceeded,
        count(*) filter (where attainment_zh = '完成') as met,
        count(*) filter (where attainment_zh = '未完成') as missed,
        count(*) filter (where attainment_zh = '定性') as qualitative,
        count(*) filter (where attainment_zh = '未评价') as not_evaluated,
        count(distinct project_id) as projects,
        count(distinct region) as regions,
        count(distinct file) as docs
    from filtered
)
select * from final
