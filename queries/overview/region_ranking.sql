-- title: 地区排名（加权执行率从低到高，附最低执行率项目与最大失分项）
-- params: years, regions, levels, units, projects, doc_types, pins, limit, top
-- grain: one row per region (the $limit lowest, the $top highest and the pinned ones; regions_total counts all)
with -- per region×year: evaluated projects' money, else the department's overall line
-- (they overlap: never add both); from the pre-aggregated table when no unit or
-- project is chosen, else from the projects themselves
region_year as (
    select * from projects_by_region_year($years, $regions, $levels, $units, $projects, $doc_types)
),
per_region as (
    select
        region,
        any_value(level_zh) as level_zh,
        sum(case when has_projects then p_budget else d_budget end) as budget_wan,
        sum(case when has_projects then p_executed else d_executed end) as executed_wan,
        sum(case when has_projects then p_disclosed else d_disclosed end) as disclosed_budget_wan,
        sum(projects)::bigint as projects,
        sum(projects_undisclosed)::bigint as projects_undisclosed,
        round(sum(score_sum) / nullif(sum(scored), 0), 2) as avg_score,
        sum(docs)::bigint as docs
    from region_year
    group by region
),
rated as (
    select *, round(executed_wan / nullif(disclosed_budget_wan, 0) * 100, 2) as execution_rate_pct
    from per_region
),
numbered as (
    select
        *,
        row_number() over (order by execution_rate_pct asc nulls last, region) as rank,
        row_number() over (order by execution_rate_pct desc nulls last, region) as rank_desc,
        count(*) over () as regions_total,
        coalesce(list_contains($pins, region), false) as is_pinned
    from rated
),
shown as (
    select * from numbered
    where rank <= coalesce($limit, rank) or rank_desc <= coalesce($top, 0) or is_pinned
),
-- the shown regions' projects, for why they rank where they do
filtered as (
    select project_no, project_id, file, region, year, kind, project_name, budget_wan, executed_wan, execution_rate_shown_pct
    from evaluated_projects($years, $regions, $levels, $units, $projects, $doc_types)
    where region in (select region from shown)
),
-- the project that spent least of its budget: the first answer to "why"
low_project as (
    select
        region,
        arg_min(project_name, execution_rate_shown_pct) as low_project,
        min(execution_rate_shown_pct) as low_project_rate_pct,
        arg_min(budget_wan, execution_rate_shown_pct) as low_project_budget_wan,
        arg_min(executed_wan, execution_rate_shown_pct) as low_project_executed_wan,
        arg_min(file, execution_rate_shown_pct) as low_project_file,
        arg_min(year, execution_rate_shown_pct) as low_project_year,
        arg_min(project_id, execution_rate_shown_pct) as low_project_id
    from filtered
    group by region
),
-- the largest single loss of points (indicator or evaluation section) per shown region
shown_projects as (
    select project_no, region, project_name from filtered
),
losses as (
    select p.region, p.project_name, s.section as item, s.max_score - s.score as lost_points
    from mart_sections s
    join shown_projects p using (project_no)
    where s.score < s.max_score
    union all
    select p.region, p.project_name, coalesce(i.level2 || '·', '') || i.name, i.weight - i.score
    from mart_indicators i
    join shown_projects p using (project_no)
    where i.score < i.weight
),
top_loss as (
    select
        region,
        arg_max(item, lost_points) as lost_item,
        arg_max(project_name, lost_points) as lost_project,
        max(lost_points) as lost_item_points
    from losses
    group by region
),
final as (
    select
        s.region, s.level_zh, s.budget_wan, s.executed_wan, s.execution_rate_pct, s.avg_score,
        s.projects, s.projects_undisclosed,
        l.low_project, l.low_project_rate_pct, l.low_project_budget_wan, l.low_project_executed_wan,
        l.low_project_file, l.low_project_year, l.low_project_id,
        t.lost_item, t.lost_project, t.lost_item_points,
        s.docs, s.rank, s.rank_desc, s.regions_total, s.is_pinned
    from shown s
    left join low_project l using (region)
    left join top_loss t using (region)
)
select * from final
order by rank
