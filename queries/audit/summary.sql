-- title: 审核概况（各严重程度未处理的发现数、已核实与忽略的条数、涉及文档数、需复核的文档数）
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
        -- open findings only: one a person marked 已核实 or 忽略 is settled (issue 12)
        count(*) filter (where severity = 'error' and is_open_finding(status)) as errors,
        count(*) filter (where severity = 'warning' and is_open_finding(status)) as warnings,
        count(*) filter (where severity = 'info' and is_open_finding(status)) as infos,
        count(*) filter (where status = '已核实') as verified,
        count(*) filter (where status = '忽略') as ignored,
        count(distinct kind) as rules,
        count(distinct doc_no) as docs,
        count(distinct region) as regions
    from filtered
),
final as (
    select counts.*, review.docs_review from counts, review
)
select * from final
