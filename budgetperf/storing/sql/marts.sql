-- Mart tables: the stg_* views (views.sql) materialized once per build or ingest
-- (store.refresh_marts), so a page query scans one table with its filter columns
-- instead of re-running the views' joins on every rerun. At a province's size
-- (about a million indicator rows) the views take 150 ms to 5 s per query; a scan
-- of these tables takes a few milliseconds. Rebuilt whole each time: they are
-- derived, never edited.

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
    -- a document a person marked 不是绩效报告 is in no figure (数据管理 still lists it)
    where not coalesce(d.is_excluded, false)
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

-- One row per project (stg_projects) with its document's display name, the rate
-- to show (as reported, else computed from the amounts; NULL = 未披露) and
-- project_name, the filters' name for it.
create or replace table mart_projects as
with final as (
    select
        p.*,
        p.name as project_name,
        d.doc_name,
        d.doc_no,
        row_number() over (order by p.project_id)::integer as project_no,
        -- the indicator list's order (region, year, project), numbered here over
        -- projects so mart_indicators needs no sort of a million rows
        row_number() over (order by p.region, p.year, p.name, p.project_id) as list_ord,
        coalesce(p.execution_rate_pct, p.execution_rate_computed_pct) as execution_rate_shown_pct,
        p.execution_rate_pct is null and p.execution_rate_computed_pct is not null as is_execution_rate_computed,
        -- budget not spent (NULL when execution is not disclosed)
        p.budget_wan - p.executed_wan as unexecuted_wan
    from stg_projects p
    join mart_documents d using (doc_id)
)
select * from final;

-- One row per indicator (stg_indicators): filter columns and attainment class.
-- `ord` is the list order (region, year, project, position), so a page of the
-- indicator list is a top-N on one integer, not a sort of a million rows. It is
-- the project's list_ord then the row (unique and in that order, not dense).
create or replace table mart_indicators as
select i.*, p.doc_name, p.doc_no, p.project_no,
       p.list_ord::bigint * 100000 + i.seq as ord
from stg_indicators i
join mart_projects p using (project_id);

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

-- Section scores, expense items and spending plans with their project's filter
-- columns, so page queries filter them without a join.
create or replace table mart_sections as
select
    s.*, p.file, p.doc_name, p.doc_no, p.project_no, p.region, p.level_zh, p.year, p.unit, p.project_name,
    p.doc_type_zh, p.kind
from section_scores s
join mart_projects p using (project_id);

create or replace table mart_expenses as
select
    e.*, p.file, p.doc_name, p.doc_no, p.project_no, p.region, p.level_zh, p.year, p.unit, p.project_name,
    p.doc_type_zh, p.kind, p.budget_wan
from expense_items e
join mart_projects p using (project_id);

create or replace table mart_plans as
select
    s.*, p.file, p.doc_name, p.doc_no, p.project_no, p.region, p.level_zh, p.year, p.unit, p.project_name,
    p.doc_type_zh, p.kind, p.budget_wan, p.execution_rate_shown_pct
from spending_plans s
join mart_projects p using (project_id);

-- Programme links with both sides' figures and filter columns: a page reads one
-- table instead of joining the links to the projects twice.
create or replace table mart_program_links as
select
    l.project_id,
    l.earlier_project_id,
    l.similarity,
    later.region, later.level_zh, later.unit, later.doc_type_zh, later.doc_id, later.file, later.doc_name,
    later.doc_no, later.project_name, later.year, later.budget_wan,
    earlier.region as earlier_region, earlier.level_zh as earlier_level_zh, earlier.unit as earlier_unit,
    earlier.doc_type_zh as earlier_doc_type_zh,
    earlier.doc_id as earlier_doc_id, earlier.file as earlier_file, earlier.doc_name as earlier_doc_name,
    earlier.doc_no as earlier_doc_no, earlier.project_name as earlier_project_name, earlier.year as earlier_year,
    earlier.budget_wan as earlier_budget_wan, earlier.executed_wan as earlier_executed_wan,
    earlier.execution_rate_shown_pct as earlier_execution_rate_pct, earlier.total_score as earlier_total_score,
    earlier.grade as earlier_grade
from program_links l
join mart_projects later on later.project_id = l.project_id
join mart_projects earlier on earlier.project_id = l.earlier_project_id;

-- Pre-aggregated per region × year × level × doc type, for the common case where no
-- unit or project is chosen: the overview and region pages then sum a few thousand
-- rows instead of grouping a few hundred thousand (their queries fall back to the
-- row-level marts when a unit or project filter is set). Documents are disjoint
-- across region × year, so `docs` adds up.
create or replace table agg_projects as
select
    region,
    year,
    level_zh,
    doc_type_zh,
    count(*) filter (where kind = 'evaluation') as projects,
    count(*) filter (where kind = 'evaluation' and not is_execution_disclosed) as projects_undisclosed,
    count(*) filter (where kind = 'department') as departments,
    sum(budget_wan) filter (where kind = 'evaluation') as p_budget,
    sum(executed_wan) filter (where kind = 'evaluation') as p_executed,
    sum(budget_wan) filter (where kind = 'evaluation' and executed_wan is not null) as p_disclosed,
    sum(budget_wan) filter (where kind = 'department') as d_budget,
    sum(executed_wan) filter (where kind = 'department') as d_executed,
    sum(budget_wan) filter (where kind = 'department' and executed_wan is not null) as d_disclosed,
    sum(total_score) filter (where kind = 'evaluation') as score_sum,
    count(total_score) filter (where kind = 'evaluation') as scored,
    count(distinct doc_no) filter (where kind in ('evaluation', 'department')) as docs
