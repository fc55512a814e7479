"""Streamlit glue for review and corrections: the 数据校对 page (queue, an item with its
source lines and forms, history with undo, reference-table forms), the 修改记录 page,
an audit finding's status, and the ✎ marks with history on the pages that list values.

The work is elsewhere: `changes.queue` (what comes first), `changes.forms` (typed
text → checked `corrections.Correction` records), `app.writes` and
`storing.committing` (writing them: append, re-extract the documents, publish),
`app.marks` (✎ and history), `app.login` (the editor). Every write
goes through `writes.write`, which refuses without a logged-in editor and writes nothing
when one record is bad. Session-state keys, all under ``review.``:

- ``review.item``: the item shown (a project_id, or a doc_id for the document's own
  issues); also ``?item=`` in the URL so a link opens it;
- ``review.round``: bumped after each write, so forms show the stored values again
  and the queue's row selection clears;
- ``review.result``: the outcome of the last write, shown once after the rerun.
"""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from budgetperf.app import (
    login,
    marks,
    navigation,
    registry,
    sidebar,
    sources,
    store_cache,
    tables,
    writes,
)
from budgetperf.changes import forms, queue, reference_edits
from budgetperf.charts import safe
from budgetperf.storing import committing
from budgetperf.understanding.findings import rule_help

QUEUE_PAGE_SIZE = 25






# ---------------------------------------------------------------------------
# writing: one path for every form









def _values(prefix: str, fields: list[tuple[str, str]]) -> dict[str, str]:
    return {field: st.session_state.get(f"{prefix}.{field}", "") for field, _ in fields}


# ---------------------------------------------------------------------------
# who may write



# ---------------------------------------------------------------------------
# the queue

def selected_item() -> str | None:
    """The item shown: a project_id (``doc:seq``) or a doc_id, from state or the URL."""
    if navigation.REVIEW_ITEM_KEY in st.session_state:
        return st.session_state[navigation.REVIEW_ITEM_KEY] or None
    return st.query_params.get(navigation.REVIEW_ITEM_PARAM) or None


def _choose(item: str | None) -> None:
    st.session_state[navigation.REVIEW_ITEM_KEY] = item
    if item:
        st.query_params[navigation.REVIEW_ITEM_PARAM] = item
    else:
        st.query_params.pop(navigation.REVIEW_ITEM_PARAM, None)


def _queue_clicked(key: str, items: list[str]) -> None:
    state = st.session_state.get(key)
    rows = state.selection.rows if state and state.selection else []
    if rows and rows[0] < len(items):
        _choose(items[rows[0]])


def _split(item: str) -> tuple[str, str | None]:
    """(doc_id, project_id) of an item id."""
    return (item.split(":", 1)[0], item) if ":" in item else (item, None)


def queue_panel(f: dict) -> pd.DataFrame:
    """The queue under the sidebar filters: counts per kind, a 类型 filter and a
    search, then one page of items, most important first. Selecting a row opens it.
    Returns the page shown."""
    typed = str(st.session_state.get("review.search") or "").strip() or None  # the box is drawn below
    counts = store_cache.query("review/queue_counts", **f, skip_rules=queue.SKIPPED_RULES, search=typed)
    by_kind = dict(zip(counts["issue_kind"], counts["items"])) if not counts.empty else {}
    with st.container(horizontal=True, wrap=True, vertical_alignment="bottom", key="review.filters"):
        kinds = st.pills("类型", list(queue.KINDS), selection_mode="multi", key="review.kinds",
                         format_func=lambda k: f"{queue.KINDS[k]} {by_kind.get(k, 0):,}",
                         help="\n\n".join(f"**{queue.KINDS[k]}**：{t}" for k, t in queue.KIND_HELP.items()))
        search = st.text_input("查找", key="review.search", placeholder="文档、项目或问题中的文字", width=260)
    params = queue.query_params(list(kinds) or None)
    page = tables.paged_query("review/queue", "数据校对队列", **f, **params, search=search.strip() or None,
                          page_size=QUEUE_PAGE_SIZE)
    if page.empty:
        if by_kind:
            st.info("没有符合「类型」和查找条件的条目。", icon=":material/filter_alt:")
        else:
            st.success("当前筛选下没有需要人工核对的条目。", icon=":material/task_alt:")
        return page
    shown = pd.DataFrame({
        "问题": [queue.issue_label(k) for k in page["top_issue"]],
        "项目": page["project_name"].fillna("（整份文档）"),
        "预算": page["budget_wan"],
        "文档": page["doc_name"],
        "问题数": page["issues"],
        "说明": page["top_message_zh"],
    })
    items = [p if isinstance(p, str) else d for p, d in zip(page["project_id"], page["doc_id"])]
    key = f"review.queue.{writes.round_number()}"
    st.dataframe(shown, hide_index=True, width="stretch", key=key, on_select=functools.partial(
        _queue_clicked, key, items), selection_mode="single-row", column_config={
        "问题": st.column_config.TextColumn(pinned=True),
        "预算": st.column_config.NumberColumn(format="%,.2f 万元"),
        "问题数": st.column_config.NumberColumn(format="%d"),
        "说明": st.column_config.TextColumn(width="large"),
    })
    st.caption("选中一行，在下方核对原文并更正。排在前面的是审核错误和没有读出的表格，其次是可疑的数值，"
               "最后是推断的年度；同类问题中预算大的在前。")
    return page


