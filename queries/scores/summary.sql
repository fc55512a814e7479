-- title: 评价得分概况（评分项目数、平均分、各等级项目数）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row (the filtered total)
with filtered as (
    select *
    from evaluated_projects($years, $regions, $levels, $units, $projects, $doc_types)
),
final as (
    select
        count(*) as projects,
        count(total_score) as projects_scored,
        round(avg(total_score), 2) as avg_score,
        min(total_score) as min_score,
        count(*) filter (where grade_shown = '优') as grade_excellent,
        count(*) filter (where grade_shown = '良') as grade_good,
        count(*) filter (where grade_shown = '中') as grade_fair,
        count(*) filter (where grade_shown = '差') as grade_poor,
        count(*) filter (where is_grade_derived) as grades_derived,
        count(distinct region) as regions,
        count(distinct doc_no) as docs
    from filtered
)
select * from final
