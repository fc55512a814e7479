-- title: 数据库中的文档（文件、格式、地区、单位、年度及依据、类型、条目数）
-- params: years, regions, levels, units, projects, doc_types
-- grain: one row per document
with projects as (
    select *, name as project_name from stg_projects
),
matching as (
    select distinct doc_id
    from projects
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
project_counts as (
    select doc_id, count(*) as projects from projects group by doc_id
),
indicator_counts as (
    select doc_id, count(*) as indicators from indicators group by doc_id
),
check_counts as (
    select doc_id, count(*) as checks from checks group by doc_id
),
filtered as (
    select d.*
    from documents d
    where d.doc_id in (select doc_id from matching)
       -- a document with no extracted project is still a source: list it
       -- unless a project-level filter is set
       or (d.doc_id not in (select doc_id from projects)
           and $projects is null and $doc_types is null
           and ($years is null or list_contains($years, d.year))
           and ($regions is null or list_contains($regions, d.region))
           and ($units is null or list_contains($units, coalesce(d.unit_short, d.unit))))
),
final as (
    select
        f.doc_id,
        f.file,
        f.fmt,
        f.encoding,
        f.region,
        f.unit,
        f.year,
        f.year_evidence,
        f.year_line,
        f.year_is_explicit,
        f.doc_kinds,
        f.line_count,
        coalesce(p.projects, 0) as projects,
        coalesce(i.indicators, 0) as indicators,
        coalesce(c.checks, 0) as checks,
        f.ingested_at
    from filtered f
    left join project_counts p using (doc_id)
    left join indicator_counts i using (doc_id)
    left join check_counts c using (doc_id)
)
select * from final
order by file
