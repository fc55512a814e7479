-- grain: project_id, passage_no
create or replace table mart_passages as
select
    x.project_id, x.doc_id, x.passage_no, x.kind,
    case x.kind when 'problem' then '存在的问题' when 'reason' then '原因' else '改进措施' end as kind_zh,
    x.label, x.text, x.line_start, x.line_end, x.snippet,
    p.file, p.doc_name, p.doc_no, p.project_no, p.region, p.level_zh, p.year, p.unit, p.project_name,
    p.doc_type_zh, p.kind as project_kind
from passages x
join mart_projects p using (project_id);
