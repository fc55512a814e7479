-- grain: region, year, level_zh, doc_types_zh
create or replace table agg_checks as
select
    region,
    year,
    level_zh,
    doc_types_zh,
    count(*) as checks,
    count(*) filter (where severity = 'error') as errors
from mart_checks
where is_open_finding(status)  -- open findings only: a verified or ignored one is settled
group by all;
