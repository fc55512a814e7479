-- grain: indicator_id
-- One row per indicator with its project's context and an attainment class.
create or replace view stg_indicators as
with joined as (
    select
        i.*,
        p.name as project_name,
        p.kind as project_kind,
        p.region,
        p.region_level,
        p.level_zh,
        p.unit,
        p.year,
        p.doc_type_zh,
        p.file
    from indicators i
    join stg_projects p using (project_id)
),
final as (
    select
        *,
        case when weight > 0 and score is not null then round(score / weight * 100, 2) end as score_rate_pct,
        case
            when actual_raw is null then '未评价'
            when not coalesce(target_is_numeric, false) or not coalesce(actual_is_numeric, false)
                 or coalesce(target_unit, '') <> coalesce(actual_unit, '') then '定性'
            when target_comparator in ('≤', '<') and actual_value <= target_value then '完成'
            when target_comparator in ('≤', '<') then '未完成'
            when actual_value > target_value then '超额完成'
            when actual_value = target_value then '完成'
            else '未完成'
        end as attainment_zh
    from joined
)
select * from final;