# ---------------------------------------------------------------------------
# one item

def item_panel(editor: str | None) -> None:
    """The chosen item: its issues with their source lines, then the forms to fix
    any stored fact of the project or document, and its correction history."""
    writes.show_result("item")
    item_id = selected_item()
    if not item_id:
        st.info("在上面的队列中选中一行（或在下方「打开任意文档」中选择），查看原文并更正。", icon=":material/touch_app:")
        return
    doc_id, project_id = _split(item_id)
    found = store_cache.query("review/item", doc_id=doc_id, project_id=project_id)
    if found.empty:
        st.warning("这个条目已不在数据库中（文档可能已被删除或替换）。", icon=":material/warning:")
        return
    item = found.iloc[0]
    if project_id and pd.isna(item.get("project_id")):
        st.warning("这个项目已不在文档中（可能已被更名或撤销新增）；下面显示整份文档。", icon=":material/warning:")
        project_id = None
    name = item.project_name if project_id else None
    st.markdown(f"#### {safe.md(queue.item_title(str(item.doc_name or item.file), name))}")
    with st.container(horizontal=True, wrap=True, vertical_alignment="center", gap="small"):
        st.caption(safe.md(f"文件 {item.file}（{item.fmt}，{int(item.line_count or 0):,} 行）　地区 {item.region or '未识别'}　"
                           f"年度 {'' if pd.isna(item.year) else int(item.year)}"))
        if item.is_excluded:
            st.badge("已标为不是绩效报告", color="gray")
        navigation.source_button("在「数据来源」页查看", item.file, name, None, key="review.to_sources")
        if name and item.kind == "evaluation":  # the page that lists its budget, filtered to it
            navigation.nav_button("在「预算执行」页查看 →", registry.path_of("execution"), navigation.filter_state_for(item.region, item.year, name),
                          key="review.to_execution")
    issues = store_cache.query("review/issues", doc_id=doc_id, project_id=project_id, skip_rules=queue.SKIPPED_RULES)
    # the source lines beside the form on a laptop or tablet (stacked on a phone)
    left, right = st.columns([1, 1], gap="medium")
    with left:
        _issues_view(item, issues)
    with right:
        if not editor:
            st.caption("登录为编辑后，这里可以更正数值、指标和文档信息，或确认抽取无误。")
        _forms(item, issues, item_id, doc_id, project_id, editor)


def _forms(item: pd.Series, issues: pd.DataFrame, item_id: str, doc_id: str, project_id: str | None,
           editor: str | None) -> None:
    tabs = (["数值", "指标", "确认或忽略", "文档", "更正记录"] if project_id else
            ["文档", "新增项目", "确认或忽略", "更正记录"])
    views = dict(zip(tabs, st.tabs(tabs)))
    prefix = f"review.{writes.round_number()}.{item_id}"
    if project_id:
        with views["数值"]:
            _project_form(item, prefix, editor)
        with views["指标"]:
            _indicator_form(item, prefix, editor)
    else:
        with views["新增项目"]:
            _add_project_form(item, prefix, editor)
    with views["文档"]:
        _document_form(item, prefix, editor)
    with views["确认或忽略"]:
        _settle_form(item, issues, prefix, editor)
    with views["更正记录"]:
        marks.history_panel(doc_id, project_id, editor)


