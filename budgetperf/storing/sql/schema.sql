-- The budgetperf store. Tables hold what extraction found, one row per fact, each
-- with the lines it came from; views (stg_* joins and derivations, mart_* per-grain
-- aggregates) are what pages query. Amounts are in 万元 (_wan), rates and shares in
-- percent (_pct). NULL means the report does not say.

create table if not exists regions (
    region varchar primary key,      -- a county, district or city as named
    level varchar,                   -- county | district | city | province
    city varchar,                    -- parent prefecture-level city
    province varchar,
    code varchar                     -- administrative code, 6 digits
);

create table if not exists documents (
    doc_id varchar primary key,      -- first 16 hex digits of the content hash
    file varchar not null,
    fmt varchar not null,            -- txt | docx | pdf | xlsx | html | xls | doc | wps | et | image | ofd
    encoding varchar,
    content_hash varchar not null unique,
    region varchar,
    region_level varchar,
    city varchar,
    province varchar,
    region_code varchar,
    unit varchar,
    unit_code varchar,
    year integer,
    year_is_explicit boolean,
    year_evidence varchar,
    year_line integer,
    doc_kinds varchar[],
    unit_project_budget_wan double,
    projects_total integer,
    line_count integer,
    ingested_at timestamp default current_timestamp,
    unit_short varchar,               -- canonical short form of unit, for grouping (unit is as written)
    is_synthetic boolean default false,  -- made by `budgetperf synth` (合成数据), never a real report
    is_excluded boolean default false,   -- a person marked it 不是绩效报告: only this row and its source lines are kept
    corrections_digest varchar,          -- which corrections its rows carry (corrections.digest); NULL: none
    fingerprint varchar,                 -- its facts (understanding/duplicates.py): equal for the same report in another file
    report_key varchar,                  -- the same without figures: equal for another version of the report
    duplicate_of varchar                 -- doc_id of the copy that counts, while this one is left out (derived at every write)
);
-- Stores built before a column existed get it on their next write.
alter table documents add column if not exists is_synthetic boolean default false;
alter table documents add column if not exists is_excluded boolean default false;
alter table documents add column if not exists corrections_digest varchar;
alter table documents add column if not exists fingerprint varchar;
alter table documents add column if not exists report_key varchar;
alter table documents add column if not exists duplicate_of varchar;

-- The normalized text of every document, so any provenance range can be shown.
create table if not exists source_lines (
    doc_id varchar not null,
    line_no integer not null,
    text varchar,
    primary key (doc_id, line_no)
);
-- Where a line sits in the original (reading.blocks.Place), NULL where the format has
-- no such place: the page (PDF, OFD, scan), the sheet (Excel), the 1-based table index.
alter table source_lines add column if not exists page integer;
alter table source_lines add column if not exists sheet varchar;
alter table source_lines add column if not exists table_index integer;

create table if not exists units (
    unit varchar not null,
    region varchar,
    unit_code varchar,
    primary key (unit)
);

