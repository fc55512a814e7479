-- title: 支出进度计划的分布（各时点计划累计支出进度：加权平均与四分位）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per plan date
with plans as (
    select by_date, share_pct, budget_wan, project_no, doc_no
    from mart_plans
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
summary as (
    select
        by_date,
        count(distinct project_no) as projects,
        round(sum(share_pct * budget_wan) / nullif(sum(budget_wan) filter (where share_pct is not null), 0), 2)
            as weighted_share_pct,
        min(share_pct) as min_share_pct,
        quantile_cont(share_pct, 0.25) as p25_share_pct,
        median(share_pct) as median_share_pct,
        quantile_cont(share_pct, 0.75) as p75_share_pct,
        max(share_pct) as max_share_pct
    from plans
    group by by_date
),
sources as (
    select count(distinct doc_no) as docs_total from plans
),
final as (
    select summary.*, sources.docs_total from summary, sources
)
select * from final
order by by_date