def _issues_view(item: pd.Series, issues: pd.DataFrame) -> None:
    open_issues = issues[(issues["source"] == "review") | (issues["status"] == "未处理")]
    if issues.empty:
        st.success("这个条目没有待处理的问题。", icon=":material/task_alt:")
        return
    if open_issues.empty:
        st.success("问题都已处理，条目已移出队列。", icon=":material/task_alt:")
    for position, issue in enumerate(issues.itertuples()):
        settled = issue.source != "review" and issue.status != "未处理"
        label = queue.issue_label(issue.issue_key)
        severity = {"review": "抽取存疑", "error": "审核错误"}.get(issue.source, "数值存疑")
        who = login.editor_names([issue.status_by]).iloc[0] if settled else None  # names only for editors
        status = f"　（{issue.status}：{who or ''} {issue.status_reason or ''}）" if settled else ""
        help_text = rule_help(issue.code) if issue.source != "review" else ""
        with st.container(border=True, key=f"review.issue.{position}"):
            st.markdown(f"**{safe.md(severity)} · {safe.md(label)}**{safe.md(status)}")
            st.markdown(safe.md(issue.message_zh))
            if help_text:
                st.caption(help_text)
            start, end = issue.line_start, issue.line_end
            if pd.isna(start) and issue.code in ("year_inferred", "year_missing") and not pd.isna(item.year_line):
                start = end = item.year_line  # the line the year was read from
            if position == 0:  # the most important one open; the others one click away
                sources.source_context(item.file, start, end, context=3, name=str(item.doc_name or item.file))
            elif not pd.isna(start):
                with st.expander(f"原文第 {int(start)} 行"):
                    sources.source_context(item.file, start, end, context=3)


def _field_help(provenance: pd.DataFrame, field: str) -> str | None:
    rows = provenance[provenance["field"] == field] if not provenance.empty else provenance
    if rows.empty:
        return "原文中没有找到这个值（或未记录行号）。"
    row = rows.iloc[0]
    return f"原文第 {int(row.line_start)} 行：{row.snippet or row.value_text or ''}"


def _corrected_fields(doc_id: str, project_id: str | None) -> set[str]:
    rows = store_cache.query("review/history", doc_id=doc_id, project_id=project_id)
    return set(rows.loc[rows["status"] == "applied", "field"]) if not rows.empty else set()


def _label(field: str, corrected: set[str]) -> str:
    """A form label, marked ✎ when a person corrected the value it shows."""
    return forms.label(field) + (f" {marks.CORRECTED_MARK}" if field in corrected else "")


def _project_form(item: pd.Series, prefix: str, editor: str | None) -> None:
    provenance = store_cache.query("sources/provenance", doc=item.file, project=item.project_name)
    corrected = _corrected_fields(item.doc_id, item.project_id)
    with st.form(f"{prefix}.project", border=False, enter_to_submit=False):
        st.text_input(_label("name", corrected), value=forms.shown(item.project_name), key=f"{prefix}.name",
                      disabled=not editor)
        with st.container(horizontal=True, wrap=True, key=f"{prefix}.numbers"):
            for field, column in forms.PROJECT_FIELDS[1:]:
                st.text_input(_label(field, corrected), value=forms.shown(item.get(column)),
                              key=f"{prefix}.{field}", disabled=not editor, width=190,
                              help=_field_help(provenance, field))
        st.text_input("更正原因（必填）", key=f"{prefix}.reason", disabled=not editor,
                      placeholder="例如：核对原文第 36 行，预算为 120 万元")
        st.form_submit_button("保存更正", type="primary", disabled=not editor, icon=":material/save:",
                              on_click=writes.submit, args=(functools.partial(_project_records, item.to_dict(), prefix),
                                                      "更正"))
    st.caption(f"金额以万元计，执行率以 % 计；清空一格表示原文没有这个值；{marks.CORRECTED_MARK} 表示已人工更正（见「更正记录」）。"
               "保存后重新抽取这份文档并应用全部更正，所有页面和导出随即显示更正后的数值。")
    with st.expander("项目所在的原文"):
        sources.source_context(item.file, item.line_start, item.line_end, context=4, name=str(item.doc_name))


