-- title: 一个待核对条目：文档的可更正字段，以及（若有）项目的可更正数值
-- params: doc_id, project_id
-- grain: one row: the document $doc_id and its project $project_id (project columns NULL when $project_id is NULL); none when the document is gone
-- Values as stored (the reported unit name as written, not its short form), since
-- a correction names the value it replaces.
with doc as (
    select d.doc_id, d.content_hash, d.file, d.fmt, d.region, d.unit, d.year, d.year_is_explicit, d.year_evidence, d.year_line,
           d.line_count, coalesce(d.is_excluded, false) as is_excluded, m.doc_name
    from documents d
    left join mart_documents m using (doc_id)
    where d.doc_id = $doc_id
),
project as (
    select project_id, doc_id, seq, name as project_name, kind, budget_initial_wan, budget_adjusted_wan,
           executed_wan, execution_rate_pct, budget_weight, budget_score, total_score, total_weight, grade,
           grade_derived, has_indicator_table, line_start, line_end
    from projects
    where project_id = $project_id
),
final as (
    select doc.*, project.* exclude (doc_id)
    from doc
    left join project using (doc_id)
)
select * from final
