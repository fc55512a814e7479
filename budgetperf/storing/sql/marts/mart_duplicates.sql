-- grain: doc_id, original_doc_id
-- Probable duplicates with their originals, side by side: the copy (left out of
-- every figure while probable or decided 同一份报告, so it is read here from
-- documents, not mart_documents) and the document it repeats, with why they are
-- taken for one report and the editors' decision, if any.
create or replace table mart_duplicates as
with project_money as (
    select doc_id, count(*) as projects,
           sum(coalesce(budget_adjusted_wan, budget_initial_wan)) filter (where kind = 'evaluation') as budget_wan
    from projects
    group by doc_id
),
final as (
    select
        p.doc_id,
        d.file,
        d.fmt,
        d.content_hash,
        d.ingested_at,
        p.original_doc_id,
        o.file as original_file,
        o.fmt as original_fmt,
        o.content_hash as original_content_hash,
        o.ingested_at as original_ingested_at,
        m.doc_name as original_doc_name,
        coalesce(d.region, '地区未知') as region,
        coalesce(d.unit_short, d.unit) as unit,
        d.year,
        coalesce(pm.projects, 0) as projects,
        pm.budget_wan,
        p.status,
        p.status_zh,
        p.status <> 'distinct' as is_left_out,
        p.reason_zh,
        p.decision_id,
        p.decided_by,
        p.decided_at,
        p.decision_reason
    from duplicate_pairs p
    join documents d on d.doc_id = p.doc_id
    join documents o on o.doc_id = p.original_doc_id
    left join mart_documents m on m.doc_id = p.original_doc_id
    left join project_money pm on pm.doc_id = p.doc_id
)
select * from final;