def _project_records(item: dict, prefix: str, editor: str) -> list:
    return forms.project_corrections(item, _values(prefix, forms.PROJECT_FIELDS),
                                            reason=st.session_state.get(f"{prefix}.reason", ""), editor=editor)


_INDICATOR_COLUMNS = {"level1": "一级指标", "level2": "二级指标", "indicator_name": "三级指标", "target_raw": "目标值",
                      "actual_raw": "实际完成值", "weight": "分值", "score": "得分"}


def _indicator_form(item: pd.Series, prefix: str, editor: str | None) -> None:
    indicators = store_cache.query("review/indicators", project_id=item.project_id)
    table = indicators[list(_INDICATOR_COLUMNS)].astype(
        {c: "string" for c in ("level1", "level2", "indicator_name", "target_raw", "actual_raw")})
    if not editor:
        st.dataframe(table.rename(columns=_INDICATOR_COLUMNS), hide_index=True, width="stretch")
        return
    key = f"{prefix}.indicators"
    with st.form(f"{prefix}.indicator_form", border=False, enter_to_submit=False):
        st.data_editor(table, key=key, hide_index=True, width="stretch", num_rows="add", column_config={
            column: (st.column_config.NumberColumn(label, format="%g") if column in ("weight", "score")
                     else st.column_config.TextColumn(label)) for column, label in _INDICATOR_COLUMNS.items()})
        st.text_input("更正原因（必填）", key=f"{prefix}.indicator_reason",
                      placeholder="例如：指标表第 3 行目标值抄错，核对原文第 52 行")
        st.form_submit_button("保存指标更正", type="primary", icon=":material/save:", on_click=writes.submit, args=(
            functools.partial(_indicator_records, item.to_dict(), indicators, key, prefix), "指标更正"))
    st.caption("直接改表中的格子；在表的最后一行可新增报告中漏读的指标（先填「三级指标」名称）。")
    picked = st.selectbox("查看某个指标的原文", list(range(len(indicators))), index=None, key=f"{prefix}.indicator_line",
                          format_func=lambda i: f"{indicators.iloc[i].seq}. {indicators.iloc[i].indicator_name}",
                          placeholder="选择指标")
    if picked is not None:
        row = indicators.iloc[picked]
        sources.source_context(item.file, row.line_start, row.line_end, name=str(item.doc_name))


def _indicator_records(item: dict, indicators: pd.DataFrame, key: str, prefix: str, editor: str) -> list:
    return forms.indicator_corrections(item, indicators, st.session_state.get(key) or {},
                                              reason=st.session_state.get(f"{prefix}.indicator_reason", ""),
                                              editor=editor)


def _document_form(item: pd.Series, prefix: str, editor: str | None) -> None:
    regions = store_cache.query("review/regions")
    names = regions["region"].tolist()
    current = item.region if isinstance(item.region, str) else None
    options = names if current is None or current in names else [current, *names]
    with st.form(f"{prefix}.document", border=False, enter_to_submit=False):
        st.selectbox("地区", options, index=options.index(current) if current else None, key=f"{prefix}.region",
                     disabled=not editor, accept_new_options=True, placeholder="选择或输入地区",
                     help="地区参考表中没有的地区，请先在本页下方「参考表」中添加。")
        st.text_input("填报单位（按报告原文）", value=forms.shown(item.unit), key=f"{prefix}.unit",
                      disabled=not editor)
        st.text_input("年度", value=forms.shown(item.year), key=f"{prefix}.year", disabled=not editor,
                      help=f"年度依据：{item.year_evidence or '—'}")
        st.checkbox("不是绩效报告（保留原件和原文，不计入任何图表和统计）", value=bool(item.is_excluded),
                    key=f"{prefix}.excluded", disabled=not editor)
        st.text_input("更正原因（必填）", key=f"{prefix}.doc_reason", disabled=not editor,
                      placeholder="例如：封面写明 2022 年度")
        st.form_submit_button("保存文档更正", type="primary", disabled=not editor, icon=":material/save:",
                              on_click=writes.submit, args=(functools.partial(_document_records, item.to_dict(), prefix),
                                                      "文档更正"))


