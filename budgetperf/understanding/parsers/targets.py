"""绩效目标表: next year's targets per project, as laid out in budget documents.

Two layouts: a real table (handled by `tables.parse_table`, kind target), and the
text layer of a PDF, where each cell wraps over several lines and the columns
(一级指标 二级指标 三级指标 绩效指标描述 指标值 指标值确定依据) are only separated by
single spaces. For the latter an indicator row ends on the line carrying the
row's last column (the 确定依据), and the 三级指标 name is repeated in full as the
绩效指标描述, which is what lets us cut name and target apart.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass, field

from budgetperf.reading.blocks import Paragraph, SourceDocument, Table, compact
from budgetperf.understanding.doubts import summed_rows_reasons, unread_rows_reasons
from budgetperf.understanding.parsers.cover import read_cover_labels
from budgetperf.understanding.parsers.pdftext import (
    allocation_projects,
    simple_indicator_rows,
)
from budgetperf.understanding.parsers.tables import (
    LEVEL1_NAMES,
    LEVEL2_TO_LEVEL1,
    ProjectRow,
    parse_table,
)
from budgetperf.understanding.parsers.values import (
    amount_to_wan,
    detect_amount_unit,
    normalize_target_text,
    parse_number,
)
from budgetperf.understanding.records import (
    Indicator,
    Project,
    Provenance,
    SpendingPlan,
    Value,
)

DEPARTMENT_NAME = "部门整体支出"

_BRACKETED = re.compile(r"[（(][^)）]*[)）]")
_SHEET_TITLE = re.compile(r"^(?:\d+\s*[.、．]\s*)?(?P<name>.*?)(?:项目)?(?:支出)?绩效目标(?:申报|审核)?表$")
_DEPARTMENT_SHEET = re.compile(r"(?:部门|单位)?(?:[（(]单位[)）])?整体(?:支出)?绩效目标")
_GENERIC_NAMES = ("", "项目", "项目支出", "预算项目")
_NAME_LINE = re.compile(r"^项目名称\s*[:：]?\s*(?P<name>\S.{1,60})$")
_CODE_NAME = re.compile(r"项目编码\s*(?P<code>[0-9A-Z]{8,})\s*项目名称\s*(?P<name>.+)$")
_UNIT_LINE = re.compile(r"^\s*(?P<code>\d{3,9})\s+(?P<unit>\S.+?)\s+单位[:：]\s*(?P<amount_unit>\S+)\s*$")
_BUDGET = re.compile(r"(?:^|\s)(?:预算数|预算金额|年度预算数|资金总额|年度资金总额|[区县市州旗级]*支出预算总量|支出预算总额)"
                     r"\s*[:：]?\s*(?P<num>\d[\d,]*(?:\.\d+)?)")
_MONTHS = re.compile(r"(\d{1,2})\s*月底")
_QUARTERS = (("一季度", 3), ("二季度", 6), ("三季度", 9), ("四季度", 12))
_SHARES = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_INDICATOR_HEADER = re.compile(r"一级指标\s*二级指标\s*三级指标")
_LEVEL2_WORDS = sorted(LEVEL2_TO_LEVEL1, key=len, reverse=True)
BASIS_WORDS = ("年初工作安排", "计划标准", "历史标准", "行业标准", "工作计划", "其他标准", "预算支出标准")


@dataclass
class TargetSheet:
    name: str
    prov: Provenance
    lines: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


# 附件：/附件1 before a sheet's title in a list of attachments.
_ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]?")
# A header cell that holds what was achieved or scored: a sheet of targets has none.
_RESULT_CELL = re.compile(r"(?:全年|年度)?实际(?:完成|达到|达成)?(?:值|情况|数|结果)?|(?:指标)?完成(?:值|结果|情况)"
                          r"|(?:自评|实际|评价)?得分|评分")
_LEVEL_HEADER_WORDS = ("一级指标", "三级指标", "指标名称")
_REPORT_TITLE = re.compile(r"自评报告|评价报告|自评表|自评情况")


def sheet_title(text: str) -> re.Match | None:
    """The match of a 绩效目标表 title standing on its own line (`附件1：` before it
    allowed), else None: a sentence that mentions the sheet is no title."""
    t = _ATTACHMENT.sub("", compact(text))
    return _SHEET_TITLE.match(t) if len(t) <= 60 else None


def is_target_document(doc: SourceDocument) -> bool:
    """Whether some line of the document is a 绩效目标表 title."""
    return any("绩效目标" in line and sheet_title(line) for line in doc.lines)


def holds_results(doc: SourceDocument) -> bool:
    """Whether the document reports results, so a 绩效目标表 in it is an attachment
    of an evaluation: its title (the first lines) names a 自评报告/评价报告, or an
    indicator header has a column of what was achieved or scored (实际完成值,
    实际完成情况, 得分, 评分)."""
    head = [compact(line) for line in doc.lines[:40] if compact(line)][:5]
    if any(_REPORT_TITLE.search(line) for line in head):
        return True
    headers = [[compact(c.text) for c in row] for block in doc.blocks if isinstance(block, Table)
               for row in block.rows]
    headers += [re.split(r"[\s|]+", line.strip()) for line in doc.lines if "指标" in line]
    return any(any(w in cell for cell in cells for w in _LEVEL_HEADER_WORDS)
               and any(_RESULT_CELL.fullmatch(_BRACKETED.sub("", cell)) for cell in cells)
               for cells in headers) or any("实际完成值" in line for line in doc.lines)


def parse_targets(doc: SourceDocument) -> tuple[list[Project], list[Value]]:
    """Every 绩效目标表 in the document as a Project of kind "target", and unit lines
    ("224001 中共某县委…本级 单位：万元") as unit hints."""
    sheets: list[TargetSheet] = []
    unit_hints: list[Value] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            if sheets:
                sheets[-1].tables.append(block)
            continue
        t = block.text.strip()
        m = sheet_title(t)
        if m:
            name = DEPARTMENT_NAME if _DEPARTMENT_SHEET.search(compact(t)) else m.group("name")
            sheets.append(TargetSheet(name, Provenance(doc.file, block.line_start, block.line_end, t)))
            continue
        if sheets:
            sheets[-1].lines.append(block)
    projects = []
    for sheet in sheets:
        project, hint, listed = _sheet_project(sheet, doc)
        projects.append(project)
        projects.extend(listed)
        if hint:
            unit_hints.append(hint)
    # A title with nothing under it is a line of an attachment list, not a sheet.
    projects = [p for p in projects if p.indicators or p.budget_initial or p.code or p.spending_plan]
    paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph)]
    projects = _with_allocations(projects, allocation_projects(paragraphs, doc), doc)
    # Cover labels (单位信息：…, 实施单位：…) name the reporting unit before any table does.
    cover = read_cover_labels(paragraphs[:80] + paragraphs[-8:], doc)
    if cover.get("unit"):
        unit_hints.insert(0, cover.get("unit"))
    return projects, unit_hints


def _with_allocations(projects: list[Project], allocated, doc: SourceDocument) -> list[Project]:
    """Projects of an allocation table (分配表), each joined with its 绩效目标表 when one
    names it ("…专项资金（某某示范）" for 某某示范项目): the
    table's name and amount, the sheet's targets. Allocated projects without a
    sheet are kept with their amount; sheets no allocation names stay as they are."""
    if not allocated:
        return projects
    out, used = [], set()
    for item in allocated:
        sheet = next((p for p in projects if id(p) not in used and _names_same_project(p.name, item.name)), None)
        project = sheet or Project(name=item.name, kind="target", prov=item.amount.prov)
        if sheet is not None:
            used.add(id(sheet))
            project.name = item.name
        project.budget_initial = project.budget_initial or item.amount
        out.append(project)
    out.extend(p for p in projects if id(p) not in used)
    return out


def _names_same_project(sheet_name: str, allocated_name: str) -> bool:
    """A sheet names a project by a parenthesised part ("某资金（某某示范）") or in full."""
    inner = re.findall(r"[（(]([^（）()]{2,30})[)）]", sheet_name)
    core = re.sub(r"项目$", "", compact(allocated_name))
    return any(compact(i) in core or core in compact(i) for i in inner) or core in compact(sheet_name)


def _prov(doc: SourceDocument, paras: list[Paragraph]) -> Provenance:
    start, end = paras[0].line_start, paras[-1].line_end
    return Provenance(doc.file, start, end, doc.snippet(start, end))


# Rows of a department's 履职目标 table that are spending categories, not projects.
_NOT_A_PROJECT = re.compile(r"^(?:基本支出|人员经费|人员支出|公用经费|日常公用经费|工资福利支出|合计|总计|小计)$")


def _listed_projects(rows: list[ProjectRow], doc: SourceDocument) -> list[Project]:
    """The projects a department's target table lists (支出项目名称 | 预算金额), one
    per name: a project written on several rows (one per duty it serves) is one
    project whose budget is the rows' sum, with all its rows as provenance."""
    by_name: dict[str, list[ProjectRow]] = {}
    for row in rows:
        if not _NOT_A_PROJECT.match(compact(row.name.value)):
            by_name.setdefault(compact(row.name.value), []).append(row)
    projects = []
    for name, same in by_name.items():
        project = Project(name=name, kind="target", prov=same[0].name.prov, listed=True)
        amounts = [r.budget for r in same if r.budget is not None]
        if amounts:
            first, last = amounts[0].prov, amounts[-1].prov
            prov = Provenance(doc.file, first.line_start, last.line_end, doc.snippet(first.line_start, last.line_end))
            raw = "+".join(a.raw for a in amounts)
            project.budget_initial = Value(round(sum(a.value for a in amounts), 4), prov, raw)
        projects.append(project)
    return projects