create table if not exists projects (
    project_id varchar primary key,  -- doc_id:seq
    doc_id varchar not null,
    seq integer not null,
    name varchar not null,
    code varchar,
    kind varchar not null,           -- evaluation | target | department
    budget_initial_wan double,
    budget_adjusted_wan double,
    executed_wan double,
    execution_rate_pct double,
    budget_weight double,
    budget_score double,
    total_score double,
    total_weight double,
    grade varchar,                   -- 优/良/中/差 as the report states it, else NULL
    grade_as_written varchar,        -- the stated grade's own words (优秀, 良好, 一等)
    projects_evaluated integer,
    special_projects integer,
    funding_source varchar,
    amount_unit_as_written varchar,
    has_indicator_table boolean,
    goal_expected varchar,           -- 年度总体目标 as written: expected
    goal_actual varchar,             -- and actually achieved
    line_start integer,
    line_end integer,
    grade_derived varchar            -- the band of total_score when no grade is stated (ours, not the report's)
);

-- The 项目资金 rows of a self-evaluation table: the total (年度资金总额) and its
-- parts (其中：当年财政拨款, 上年结转资金, 其他资金), as the table states them.
create table if not exists budget_lines (
    project_id varchar not null,
    doc_id varchar not null,
    seq integer not null,
    label varchar,
    budget_initial_wan double,
    budget_adjusted_wan double,
    executed_wan double,
    weight double,
    rate_pct double,
    score double,
    line_start integer,
    line_end integer,
    snippet varchar
);

-- Provenance of every scalar field of projects and documents.
create table if not exists provenance (
    doc_id varchar not null,
    entity varchar not null,         -- project | document
    entity_id varchar not null,
    field varchar not null,
    value_text varchar,              -- the value as written in the source
    line_start integer,
    line_end integer,
    snippet varchar
);

create table if not exists indicators (
    indicator_id varchar primary key, -- project_id:seq
    project_id varchar not null,
    doc_id varchar not null,
    seq integer not null,
    level1 varchar,
    level2 varchar,
    name varchar not null,
    target_raw varchar,
    actual_raw varchar,
    weight double,
    score double,
    target_comparator varchar,
    target_value double,
    target_unit varchar,
    target_is_numeric boolean,
    actual_comparator varchar,
    actual_value double,
    actual_unit varchar,
    actual_is_numeric boolean,
    level1_inferred boolean,
    deviation_reason varchar,
    line_start integer,
    line_end integer,
    snippet varchar
);

create table if not exists section_scores (
    project_id varchar not null,
    doc_id varchar not null,
    section varchar not null,
    max_score double,
    score double,
    line_start integer,
    line_end integer,
    snippet varchar
);

create table if not exists expense_items (
    project_id varchar not null,
    doc_id varchar not null,
    item varchar not null,
    amount_wan double,
    amount_raw varchar,
    line_start integer,
    line_end integer,
    snippet varchar
);

-- The report's own words on why (存在的问题, 偏差原因, 改进措施), per project.
create table if not exists passages (
    project_id varchar not null,
    doc_id varchar not null,
    passage_no integer not null,     -- 1.. within the project, in reading order
    kind varchar not null,           -- problem | reason | remedy
    label varchar,                   -- the heading or label as written
    text varchar not null,
    line_start integer,
    line_end integer,
    snippet varchar
);

create table if not exists spending_plans (
    project_id varchar not null,
    doc_id varchar not null,
    by_date varchar not null,        -- MM-DD
    share_pct double,
    line_start integer,
    line_end integer,
    snippet varchar
);

create table if not exists output_facts (
    project_id varchar not null,
    doc_id varchar not null,
    name varchar not null,
    value_raw varchar,
    value_num double,
    unit varchar,
    line_start integer,
    line_end integer,
    snippet varchar
);

create table if not exists checks (
    check_id varchar primary key,    -- doc_id:seq
    doc_id varchar not null,
    project_id varchar,
    kind varchar not null,
    severity varchar not null,       -- error | warning | info
    severity_zh varchar not null,    -- 错误 | 警告 | 提示
    message_zh varchar not null,
    what varchar,
    line_start integer,
    line_end integer,
    snippet varchar,
    finding_key varchar,             -- stable across rebuilds (corrections.finding_key)
    status varchar,                  -- 未处理 | 已核实 | 忽略: an editor's, laid over from finding_statuses at each write
    status_by varchar,
    status_at varchar,
    status_reason varchar
);
alter table checks add column if not exists finding_key varchar;
alter table checks add column if not exists status varchar;
alter table checks add column if not exists status_by varchar;
alter table checks add column if not exists status_at varchar;
alter table checks add column if not exists status_reason varchar;

-- Editors' statuses of audit findings (budgetperf/changes/finding_status.py), the
-- current one per finding, loaded from their log at every write and laid over
-- `checks` (status, status_by, status_at, status_reason). `outcome` says whether the
-- audit still makes the finding (applied) or no longer does (orphan).
create table if not exists finding_statuses (
    doc_hash varchar not null,
    finding_key varchar not null,
    status varchar not null,
    editor varchar,
    made_at varchar,
    reason varchar,
    correction_id varchar not null,
    project_name varchar,
    outcome varchar
);

-- Probable duplicates (budgetperf/changes/duplicates.py), derived at every write from
-- the documents' fingerprints and the editors' decisions: one row per copy and the
-- document it repeats. status: probable (not decided: the copy is left out), same
-- (decided 同一份报告: left out), distinct (decided 不是同一份: both count).
create table if not exists duplicate_pairs (
    doc_id varchar not null,
    original_doc_id varchar not null,
    status varchar not null,
    status_zh varchar not null,      -- 可能重复，待判定 | 已判定为同一份报告 | 已判定不是同一份
    reason_zh varchar,               -- why they are taken for one report
    decision_id varchar,
    decided_by varchar,
    decided_at varchar,
    decision_reason varchar
);

-- Editors' decisions on duplicates, the latest per pair, loaded from their log at
-- every write. `outcome`: applied (the pair still shares its fingerprint) or orphan
-- (one of them is gone or no longer the same).
create table if not exists duplicate_decisions (
    doc_hash varchar not null,
    original_hash varchar not null,
    verdict varchar not null,        -- same | distinct
    editor varchar,
    made_at varchar,
    reason varchar,
    decision_id varchar not null,
    file varchar,
    original_file varchar,
    outcome varchar
);

-- People's corrections as they apply to the stored rows (budgetperf/corrections.py):
-- one row per active correction of a stored document, written with its rows.
-- The values stored elsewhere are already the corrected ones; this says which were
-- corrected, what extraction gave and who changed it. The full trail (undone ones
-- included) is the corrections file.
create table if not exists corrections_applied (
    doc_id varchar not null,
    correction_id varchar not null,
    field varchar not null,          -- corrections.FIELDS key: budget_initial, indicator.score, …
    label_zh varchar not null,
    project_id varchar,              -- the project as stored (NULL for document fields or when not found)
    project_name varchar,
    indicator_id varchar,
    indicator_name varchar,
    extracted_value varchar,         -- what extraction gave, as text
    new_value varchar,
    status varchar not null,         -- applied | redundant (extraction gives it by itself) | orphan (target gone)
    status_zh varchar not null,
    editor varchar,
    made_at varchar,
    reason varchar
);

create table if not exists program_links (
    doc_id varchar not null,
    project_id varchar not null,
    earlier_project_id varchar not null,
    earlier_year integer,
    similarity double
);

-- What a person should check because extraction was unsure (budgetperf/review.py):
-- per document (project_id NULL) or per project. Statements about the extraction,
-- not about the report; the audit's findings are in checks.
create table if not exists review_reasons (
    doc_id varchar not null,
    project_id varchar,
    code varchar not null,           -- project_name_missing | indicator_table_unread | year_inferred | …
    message_zh varchar not null,
    line_start integer,
    line_end integer,
    snippet varchar
);

-- About the store itself: `extractor_fingerprint` is a hash of the code and reference
-- tables its rows came from (budgetperf/loading.py); a rebuild by the same extractor
-- copies the rows of unchanged files instead of extracting them again.
create table if not exists store_meta (
    key varchar primary key,
    value varchar
);
