-- title: 项目在报告中的文字说明（存在的问题、原因、改进措施）及所在行
-- params: doc, project
-- grain: one row per passage of the project $project of document $doc (file name), in the report's order
with final as (
    select
        project_id, file, project_name, kind, kind_zh, label, text, line_start, line_end, passage_no
    from mart_passages
    where file = $doc
      and project_name = $project
)
select * from final
order by passage_no, kind
