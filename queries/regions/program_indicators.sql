-- title: 同一项目跨年指标对照（较早年度评价的指标与当年目标的指标并列）
-- params: years, regions, levels, units, projects, doc_types, limit
-- grain: one row per programme link × level-2 indicator × position within it, for the $limit links with the largest later budget
with links as (
    select project_id, earlier_project_id, region, project_name
    from mart_program_links
    where matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
                          $years, $regions, $levels, $units, $projects, $doc_types)
       or matches_filters(earlier_year, earlier_region, earlier_level_zh, earlier_unit, earlier_project_name,
                          earlier_doc_type_zh, $years, $regions, $levels, $units, $projects, $doc_types)
    order by budget_wan desc nulls last, region, year, project_name, project_id
    limit $limit
),
-- number indicators within each level-2 group so the two sides line up row by row
numbered as (
    select
        project_id, seq, level1, level2, name, target_raw, actual_raw, attainment_zh, year, file,
        coalesce(level2, level1, '未分类') as level2_key,
        row_number() over (partition by project_id, coalesce(level2, level1, '未分类') order by seq) as position
    from mart_indicators
    where project_id in (select project_id from links union all select earlier_project_id from links)
),
later as (
    select l.project_id as link_id, l.region as link_region, l.project_name as link_name, n.*
    from links l join numbered n on n.project_id = l.project_id
),
earlier as (
    select l.project_id as link_id, l.region as link_region, l.project_name as link_name, n.*
    from links l join numbered n on n.project_id = l.earlier_project_id
),
paired as (
    select
        coalesce(e.link_id, t.link_id) as link_id,
        coalesce(e.link_region, t.link_region) as region,
        coalesce(e.link_name, t.link_name) as project_name,
        coalesce(e.level1, t.level1) as level1,
        coalesce(e.level2_key, t.level2_key) as level2,
        coalesce(e.position, t.position) as position,
        e.year as earlier_year,
        e.name as earlier_indicator,
        e.target_raw as earlier_target_raw,
        e.actual_raw as earlier_actual_raw,
        e.attainment_zh as earlier_attainment_zh,
        t.year as later_year,
        t.name as later_indicator,
        t.target_raw as later_target_raw,
        coalesce(e.file, '') as earlier_file,
        coalesce(t.file, '') as later_file
    from earlier e
    full outer join later t
        on t.link_id = e.link_id and t.level2_key = e.level2_key and t.position = e.position
),
final as (
    select * from paired
)
select * from final
order by region, project_name, level1, level2, position
