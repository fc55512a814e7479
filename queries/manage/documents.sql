-- title: 库中文档（数据管理：文件、地区、单位、年度、条目数、需复核、入库时间）
-- params: search
-- grain: one row per document
-- $search (NULL = all) keeps documents whose file, region or unit contains it.
-- content_hash lets the upload preview say 重复 before anything is written;
-- fingerprint and report_key let it say 可能重复 (the same report in another file)
-- or 可能是修订版本. A probable duplicate names the copy that counts (duplicate_file).
with project_counts as (
    select doc_id, count(*) as projects from projects group by doc_id
),
indicator_counts as (
    select doc_id, count(*) as indicators from indicators group by doc_id
),
check_counts as (
    select
        doc_id,
        count(*) filter (where severity = 'error') as errors,
        count(*) filter (where severity = 'warning') as warnings
    from checks
    group by doc_id
),
review_counts as (
    select doc_id, count(*) as review_reasons from review_reasons group by doc_id
),
duplicate_status as (
    select p.doc_id, p.status_zh, o.file as duplicate_file
    from duplicate_pairs p
    join documents o on o.doc_id = p.original_doc_id
    where p.status <> 'distinct'
),
final as (
    select
        d.doc_id,
        d.file,
        d.fmt,
        d.content_hash,
        d.region,
        d.unit,
        d.year,
        coalesce(p.projects, 0) as projects,
        coalesce(i.indicators, 0) as indicators,
        coalesce(c.errors, 0) as errors,
        coalesce(c.warnings, 0) as warnings,
        coalesce(r.review_reasons, 0) as review_reasons,
        d.ingested_at,
        d.fingerprint,
        d.report_key,
        d.duplicate_of,
        x.duplicate_file,
        -- 可能重复，待判定（计入的是《原件》）: this copy is in no figure, the other one is
        case when x.doc_id is not null then x.status_zh || '（计入的是《' || x.duplicate_file || '》）' end
            as duplicate_note
    from documents d
    left join project_counts p using (doc_id)
    left join indicator_counts i using (doc_id)
    left join check_counts c using (doc_id)
    left join review_counts r using (doc_id)
    left join duplicate_status x using (doc_id)
    where $search is null
       or contains(lower(concat_ws(' ', d.file, d.region, d.unit)), lower($search))
)
select * from final
order by ingested_at desc, file