from mart_projects
group by all;

create or replace table agg_checks as
select
    region,
    year,
    level_zh,
    doc_types_zh,
    count(*) as checks,
    count(*) filter (where severity = 'error') as errors
from mart_checks
where coalesce(status, '未处理') = '未处理'  -- open findings only: a verified or ignored one is settled
group by all;

create or replace table agg_indicators as
select
    region,
    year,
    level_zh,
    doc_type_zh,
    count(*) as indicators,
    count(*) filter (where target_is_numeric) as quantified,
    count(*) filter (where attainment_zh = '超额完成') as exceeded,
    count(*) filter (where attainment_zh = '完成') as met,
    count(*) filter (where attainment_zh = '未完成') as missed,
    count(*) filter (where attainment_zh = '定性') as qualitative,
    count(*) filter (where attainment_zh = '未评价') as not_evaluated,
    count(distinct project_no) as projects,
    count(distinct doc_no) as docs
from mart_indicators
group by all;

create or replace table agg_sections as
select
    region,
    year,
    level_zh,
    doc_type_zh,
    section,
    sum(max_score) as max_score,
    sum(score) as score,
    count(distinct project_no) as projects,
    count(distinct doc_no) as docs
from mart_sections
where max_score > 0
group by all;

create or replace table agg_checks_kind as
select
    region,
    year,
    level_zh,
    doc_types_zh,
    kind,
    severity,
    severity_zh,
    -- 未处理 | 已核实 | 忽略 (an editor's status of the finding), so 审核 counts open ones
    coalesce(status, '未处理') as status,
    min(severity_order) as severity_order,
    count(*) as findings,
    count(distinct doc_no) as docs,
    min(ord) as first_ord,
    arg_min(message_zh, ord) as example_message
from mart_checks
group by all;

-- The 数据校对 queue (issue 12): one row per item that needs a person, a document's
-- own issues (project_id NULL) or one project's, with its open issues (key and
-- message; the key is review:<code> for a review reason, error:<rule> / warning:<rule>
-- for an audit finding still 未处理, info never) and the filter columns. The
-- ranking is a query param (budgetperf/review_queue.py) applied to the keys, so
-- the queue ranks and pages this one table: ~0.15 s instead of ~1 s for grouping
-- every issue at a hundred thousand documents. A document-wide item weighs by the
-- largest budget among its projects.
create or replace table mart_review_items as
with issues as (
    select doc_id, project_id, 'review:' || code as issue_key, message_zh, line_start
    from review_reasons
    union all
    select doc_id, project_id, severity || ':' || kind, message_zh, line_start
    from checks
    where severity in ('error', 'warning') and coalesce(status, '未处理') = '未处理'
),
items as (
    select
        doc_id,
        project_id,
        list({'key': issue_key, 'message': message_zh} order by line_start nulls last, issue_key) as issues,
        string_agg(message_zh, ' ') as messages_text
    from issues
    group by doc_id, project_id
),
doc_budgets as (
    select doc_id, max(budget_wan) as budget_wan from mart_projects group by doc_id
),
final as (
    select
        i.*, d.file, d.doc_name, d.region, d.year, d.unit, d.level_zh, d.doc_types_zh,
        p.project_name, p.seq, coalesce(p.budget_wan, b.budget_wan) as budget_wan
    from items i
    join mart_documents d using (doc_id)
    left join mart_projects p on p.project_id = i.project_id
    left join doc_budgets b on i.project_id is null and b.doc_id = i.doc_id
)
select * from final;

-- ---------------------------------------------------------------------------
-- Per region × year figures several pages share, as table macros called with the
-- filter parameters (here, after the tables they read: DuckDB binds a macro's
-- tables when it is created): f_years … f_doc_types (NULL = 全部), named apart from the
-- columns (agg_projects has a column `projects`).

