"""数据管理: add reports (upload → preview → commit), probable duplicates and the
verdicts on them, the documents in the store and their deletion, and the write log. Viewing needs no login; writing needs an editor."""

import streamlit as st

from budgetperf.app import frame, login, manage, store_cache

frame.page_header("数据管理")
editor = login.login_panel()
manage.show_last_report()

st.subheader("添加报告")
if editor:
    manage.upload_panel(editor, store_cache.query("manage/documents"))
else:
    st.caption("登录为编辑后可在这里上传报告（可一次选择多个 .txt、.docx、.pdf、.xlsx 文件，入库前先预览）。"
               "也可在服务器上运行 `budgetperf ingest 文件…`。")

pairs = store_cache.query("manage/duplicates", status=None)
if not pairs.empty:
    waiting = int((pairs["status"] == "probable").sum())
    st.subheader(f"可能重复的报告（{waiting} 对待判定）")
    st.caption("同一份报告的另一个文件（格式或编码不同，单位、年度、类型和各项目的金额、得分都相同）："
               "副本保存在库中，但在判定之前不计入任何统计。")
    manage.duplicates_panel(pairs, editor)

search = st.text_input("查找文档", key="admin.search", placeholder="文件名、地区或单位中的文字")
docs = store_cache.query("manage/documents", search=search.strip() or None)
st.subheader(f"库中文档（{len(docs)} 份）")
if docs.empty:
    st.info("没有找到文档。" if search.strip() else "数据库中还没有文档：上传报告，或把报告放进报告文件夹后运行 `budgetperf build`。")
else:
    manage.documents_panel(docs, editor)
manage.write_log_panel()
