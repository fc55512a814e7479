-- grain: region, year, level_zh, doc_type_zh
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
