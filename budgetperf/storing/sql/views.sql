-- Views that pages query. Joins, casts, bucketing and derived rates live here so
-- that the named queries in queries/ only filter, sort and aggregate.

-- One row per project (evaluation, target or department) with its document's
-- region, level and year.
create or replace view stg_projects as
with joined as (
    select
        p.*,
        d.file,
        -- A report whose region is not in regions.csv still shows, under 地区未知
        -- (and the audit says to add the region).
        coalesce(d.region, '地区未知') as region,
        coalesce(d.region_level, r.level) as region_level,
        d.city,
        d.province,
        -- Grouped and shown by the short form; the name as written stays beside it.
        coalesce(d.unit_short, d.unit) as unit,
        d.unit as unit_as_written,
        d.year,
        d.year_is_explicit,
        d.doc_kinds,
        -- The budget an execution rate is measured against: adjusted if stated.
        coalesce(p.budget_adjusted_wan, p.budget_initial_wan) as budget_wan,
        case p.kind when 'target' then '目标' else '评价' end as doc_type_zh,
        case d.region_level
            when 'county' then '县' when 'district' then '区' when 'city' then '市'
            when 'province' then '省' else '未知' end as level_zh
    from projects p
    join documents d using (doc_id)
    left join regions r on r.region = d.region
),
final as (
    select
        *,
        executed_wan is not null or execution_rate_pct is not null as is_execution_disclosed,
        case when budget_wan > 0 and executed_wan is not null
             then round(executed_wan / budget_wan * 100, 2) end as execution_rate_computed_pct,
        case when total_weight > 0 and total_score is not null
             then round(total_score / total_weight * 100, 2) end as score_rate_pct,
        -- The grade to show: as stated, else the band of the total (shown as derived).
        coalesce(grade, grade_derived) as grade_shown,
        grade is null and grade_derived is not null as is_grade_derived
    from joined
)
select * from final;

-- One row per indicator with its project's context and an attainment class.
create or replace view stg_indicators as
with joined as (
    select
        i.*,
        p.name as project_name,
        p.kind as project_kind,
        p.region,
        p.region_level,
        p.level_zh,
        p.unit,
        p.year,
        p.doc_type_zh,
        p.file
    from indicators i
    join stg_projects p using (project_id)
),
final as (
    select
        *,
        case when weight > 0 and score is not null then round(score / weight * 100, 2) end as score_rate_pct,
        case
            when actual_raw is null then '未评价'
            when not coalesce(target_is_numeric, false) or not coalesce(actual_is_numeric, false)
                 or coalesce(target_unit, '') <> coalesce(actual_unit, '') then '定性'
            when target_comparator in ('≤', '<') and actual_value <= target_value then '完成'
            when target_comparator in ('≤', '<') then '未完成'
            when actual_value > target_value then '超额完成'
            when actual_value = target_value then '完成'
            else '未完成'
        end as attainment_zh
    from joined
)
select * from final;

create or replace view stg_checks as
select
    c.*,
    d.file,
    coalesce(d.region, '地区未知') as region,
    d.year,
    coalesce(d.unit_short, d.unit) as unit,
    p.name as project_name
from checks c
join documents d using (doc_id)
left join projects p using (project_id);

-- Per region × year: money, scores and findings for the overview.
create or replace view mart_region_year as
with evaluated as (
    select * from stg_projects where kind in ('evaluation', 'department')
),
money as (
    select
        region, region_level, level_zh, year,
        -- A department's overall figures and its projects overlap: count projects
        -- where any are present, else the department line.
        sum(budget_wan) filter (where kind = 'evaluation') as project_budget_wan,
        sum(budget_wan) filter (where kind = 'department') as department_budget_wan,
        sum(executed_wan) filter (where kind = 'evaluation') as project_executed_wan,
        sum(executed_wan) filter (where kind = 'department') as department_executed_wan,
        sum(budget_wan) filter (where kind = 'evaluation' and executed_wan is not null) as disclosed_budget_wan,
        count(*) filter (where kind = 'evaluation') as projects,
        count(*) filter (where kind = 'evaluation' and not is_execution_disclosed) as projects_undisclosed,
        avg(total_score) filter (where kind = 'evaluation') as avg_score
    from evaluated
    group by all
),
findings as (
    select region, year,
        count(*) as checks,
        count(*) filter (where severity = 'error') as errors,
        count(*) filter (where severity = 'warning') as warnings
    from stg_checks group by all
),
final as (
    select
        m.*,
        coalesce(m.project_budget_wan, m.department_budget_wan) as budget_wan,
        coalesce(m.project_executed_wan, m.department_executed_wan) as executed_wan,
        -- Weighted rate: executed over the budget of projects that disclose execution.
        case when m.disclosed_budget_wan > 0
             then round(m.project_executed_wan / m.disclosed_budget_wan * 100, 2) end as execution_rate_pct,
        coalesce(f.checks, 0) as checks,
        coalesce(f.errors, 0) as errors,
        coalesce(f.warnings, 0) as warnings
    from money m
    left join findings f using (region, year)
)
select * from final;

-- The shared sidebar filters, one place: NULL means "all" (全部), a list keeps the
-- rows whose value is in it. Queries call it with their $params, so the SQL stays
-- static and every value is bound, never formatted in.
create or replace macro matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
                                        years, regions, levels, units, projects, doc_types) as (
    (years is null or list_contains(years, year))
    and (regions is null or list_contains(regions, region))
    and (levels is null or list_contains(levels, level_zh))
    and (units is null or list_contains(units, unit))
    and (projects is null or list_contains(projects, project_name))
    and (doc_types is null or list_contains(doc_types, doc_type_zh))
);

-- The same filters for a row that belongs to a document rather than a project
-- (an audit finding, a review reason): the document's doc types and project names
-- are lists, and the row matches when any of them is chosen. A project filter
-- keeps only rows about those projects (`project_name`, NULL for document-wide
-- rows, which a project filter therefore leaves out).
create or replace macro matches_doc_filters(year, region, level_zh, unit, project_name, doc_types_zh,
                                            years, regions, levels, units, projects, doc_types) as (
    (years is null or list_contains(years, year))
    and (regions is null or list_contains(regions, region))
    and (levels is null or list_contains(levels, level_zh))
    and (units is null or list_contains(units, unit))
    and (projects is null or list_contains(projects, project_name))
    and (doc_types is null or list_has_any(doc_types, doc_types_zh))
);

-- The filters for a whole document: it matches when one of its projects' names
-- or doc types is chosen (a document without projects matches no project or doc
-- type filter, and every other filter by its own year, region, level and unit).
create or replace macro matches_document_filters(year, region, level_zh, unit, project_names, doc_types_zh,
                                                 years, regions, levels, units, projects, doc_types) as (
    (years is null or list_contains(years, year))
    and (regions is null or list_contains(regions, region))
    and (levels is null or list_contains(levels, level_zh))
    and (units is null or list_contains(units, unit))
    and (projects is null or list_has_any(projects, project_names))
    and (doc_types is null or list_has_any(doc_types, doc_types_zh))
);