-- Money, counts and scores per region × year: evaluated projects' (p_*) and the
-- department's overall line (d_*), which overlap (never add both). From the
-- pre-aggregated table when no unit or project is chosen, else from the projects.
create or replace macro projects_by_region_year(f_years, f_regions, f_levels, f_units, f_projects, f_doc_types) as table
    select
        region, year, any_value(level_zh) as level_zh,
        sum(projects) > 0 as has_projects,
        sum(p_budget) as p_budget, sum(p_executed) as p_executed, sum(p_disclosed) as p_disclosed,
        sum(d_budget) as d_budget, sum(d_executed) as d_executed, sum(d_disclosed) as d_disclosed,
        sum(projects) as projects, sum(projects_undisclosed) as projects_undisclosed,
        sum(score_sum) as score_sum, sum(scored) as scored, sum(docs) as docs
    from agg_projects
    where f_units is null and f_projects is null
      and (f_years is null or list_contains(f_years, year))
      and (f_regions is null or list_contains(f_regions, region))
      and (f_levels is null or list_contains(f_levels, level_zh))
      and (f_doc_types is null or list_contains(f_doc_types, doc_type_zh))
    group by region, year
    having sum(projects) + sum(departments) > 0
    union all
    select
        region, year, any_value(level_zh),
        count(*) filter (where kind = 'evaluation') > 0,
        sum(budget_wan) filter (where kind = 'evaluation'),
        sum(executed_wan) filter (where kind = 'evaluation'),
        sum(budget_wan) filter (where kind = 'evaluation' and executed_wan is not null),
        sum(budget_wan) filter (where kind = 'department'),
        sum(executed_wan) filter (where kind = 'department'),
        sum(budget_wan) filter (where kind = 'department' and executed_wan is not null),
        count(*) filter (where kind = 'evaluation'),
        count(*) filter (where kind = 'evaluation' and not is_execution_disclosed),
        sum(total_score) filter (where kind = 'evaluation'),
        count(total_score) filter (where kind = 'evaluation'),
        count(distinct doc_no)
    from mart_projects
    where (f_units is not null or f_projects is not null)
      and kind in ('evaluation', 'department')
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          f_years, f_regions, f_levels, f_units, f_projects, f_doc_types)
    group by region, year;

-- Open audit findings (未处理: not verified or ignored on 审核) per region × year, of
-- every matching document (targets too); with a project filter only those about
-- the chosen projects. Pre-aggregated when no unit or project is chosen.
create or replace macro open_findings_by_region_year(f_years, f_regions, f_levels, f_units, f_projects, f_doc_types) as table
    select region, year, sum(checks) as checks, sum(errors) as errors
    from agg_checks
    where f_units is null and f_projects is null
      and (f_years is null or list_contains(f_years, year))
      and (f_regions is null or list_contains(f_regions, region))
      and (f_levels is null or list_contains(f_levels, level_zh))
      and (f_doc_types is null or list_has_any(f_doc_types, doc_types_zh))
    group by region, year
    union all
    select region, year, count(*), count(*) filter (where severity = 'error')
    from mart_checks
    where (f_units is not null or f_projects is not null)
      and coalesce(status, '未处理') = '未处理'
      and matches_doc_filters(year, region, level_zh, unit, project_name, doc_types_zh,
          f_years, f_regions, f_levels, f_units, f_projects, f_doc_types)
    group by region, year;

-- Evaluated projects per region × year (executed and disclosed budget, scores,
-- counts): pre-aggregated when no unit or project is chosen, else from the rows.
create or replace macro evaluated_by_region_year(f_years, f_regions, f_levels, f_units, f_projects, f_doc_types) as table
    select region, year, any_value(level_zh) as level_zh, sum(p_executed) as executed,
           sum(p_disclosed) as disclosed, sum(score_sum) as score_sum, sum(scored) as scored,
           sum(projects) as projects, sum(docs) as docs
    from agg_projects
    where f_units is null and f_projects is null
      and (f_years is null or list_contains(f_years, year))
      and (f_regions is null or list_contains(f_regions, region))
      and (f_levels is null or list_contains(f_levels, level_zh))
      and (f_doc_types is null or list_contains(f_doc_types, doc_type_zh))
    group by region, year
    having sum(projects) > 0
    union all
    select region, year, any_value(level_zh), sum(executed_wan) filter (where executed_wan is not null),
           sum(budget_wan) filter (where executed_wan is not null), sum(total_score), count(total_score),
           count(*), count(distinct doc_no)
    from mart_projects
    where kind = 'evaluation'
      and (f_units is not null or f_projects is not null)
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          f_years, f_regions, f_levels, f_units, f_projects, f_doc_types)
    group by region, year;

-- Indicators and quantified ones (a numeric target) per region × year, with the
-- documents they come from: pre-aggregated when no unit or project is chosen.
create or replace macro indicators_by_region_year(f_years, f_regions, f_levels, f_units, f_projects, f_doc_types) as table
    select region, year, sum(indicators) as indicators, sum(quantified) as quantified, sum(docs) as docs
    from agg_indicators
    where f_units is null and f_projects is null
      and (f_years is null or list_contains(f_years, year))
      and (f_regions is null or list_contains(f_regions, region))
      and (f_levels is null or list_contains(f_levels, level_zh))
      and (f_doc_types is null or list_contains(f_doc_types, doc_type_zh))
    group by region, year
    union all
    select region, year, count(*), count(*) filter (where target_is_numeric), count(distinct doc_no)
    from mart_indicators
    where (f_units is not null or f_projects is not null)
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          f_years, f_regions, f_levels, f_units, f_projects, f_doc_types)
    group by region, year;
