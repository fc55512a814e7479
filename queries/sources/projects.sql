-- title: 文档中的项目（含金额、得分与所在行）
-- params: doc
-- grain: one row per project of the document (doc = file name)
with final as (
    select
        project_id,
        doc_id,
        file,
        doc_name,
        region,
        year,
        unit,
        seq,
        name as project_name,
        kind,
        doc_type_zh,
        code,
        budget_wan,
        executed_wan,
        execution_rate_shown_pct as execution_rate_pct,
        -- the rate as the report states it, said beside the one shown when they differ
        execution_rate_pct as execution_rate_stated_pct,
        is_execution_rate_computed,
        is_execution_disclosed,
        total_score,
        grade_shown as grade,
        is_grade_derived,
        funding_source,
        line_start,
        line_end,
        -- the fields a person corrected (issue 12), marked ✎ on the figures
        coalesce((select list(distinct c.field order by c.field) from corrections_applied c
                  where c.project_id = mart_projects.project_id and c.status = 'applied'), []) as corrected_fields
    from mart_projects
    where file = $doc
)
select * from final
order by seq