def _sheet_project(sheet: TargetSheet, doc: SourceDocument) -> tuple[Project, Value | None, list[Project]]:
    """The sheet's project, a unit hint, and the projects a department sheet lists."""
    is_department = sheet.name == DEPARTMENT_NAME
    listed_rows: list[ProjectRow] = []
    project = Project(name=sheet.name, kind="department" if is_department else "target", prov=sheet.prov)
    amount_unit = "万元"
    unit_hint = None
    lines = sheet.lines
    for i, para in enumerate(lines):
        t = para.text.strip()
        if m := _UNIT_LINE.match(t):
            amount_unit = m.group("amount_unit")
            unit_hint = Value(m.group("unit"), _prov(doc, [para]), t)
            project.amount_unit_as_written = amount_unit
        elif detect_amount_unit(t) and project.amount_unit_as_written is None:
            amount_unit = detect_amount_unit(t)
        if m := _CODE_NAME.search(t):
            project.code = Value(m.group("code"), _prov(doc, [para]), t)
            project.name = compact(m.group("name"))
        elif (m := _NAME_LINE.match(t)) and not is_department:
            project.name = compact(m.group("name"))
        if project.budget_initial is None and (m := _BUDGET.search(t)):
            project.budget_initial = Value(amount_to_wan(m.group("num"), amount_unit), _prov(doc, [para]), t)
        if not project.spending_plan and (months := _plan_dates(t)):
            for nxt in lines[i + 1 : i + 3]:
                shares = _SHARES.findall(nxt.text)
                if len(shares) == len(months):
                    project.spending_plan = [
                        SpendingPlan(by, parse_number(share), _prov(doc, [para, nxt])) for by, share in zip(months, shares)
                    ]
                    break
    header_index = next((i for i, p in enumerate(lines) if _INDICATOR_HEADER.search(p.text)), None)
    if header_index is not None:
        header = lines[header_index]
        if "依据" in header.text or "描述" in header.text:
            project.indicators = parse_wrapped_indicator_rows(header, lines[header_index + 1 :], doc)
        else:
            project.indicators = simple_indicator_rows(lines[header_index + 1 :], doc)
        project.has_indicator_table = bool(project.indicators)
    for table in sheet.tables:
        facts = parse_table(table, doc, project.amount_unit_as_written)
        if facts.name and not is_department and (project.name in _GENERIC_NAMES or project.code is None
                                                 or re.match(r"^(?:19|20)\d\d", project.name)):
            project.name = facts.name.value
        project.code = project.code or facts.code
        if facts.unit and unit_hint is None:
            unit_hint = facts.unit  # 实施单位, as for evaluation tables
        project.amount_unit_as_written = project.amount_unit_as_written or facts.amount_unit
        project.indicators.extend(facts.indicators)
        project.review_reasons.extend(unread_rows_reasons(facts.unread_rows))
        project.review_reasons.extend(summed_rows_reasons(facts.summed_rows))
        project.has_indicator_table = project.has_indicator_table or facts.has_indicator_header
        project.total_weight = project.total_weight or facts.total_weight
        project.spending_plan = project.spending_plan or facts.spending_plan
        project.funding_source = project.funding_source or facts.funding
        if project.budget_initial is None and facts.budget.get("budget_initial"):
            project.budget_initial = facts.budget["budget_initial"]
        listed_rows.extend(facts.project_rows)
    return project, unit_hint, (_listed_projects(listed_rows, doc) if is_department else [])


