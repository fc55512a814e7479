-- grain: indicator_id
-- One row per indicator (stg_indicators): filter columns and attainment class.
-- `ord` is the list order (region, year, project, position), so a page of the
-- indicator list is a top-N on one integer, not a sort of a million rows. It is
-- the project's list_ord then the row (unique and in that order, not dense).
create or replace table mart_indicators as
select i.*, p.doc_name, p.doc_no, p.project_no,
       p.list_ord::bigint * 100000 + i.seq as ord
from stg_indicators i
join mart_projects p using (project_id);
