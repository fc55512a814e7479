-- title: 可能重复的报告（同一份报告的另一个文件：副本、计入的原件、理由、判定）
-- params: status
-- grain: one row per copy and the document it repeats
-- $status (NULL = all) keeps pairs in that state: probable (待判定), same (已判定为
-- 同一份报告), distinct (已判定不是同一份). Pairs waiting for a decision come first,
-- then the newest copies. A copy that is left out (is_left_out) is in no figure;
-- the document it repeats is.
with final as (
    select *
    from mart_duplicates
    where $status is null or status = $status
)
select * from final
order by status <> 'probable', ingested_at desc, file, original_file
