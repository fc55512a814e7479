-- title: 地区参考表（更正地区时可选的地区）
-- params: none
-- grain: one row per region in the reference table, by province, city, name
with final as (
    select region, level, city, province, code from regions
)
select * from final
order by province, city nulls first, region
