-- title: 库中的合成数据份数（budgetperf synth 生成，不是真实报告）与文档总份数
-- params: none
-- grain: one row
with final as (
    select count(*) filter (where is_synthetic) as synthetic_docs, count(*) as docs
    from documents
)
select * from final
