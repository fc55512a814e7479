-- title: 原件的格式与内容哈希（用于显示扫描页面的图像）
-- params: doc
-- grain: one row: the document whose file is $doc (none when it is not in the store)
with final as (
    select file, fmt, content_hash
    from documents
    where file = $doc
)
select * from final
