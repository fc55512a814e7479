-- title: 预算执行概况（项目数、未披露、低于警戒线、超预算执行）
-- params: years, regions, levels, units, projects, doc_types, warning_pct
-- grain: one row (the filtered total)
with filtered as (
    select *
    from evaluated_projects($years, $regions, $levels, $units, $projects, $doc_types)
),
final as (
    select
        count(*) as projects,
        count(*) filter (where not is_execution_disclosed) as projects_undisclosed,
        count(*) filter (where execution_rate_shown_pct < $warning_pct) as projects_below_warning,
        count(*) filter (where execution_rate_shown_pct > 100) as projects_over_budget,
        count(distinct region) as regions,
        count(distinct doc_no) as docs,
        sum(budget_wan) as budget_wan,
        sum(executed_wan) as executed_wan,
        round(sum(executed_wan) / nullif(sum(budget_wan) filter (where executed_wan is not null), 0) * 100, 2)
            as execution_rate_pct
    from filtered
)
select * from final
