-- title: 得分最低的项目及其最大失分项（只列未得满分的项目）
-- params: years, regions, levels, units, projects, doc_types, limit
-- grain: one row per evaluated project scored below full marks, the $limit lowest (projects_total counts them all)
with filtered as (
    select
        project_id, project_no, file, doc_name, region, year, project_name, total_score, total_weight, grade_shown,
        is_grade_derived
    from evaluated_projects($years, $regions, $levels, $units, $projects, $doc_types)    where total_score is not null
      and total_score < coalesce(nullif(total_weight, 0), 100)
),
counted as (
    select count(*) as projects_total from filtered
),
lowest as (
    select filtered.*, counted.projects_total
    from filtered, counted
    order by total_score / coalesce(nullif(total_weight, 0), 100), region, project_name, project_id
    limit $limit
),
losses as (
    select s.project_no, s.section as item, s.max_score - s.score as lost_points, s.line_start, s.line_end
    from mart_sections s semi join lowest using (project_no)
    where s.score < s.max_score
    union all
    select i.project_no, coalesce(i.level2 || '·', '') || i.name, i.weight - i.score, i.line_start, i.line_end
    from mart_indicators i semi join lowest using (project_no)
    where i.score < i.weight
),
top_loss as (
    select
        project_no,
        arg_max(item, lost_points) as lost_item,
        max(lost_points) as lost_item_points,
        arg_max(line_start, lost_points) as lost_line_start,
        count(*) as lost_items
    from losses
    group by project_no
),
final as (
    select
        l.project_id,
        l.file,
        l.doc_name,
        l.region,
        l.year,
        l.project_name,
        l.total_score,
        coalesce(l.total_weight, 100) as total_weight,
        l.grade_shown as grade,
        l.is_grade_derived,
        t.lost_item,
        t.lost_item_points,
        t.lost_line_start,
        coalesce(t.lost_items, 0) as lost_items,
        l.projects_total
    from lowest l
    left join top_loss t using (project_no)
)
select * from final
order by total_score / total_weight, region, project_name
