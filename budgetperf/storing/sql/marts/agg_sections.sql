-- grain: region, year, level_zh, doc_type_zh, section
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
