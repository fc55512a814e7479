-- grain: check_id
-- One row per audit finding, with the filter columns of its document and project.
create or replace table mart_checks as
with final as (
    select
        c.*,
        d.doc_name,
        d.doc_no,
        d.level_zh,
        d.doc_types_zh,
        p.kind as project_kind,
        case c.severity when 'error' then 0 when 'warning' then 1 else 2 end as severity_order,
        -- list order: errors first, then by rule, region, year, document
        row_number() over (order by case c.severity when 'error' then 0 when 'warning' then 1 else 2 end,
                           c.kind, c.region, c.year, c.file, c.check_id) as ord
    from stg_checks c
    join mart_documents d using (doc_id)
    left join projects p using (project_id)
)
select * from final;
