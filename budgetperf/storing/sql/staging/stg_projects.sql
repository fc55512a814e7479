-- grain: project_id
-- One row per project (evaluation, target or department) with its document's
-- region, level and year.
create or replace view stg_projects as
with joined as (
    select
        p.*,
        d.file,
        -- A report whose region is not in regions.csv still shows, under 地区未知
        -- (and the audit says to add the region).
        coalesce(d.region, '地区未知') as region,
        coalesce(d.region_level, r.level) as region_level,
        d.city,
        d.province,
        -- Grouped and shown by the short form; the name as written stays beside it.
        coalesce(d.unit_short, d.unit) as unit,
        d.unit as unit_as_written,
        d.year,
        d.year_is_explicit,
        d.doc_kinds,
        -- The budget an execution rate is measured against: adjusted if stated.
        coalesce(p.budget_adjusted_wan, p.budget_initial_wan) as budget_wan,
        case p.kind when 'target' then '目标' else '评价' end as doc_type_zh,
        case d.region_level
            when 'county' then '县' when 'district' then '区' when 'city' then '市'
            when 'province' then '省' else '未知' end as level_zh
    from projects p
    join documents d using (doc_id)
    left join regions r on r.region = d.region
),
final as (
    select
        *,
        executed_wan is not null or execution_rate_pct is not null as is_execution_disclosed,
        case when budget_wan > 0 and executed_wan is not null
             then round(executed_wan / budget_wan * 100, 2) end as execution_rate_computed_pct,
        case when total_weight > 0 and total_score is not null
             then round(total_score / total_weight * 100, 2) end as score_rate_pct,
        -- The grade to show: as stated, else the band of the total (shown as derived).
        coalesce(grade, grade_derived) as grade_shown,
        grade is null and grade_derived is not null as is_grade_derived
    from joined
)
select * from final;