def _plan_dates(text: str) -> list[str]:
    """"3 月底 6 月底 10 月底 12 月底" -> ["03-31", "06-30", "10-31", "12-31"]."""
    months = [int(m) for m in _MONTHS.findall(text)]
    if len(months) < 2:
        months = [q for word, q in _QUARTERS if word in compact(text)]
    if len(months) < 2 or months != sorted(months) or any(not 1 <= m <= 12 for m in months):
        return []
    # Leap years do not matter for a plan date.
    return [f"{m:02d}-{calendar.monthrange(2001, m)[1]:02d}" for m in months]


def parse_wrapped_indicator_rows(header: Paragraph, rows: list[Paragraph], doc: SourceDocument) -> list[Indicator]:
    """Indicator rows from a PDF text layer where cells wrap (see module docstring)."""
    has_basis = "依据" in header.text
    ends = _row_end_words(rows) if has_basis else set()
    indicators: list[Indicator] = []
    pending: list[Paragraph] = []
    level1 = level2 = None
    for para in rows:
        pending.append(para)
        tokens = para.text.split()
        ends_row = (tokens and tokens[-1] in ends) if has_basis else len(tokens) >= 2
        if not ends_row:
            continue
        indicator, level1, level2 = _wrapped_row(pending, ends if has_basis else set(), level1, level2, doc)
        if indicator:
            indicators.append(indicator)
        pending = []
    return indicators


