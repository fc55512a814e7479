-- title: 执行率分布（每 5 个百分点一档；恰为 100% 单列；低于 50%、105% 及以上各并为一档）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per 5-point band of execution rate that has projects
with filtered as (
    select execution_rate_shown_pct as rate, doc_no
    from evaluated_projects($years, $regions, $levels, $units, $projects, $doc_types)    where execution_rate_shown_pct is not null
),
banded as (
    -- band_start: 45 means below 50%; 85 means [85, 90); 100 means exactly 100%;
    -- 101 means above 100 and below 105; 105 means 105% and above
    select case
            when rate = 100 then 100
            when rate > 100 and rate < 105 then 101
            else least(greatest(floor(rate / 5) * 5, 45), 105)
        end as band_start
    from filtered
),
bands as (
    select band_start, count(*) as projects
    from banded
    group by band_start
),
sources as (
    select count(distinct doc_no) as docs_total from filtered
),
final as (
    select bands.*, sources.docs_total from bands, sources
)
select * from final
order by band_start