def _document_records(item: dict, prefix: str, editor: str) -> list:
    after = {"region": st.session_state.get(f"{prefix}.region") or "",
             "unit": st.session_state.get(f"{prefix}.unit", ""), "year": st.session_state.get(f"{prefix}.year", "")}
    return forms.document_corrections(item, after, is_excluded=st.session_state.get(f"{prefix}.excluded"),
                                             reason=st.session_state.get(f"{prefix}.doc_reason", ""), editor=editor)


def _add_project_form(item: pd.Series, prefix: str, editor: str | None) -> None:
    with st.form(f"{prefix}.add_project", border=False, enter_to_submit=False):
        st.text_input("项目名称", key=f"{prefix}.new_project", disabled=not editor,
                      placeholder="报告中有、但没有读出的项目")
        st.text_input("原因（必填）", key=f"{prefix}.new_project_reason", disabled=not editor,
                      placeholder="例如：原文第 40–55 行的第二张自评表没有读出")
        st.form_submit_button("新增项目", disabled=not editor, icon=":material/add:", on_click=writes.submit, args=(
            functools.partial(_added_project, item.to_dict(), prefix), "新增项目"))
    st.caption("新增后，这个项目出现在「打开任意文档」的项目列表中，可在那里填写预算、得分和指标。")


def _added_project(item: dict, prefix: str, editor: str) -> list:
    return forms.added_project(item, st.session_state.get(f"{prefix}.new_project", ""),
                                      reason=st.session_state.get(f"{prefix}.new_project_reason", ""), editor=editor)


def _settle_form(item: pd.Series, issues: pd.DataFrame, prefix: str, editor: str | None) -> None:
    open_rows = [i for i, r in enumerate(issues.itertuples()) if r.source == "review" or r.status == "未处理"]
    if not open_rows:
        st.caption("没有待确认的问题。")
        return
    st.caption("读出的值经核对原文是对的：勾选问题，选择「确认无误」（抽取存疑的条目不再提示，审核发现标为已核实）"
               "或「忽略」，写明原因。条目的问题都处理后即移出队列。")
    with st.form(f"{prefix}.settle", border=False, enter_to_submit=False):
        st.multiselect("问题", open_rows, default=open_rows, key=f"{prefix}.settle_issues", disabled=not editor,
                       format_func=lambda i: f"{queue.issue_label(issues.iloc[i].issue_key)}："
                                             f"{str(issues.iloc[i].message_zh)[:40]}")
        st.radio("处理", list(forms.FINDING_ACTIONS), format_func=forms.FINDING_ACTIONS.get,
                 key=f"{prefix}.settle_action", horizontal=True, disabled=not editor)
        st.text_input("原因（必填）", key=f"{prefix}.settle_reason", disabled=not editor,
                      placeholder="例如：核对原文第 3 行，年度确为 2024")
        st.form_submit_button("保存", type="primary", disabled=not editor, icon=":material/done_all:",
                              on_click=writes.submit, args=(functools.partial(_settled, item.to_dict(), issues, prefix),
                                                      "处理结果"))


def _settled(item: dict, issues: pd.DataFrame, prefix: str, editor: str) -> list:
    return forms.settled_issues(item, issues, st.session_state.get(f"{prefix}.settle_issues") or [],
                                       st.session_state.get(f"{prefix}.settle_action") or "已核实",
                                       reason=st.session_state.get(f"{prefix}.settle_reason", ""), editor=editor)


# ---------------------------------------------------------------------------
# history and undo













# ---------------------------------------------------------------------------
# open any document or project

