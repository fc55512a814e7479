-- title: 审核概况（各严重程度的发现数、涉及文档数、需复核的文档数）
-- params: years, regions, levels, units, projects, doc_types, severities
-- grain: one row (the filtered total)
with filtered as (
    select *
    from mart_checks
    -- with a project filter, document-wide findings (no project) are left out
    where matches_doc_filters(year, region, level_zh, unit, project_name, doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
      and ($severities is null or list_contains($severities, severity_zh))
),
review as (
    select count(*) as docs_review
    from mart_documents
    where review_reasons > 0
      and matches_document_filters(year, region, level_zh, unit, project_names, doc_types_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
counts as (
    select
        count(*) as findings,
        count(*) filter (where severity = 'error') as errors,
        count(*) filter (where severity = 'warning') as warnings,
        count(*) filter (where severity = 'info') as infos,
        count(distinct kind) as rules,
        count(distinct doc_no) as docs,
        count(distinct region) as regions
    from filtered
),
final as (
    select counts.*, review.docs_review from counts, review
)
select * from final
