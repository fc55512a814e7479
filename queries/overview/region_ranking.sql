-- title: 地区排名（加权执行率从低到高，附最低执行率项目与最大失分项）
-- params: years, regions, levels, units, projects, doc_types, pins, limit, top
-- grain: one row per region (the $limit lowest, the $top highest and the pinned ones; regions_total counts all)
with filtered as (
    select
        project_id, file, region, level_zh, year, kind, project_name,
        budget_wan, executed_wan, execution_rate_shown_pct, is_execution_disclosed, total_score
    from mart_projects
    where kind in ('evaluation', 'department')
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
-- per region×year: evaluated projects' money, else the department line (they overlap)
region_year as (
    select
        region,
        year,
        count(*) filter (where kind = 'evaluation') > 0 as has_projects,
        sum(budget_wan) filter (where kind = 'evaluation') as p_budget,
        sum(executed_wan) filter (where kind = 'evaluation') as p_executed,
        sum(budget_wan) filter (where kind = 'evaluation' and executed_wan is not null) as p_disclosed,
        sum(budget_wan) filter (where kind = 'department') as d_budget,
        sum(executed_wan) filter (where kind = 'department') as d_executed,
        sum(budget_wan) filter (where kind = 'department' and executed_wan is not null) as d_disclosed
    from filtered
    group by region, year
),
money as (
    select
        region,
        sum(case when has_projects then p_budget else d_budget end) as budget_wan,
        sum(case when has_projects then p_executed else d_executed end) as executed_wan,
        sum(case when has_projects then p_disclosed else d_disclosed end) as disclosed_budget_wan
    from region_year
    group by region
),
per_region as (
    select
        region,
        any_value(level_zh) as level_zh,
        count(*) filter (where kind = 'evaluation') as projects,
        count(*) filter (where kind = 'evaluation' and not is_execution_disclosed) as projects_undisclosed,
        round(avg(total_score) filter (where kind = 'evaluation'), 2) as avg_score,
        count(distinct file) as docs
    from filtered
    group by region
),
numbered as (
    select
        p.*,
        m.budget_wan,
        m.executed_wan,
        round(m.executed_wan / nullif(m.disclosed_budget_wan, 0) * 100, 2) as execution_rate_pct,
        row_number() over (order by round(m.executed_wan / nullif(m.disclosed_budget_wan, 0) * 100, 2)
                           asc nulls last, p.region) as rank,
        row_number() over (order by round(m.executed_wan / nullif(m.disclosed_budget_wan, 0) * 100, 2)
                           desc nulls last, p.region) as rank_desc,
        count(*) over () as regions_total,
        coalesce(list_contains($pins, p.region), false) as is_pinned
    from per_region p
    join money m using (region)
),
shown as (
    select * from numbered
    where rank <= coalesce($limit, rank) or rank_desc <= coalesce($top, 0) or is_pinned
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
        arg_min(year, execution_rate_shown_pct) as low_project_year
    from filtered
    where kind = 'evaluation' and region in (select region from shown)
    group by region
),
-- the largest single loss of points (indicator or evaluation section) per shown region
shown_projects as (
    select project_id, region, project_name from filtered where region in (select region from shown)
),
losses as (
    select p.region, p.project_name, s.section as item, s.max_score - s.score as lost_points
    from mart_sections s
    join shown_projects p using (project_id)
    where s.score < s.max_score
    union all
    select p.region, p.project_name, coalesce(i.level2 || '·', '') || i.name, i.weight - i.score
    from mart_indicators i
    join shown_projects p using (project_id)
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
        l.low_project_file, l.low_project_year,
        t.lost_item, t.lost_project, t.lost_item_points,
        s.docs, s.rank, s.rank_desc, s.regions_total, s.is_pinned
    from shown s
    left join low_project l using (region)
    left join top_loss t using (region)
)
select * from final
order by rank
