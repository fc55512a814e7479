-- title: 项目总得分分布（按 1 分一档，低于 60 分并为一档）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per one-point band of total score (as a share of its full marks) that has projects
with filtered as (
    select round(total_score / coalesce(nullif(total_weight, 0), 100) * 100, 6) as score_pct, doc_no
    from evaluated_projects($years, $regions, $levels, $units, $projects, $doc_types)    where total_score is not null
),
bands as (
    -- band_start 59 means below 60; 100 means full marks
    select greatest(least(floor(score_pct), 100), 59) as band_start, count(*) as projects
    from filtered
    group by 1
),
sources as (
    select count(distinct doc_no) as docs_total from filtered
),
final as (
    select bands.*, sources.docs_total from bands, sources
)
select * from final
order by band_start