def _row_end_words(rows: list[Paragraph]) -> set[str]:
    """The 指标值确定依据 values: known words, or a last token that ends several lines."""
    last = Counter(p.text.split()[-1] for p in rows if len(p.text.split()) >= 2)
    return {w for w in last if w in BASIS_WORDS or last[w] >= 3}


def _wrapped_row(paras: list[Paragraph], ends: set[str], level1, level2, doc):
    tokens_last = paras[-1].text.split()
    if ends and tokens_last and tokens_last[-1] in ends:
        tokens_last = tokens_last[:-1]
    text = "".join(compact(p.text) for p in paras[:-1]) + compact(" ".join(tokens_last))
    # Leading first- and second-level words.
    for name in LEVEL1_NAMES:
        rest = text[len(name):]
        if text.startswith(name) and any(rest.startswith(l2) for l2 in _LEVEL2_WORDS):
            level1, text = name, rest
            break
    for l2 in _LEVEL2_WORDS:
        if text.startswith(l2):
            level2, text = l2, text[len(l2):]
            if level1 is None or LEVEL2_TO_LEVEL1.get(l2) not in (None, level1):
                level1 = LEVEL2_TO_LEVEL1.get(l2, level1)
            break
    name, target = _split_name_target(text, tokens_last)
    if not name:
        return None, level1, level2
    indicator = Indicator(
        level1=level1, level2=level2, name=name, target=normalize_target_text(target), actual=None,
        weight=None, score=None, prov=_prov(doc, paras), level1_inferred=True,
    )
    return indicator, level1, level2


def _split_name_target(text: str, last_tokens: list[str]) -> tuple[str, str | None]:
    """The name is written twice (三级指标, then 绩效指标描述); what follows is the target."""
    for size in range(len(text) // 2, 1, -1):
        if text[:size] == text[size : 2 * size]:
            return text[:size], text[2 * size :] or None
    # No repeated description: the target is the last token(s) of the row's last line,
    # a number and its unit possibly split by a space (≥30 场).
    if len(last_tokens) >= 2 and not re.search(r"\d", last_tokens[-1]) and re.search(r"\d", last_tokens[-2]):
        target = last_tokens[-2] + last_tokens[-1]
    elif last_tokens:
        target = last_tokens[-1]
    else:
        return text, None
    name = text[: len(text) - len(compact(target))] if text.endswith(compact(target)) else text
    return name, target
