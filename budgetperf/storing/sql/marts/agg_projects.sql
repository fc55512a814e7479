-- grain: region, year, level_zh, doc_type_zh
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
