-- title: 支出科目合计（万元，前 $limit 个科目，其余合为「其他」）
-- params: years, regions, levels, units, projects, doc_types, limit
-- grain: one row per expense item name (the $limit largest) plus one 其他 row
with rows as (
    select item, amount_wan, project_no, doc_no
    from mart_expenses
    where amount_wan is not null
      and matches_filters(year, region, level_zh, unit, project_name, doc_type_zh,
          $years, $regions, $levels, $units, $projects, $doc_types)
),
items as (
    select item, sum(amount_wan) as amount_wan, count(distinct project_no) as projects
    from rows
    group by item
),
sources as (
    select count(distinct doc_no) as docs_total from rows
),
ranked as (
    select *, row_number() over (order by amount_wan desc, item) as rank from items
),
folded as (
    select item, amount_wan, projects, rank from ranked where rank <= coalesce($limit, rank)
    union all
    select '其他（' || count(*) || ' 个科目）', sum(amount_wan), null, $limit + 1
    from ranked where rank > $limit
    having count(*) > 0
),
final as (
    select folded.*, sources.docs_total from folded, sources
)
select * from final
order by rank
