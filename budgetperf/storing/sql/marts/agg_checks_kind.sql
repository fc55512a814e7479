-- grain: region, year, level_zh, doc_types_zh, kind, severity, status
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
    finding_status(status) as status,
    min(severity_order) as severity_order,
    count(*) as findings,
    count(distinct doc_no) as docs,
    min(ord) as first_ord,
    arg_min(message_zh, ord) as example_message
from mart_checks
group by all;
