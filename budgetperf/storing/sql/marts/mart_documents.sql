-- grain: doc_id
-- One row per document: what people call it and what it holds. The display name
-- is 「单位 年度 类型」 (某县委网信办 2021 部门整体评价); two documents that would
-- share it add their first project, then a number.
create or replace table mart_documents as
with kinds as (
    select
        -- grouped and shown by the unit's short form; the name as written beside it
        d.* replace (coalesce(d.unit_short, d.unit) as unit),
        d.unit as unit_as_written,
        case
            when list_contains(d.doc_kinds, 'department_overall') then '部门整体评价'
            when list_contains(d.doc_kinds, 'special_fund_evaluation') then '专项资金评价'
            when list_contains(d.doc_kinds, 'project_evaluation') then '项目评价'
            when list_contains(d.doc_kinds, 'targets') then '绩效目标表'
            else '报告'
        end as doc_kind_zh,
        case coalesce(d.region_level, r.level)
            when 'county' then '县' when 'district' then '区' when 'city' then '市'
            when 'province' then '省' else '未知' end as level_zh
    from documents d
    left join regions r on r.region = d.region and d.region_level is null
    -- a document a person marked 不是绩效报告 is in no figure (数据管理 still lists it);
    -- nor is a probable duplicate, the same report in another file, until a person
    -- decides it is not one (its copy that counts stays; mart_duplicates pairs them)
    where not coalesce(d.is_excluded, false)
      and d.duplicate_of is null
),
project_counts as (
    select doc_id, count(*) as projects,
        arg_min(name, seq) filter (where kind <> 'department') as first_project,
        list(distinct case kind when 'target' then '目标' else '评价' end) as doc_types_zh,
        list(distinct name) as project_names
    from projects group by doc_id
),
indicator_counts as (select doc_id, count(*) as indicators from indicators group by doc_id),
check_counts as (select doc_id, count(*) as checks from checks group by doc_id),
review_counts as (select doc_id, count(*) as review_reasons from review_reasons group by doc_id),
counts as (
    select
        k.doc_id,
        coalesce(p.projects, 0) as projects,
        coalesce(i.indicators, 0) as indicators,
        coalesce(c.checks, 0) as checks,
        coalesce(v.review_reasons, 0) as review_reasons,
        p.first_project,
        coalesce(p.doc_types_zh, []) as doc_types_zh,
        coalesce(p.project_names, []) as project_names
    from kinds k
    left join project_counts p using (doc_id)
    left join indicator_counts i using (doc_id)
    left join check_counts c using (doc_id)
    left join review_counts v using (doc_id)
),
named as (
    select
        k.*,
        c.projects, c.indicators, c.checks, c.review_reasons, c.first_project, c.doc_types_zh, c.project_names,
        concat_ws(' ', coalesce(k.unit, k.region, '单位未知'), coalesce(k.year::varchar, '年度未知'),
                  k.doc_kind_zh) as base_name
    from kinds k
    join counts c using (doc_id)
),
distinct_names as (
    select
        *,
        case when count(*) over (partition by base_name) > 1 and first_project is not null
             then base_name || '·' || first_project else base_name end as name2
    from named
),
final as (
    select
        doc_id,
        file,
        fmt,
        encoding,
        coalesce(region, '地区未知') as region,
        level_zh,
        city,
        province,
        unit,
        unit_as_written,
        year,
        year_is_explicit,
        year_evidence,
        year_line,
        doc_kinds,
        doc_kind_zh,
        line_count,
        ingested_at,
        projects,
        indicators,
        checks,
        review_reasons,
        doc_types_zh,
        project_names,
        case when count(*) over (partition by name2) > 1
             then name2 || '（' || row_number() over (partition by name2 order by file) || '）'
             else name2 end as doc_name,
        -- an integer per document: counting distinct integers is far cheaper than
        -- distinct strings over a million rows (every 「N 份报告」 counts these)
        row_number() over (order by doc_id)::integer as doc_no
    from distinct_names
)
select * from final;