def open_any_panel(f: dict) -> None:
    """Pick any document (and project) under the sidebar filters and open it here."""
    with st.expander("打开任意文档或项目（不在队列中的也可以更正）", icon=":material/search:"):
        search = st.text_input("查找文档", key="review.find", placeholder="单位、年度、类型或文件名的一部分")
        docs = store_cache.query("sources/documents", **f, search=search.strip() or None, limit=sidebar.MAX_OPTIONS, offset=0)
        if docs.empty:
            st.caption("没有找到文档。")
            return
        left, right = st.columns(2)
        labels = dict(zip(docs["doc_id"], docs["doc_name"] + "（" + docs["file"] + "）"))
        doc_id = left.selectbox("文档", list(labels), index=None, format_func=labels.get, key="review.find.doc",
                                placeholder="选择文档")
        projects = store_cache.query("sources/projects", doc=docs.set_index("doc_id").loc[doc_id, "file"]) if doc_id else None
        names = dict(zip(projects["project_id"], projects["project_name"])) if projects is not None else {}
        project_id = right.selectbox("项目", list(names), index=None, format_func=names.get, key="review.find.project",
                                     placeholder="整份文档", disabled=not doc_id)
        st.button("打开", key="review.find.open", disabled=not doc_id, icon=":material/open_in_new:",
                  on_click=_choose, args=(project_id or doc_id,))


# ---------------------------------------------------------------------------
# reference tables

def reference_panel(editor: str | None) -> None:
    """Forms to add or fix a region row and a unit alias (kept like corrections:
    who, when, why; laid over the CSV files; the documents they affect re-extracted)."""
    with st.expander("参考表：添加或修正地区、单位简称", icon=":material/table_edit:",
                     expanded=(st.session_state.get(writes.RESULT_KEY) or ("",))[0] == "reference"):
        writes.show_result("reference")
        if not editor:
            st.caption("登录为编辑后可在这里修改地区参考表和单位简称表。")
        left, right = st.columns(2)
        with left, st.form("review.region", enter_to_submit=False):
            st.markdown("**地区**（同名或同代码的行被替换）")
            st.text_input("地区名称", key="review.region.name", placeholder="如 某某县", disabled=not editor)
            st.selectbox("级别", list(reference_edits.LEVELS_ZH), format_func=reference_edits.LEVELS_ZH.get, index=3,
                         key="review.region.level", disabled=not editor)
            st.text_input("所属地级市（县、区填写）", key="review.region.city", disabled=not editor)
            st.text_input("省份", key="review.region.province", disabled=not editor)
            st.text_input("行政区划代码（6 位，可空）", key="review.region.code", max_chars=6, disabled=not editor)
            st.text_input("原因（必填）", key="review.region.reason", disabled=not editor)
            st.form_submit_button("保存地区", disabled=not editor, icon=":material/save:", on_click=writes.write,
                                  args=(_region_edit, "地区", "reference"))
        with right, st.form("review.alias", enter_to_submit=False):
            st.markdown("**单位简称**（同一全称的行被替换）")
            st.text_input("单位全称", key="review.alias.long", disabled=not editor)
            st.text_input("简称", key="review.alias.short", disabled=not editor)
            st.checkbox("党委部门（如 县委宣传部）", key="review.alias.party", disabled=not editor)
            st.text_input("原因（必填）", key="review.alias.reason", disabled=not editor)
            st.form_submit_button("保存单位简称", disabled=not editor, icon=":material/save:", on_click=writes.write,
                                  args=(_alias_edit, "单位简称", "reference"))


def _region_edit(editor: str):

    s = st.session_state
    edit = reference_edits.make_region(s.get("review.region.name", ""), s.get("review.region.level", ""),
                                s.get("review.region.city", ""), s.get("review.region.province", ""),
                                s.get("review.region.code", ""), reason=s.get("review.region.reason", ""),
                                editor=editor)
    return committing.submit_reference([edit], editor, via="app")


def _alias_edit(editor: str):

    s = st.session_state
    edit = reference_edits.make_alias(s.get("review.alias.long", ""), s.get("review.alias.short", ""),
                               bool(s.get("review.alias.party")), reason=s.get("review.alias.reason", ""),
                               editor=editor)
    return committing.submit_reference([edit], editor, via="app")


# ---------------------------------------------------------------------------
# 审核: a finding's status





# ---------------------------------------------------------------------------
# 修改记录













