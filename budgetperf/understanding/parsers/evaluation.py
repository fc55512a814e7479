"""Evaluation reports: 部门整体绩效评价报告, 项目支出绩效评价/自评报告 with their
自评表, narrative self-reports, 专项资金/转移支付/专项债券 reports and third-party
evaluations with their 评分表.

The document is cut into sections at report titles. A section becomes:
- the department's overall evaluation (kind "department", name 部门整体支出) when
  its title or tables speak of 整体支出/整体绩效/年度履职目标;
- one project per 自评表 that names a project, per table row listing a project
  (重点工作任务, a list of bond projects), per sub-heading or numbered item that
  gives a project its own amounts in a narrative report, or else the section's own
  project named by its title or 项目名称 label.
A self-evaluation table whose header was lost joins the report just before it.

Who reports is read from the cover labels (填报单位, 实施单位, 项目单位 …) before
the title, and the 主管部门 only as a last resort; see `parsers.cover`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetperf.reading.blocks import Paragraph, SourceDocument, Table, compact
from budgetperf.understanding.doubts import UNNAMED_PROJECT, reason, summed_rows_reasons, unread_rows_reasons
from budgetperf.understanding.parsers import narrative
from budgetperf.understanding.parsers.cover import (
    CoverLabels,
    read_cover_labels,
    signature_unit,
    name_in_form_title,
    split_title,
)
from budgetperf.understanding.parsers.passages import find_passages
from budgetperf.understanding.parsers.subprojects import find_subprojects
from budgetperf.understanding.parsers.tables import ProjectRow, TableFacts, parse_table
from budgetperf.understanding.parsers.values import detect_amount_unit, normalize_grade
from budgetperf.understanding.parsers.words import ticked
from budgetperf.understanding.records import Project, Provenance, SectionScore, Value, v

_DEPT_WORDS = re.compile(r"(?:部门|单位)?(?:[（(]单位[)）])?整体(?:支出)?绩效|整体支出|年度履职目标")
_DEPT_TITLE = re.compile(r"(?:部门|单位)?(?:[（(]单位[)）])?整体(?:支出)?绩效(?:自评价|自评|评价)(?:报告)?$")
# "…项目支出绩效自评报告", "…绩效自评情况报告", "…绩效目标自评报告", "…绩效评价报告书",
# "关于…绩效自评情况的报告", "…绩效自评工作报告", "…绩效自评结果公示".
_PROJECT_TITLE = re.compile(r"^(?:关于)?(?P<pre>.*?)(?:项目)?(?:支出)?绩效(?:目标)?(?:单位|部门)?(?:自评价|自评|评价)"
                            r"(?:工作|情况|结果)?(?:的)?(?:报告书?|结果公示)$")
_NAME_LABEL = re.compile(r"^项目名称[:：](?P<name>[^，。；]{2,40}?)(?:项目)?$")
_PAREN_NAME = re.compile(r"^[（(](?P<name>[^（）()]{2,40}?)(?:项目)?[)）]$")
_TRAILING_YEAR = re.compile(r"[（(]\s*(?:19|20)\d\d\s*年度?\s*[)）]$")
_THIRD_PARTY = re.compile(r"会计师事务所|咨询(?:有限)?公司|评估(?:有限)?公司|第三方")
DEPARTMENT_NAME = "部门整体支出"


@dataclass
class Section:
    kind: str  # department | project
    name: str | None
    prov: Provenance
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[TableFacts] = field(default_factory=list)
    title_unit: str | None = None


@dataclass
class EvaluationResult:
    projects: list[Project]
    doc_kinds: list[str]
    unit_hints: list[Value]
    unit_project_budget: Value | None = None
    projects_total: Value | None = None
    projects_stated: Value | None = None
    supervisor: Value | None = None
    evaluator: Value | None = None


def _is_third_party(evaluator: str, first: list[Paragraph]) -> bool:
    """An evaluator named as a firm, or 中介机构 ticked on the cover (tick before or after)."""
    lines = [evaluator] + [p.text for p in first]
    return bool(_THIRD_PARTY.search("".join(lines))) or any(ticked(line, "中介机构") for line in lines)


def _title_prov(doc: SourceDocument, para: Paragraph) -> Provenance:
    return Provenance(doc.file, para.line_start, para.line_end, doc.snippet(para.line_start, para.line_end))


def _is_title(text: str) -> bool:
    return len(text) <= 70 and not text.endswith(("。", "；", "，", "：", ":"))


def split_sections(doc: SourceDocument) -> list[Section]:
    """Cut the blocks at report titles."""
    sections: list[Section] = []
    blocks = doc.blocks
    consumed = -1
    for i, block in enumerate(blocks):
        if i == consumed:
            continue
        if isinstance(block, Table):
            facts = parse_table(block, doc, _caption_unit(blocks, i))
            if not sections:
                sections.append(Section("project", None, Provenance(doc.file, block.line_start, block.line_end)))
            sections[-1].tables.append(facts)
            continue
        t = _TRAILING_YEAR.sub("", compact(block.text)).lstrip("#")
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if isinstance(nxt, Paragraph) and _is_title(t) and not (_DEPT_TITLE.search(t) or _PROJECT_TITLE.match(t)):
            # A title wrapped onto a second line ("…项目支出绩效" / "自评报告").
            # (A second line that is a title by itself, "绩效评价报告", names its project
            # on the line above instead: see `_project_title_name`.)
            tail = _TRAILING_YEAR.sub("", compact(nxt.text))
            joined = t + tail
            if _is_title(joined) and len(tail) <= 12 and not (_DEPT_TITLE.search(tail) or _PROJECT_TITLE.match(tail)) \
                    and (_DEPT_TITLE.search(joined) or _PROJECT_TITLE.match(joined)):
                t, consumed = joined, i + 1
                block = Paragraph(joined, block.line_start, nxt.line_end)
        if _is_title(t) and _DEPT_TITLE.search(t):
            parts = split_title(t)
            sections.append(Section("department", DEPARTMENT_NAME, _title_prov(doc, block), title_unit=parts.unit))
            continue
        m = _PROJECT_TITLE.match(t) if _is_title(t) else None
        if m:
            name, unit = _project_title_name(_plain_title(t, m), m.group("pre"), blocks, i)
            sections.append(Section("project", name, _title_prov(doc, block), title_unit=unit))
            continue
        if not sections:
            sections.append(Section("project", None, _title_prov(doc, block)))
        sections[-1].paragraphs.append(block)
    return sections


def _plain_title(title: str, m: re.Match) -> str:
    """A project title in its plainest wording, so the name is cut the same way whatever
    the report calls itself: "关于…绩效自评情况的报告", "…绩效目标自评报告",
    "…绩效评价报告书" -> "…绩效自评报告" / "…绩效评价报告"."""
    tail = title[m.end("pre"):].replace("绩效目标", "绩效", 1)
    tail = re.sub(r"(自评价|自评|评价)(?:工作|情况|结果)?的?报告书?$", r"\1报告", tail)
    return m.group("pre") + tail


def _caption_unit(blocks, index: int) -> str | None:
    """An amount unit stated in the few lines just above a table ("单位：元")."""
    for block in reversed(blocks[max(0, index - 3) : index]):
        if isinstance(block, Paragraph) and (unit := detect_amount_unit(block.text)):
            return unit
    return None


def _project_title_name(title: str, pre: str, blocks, index: int) -> tuple[str | None, str | None]:
    """The project a report title names, and the unit it names.

    "某某平台项目支出绩效评价报告" -> 某某平台. A title split over lines puts the name
    on the line(s) above ("某某专项经费" / "2021年度绩效评价报告"). A title naming the
    unit ("2021年度某某中心项目支出绩效自评报告") has the project in a
    "（某某经费项目）" or 项目名称： line just below.
    """
    parts = split_title(title)
    name, unit = parts.name, parts.unit
    bare = re.sub(r"^(?:19|20)\d\d\s*年度?", "", pre).strip()
    if not bare:
        # The name is on the line above: "某某专项经费" / "2021年度绩效评价报告".
        prev = blocks[index - 1] if index > 0 else None
        if isinstance(prev, Paragraph) and _is_title(compact(prev.text)) and len(compact(prev.text)) <= 40:
            above = split_title(compact(prev.text) + compact(title))
            if above.unit and above.name:
                return above.name, above.unit
            return compact(prev.text), unit
    for block in blocks[index + 1 : index + 4]:
        if isinstance(block, Paragraph) and (m := (_PAREN_NAME.match(compact(block.text))
                                                   or _NAME_LABEL.match(compact(block.text)))):
            return m.group("name"), unit
    return name, unit


def _covers_several_projects(section: Section, doc: SourceDocument) -> bool:
    """The section says it covers two projects or more (共实施项目15个)."""
    stated = narrative.find_projects_stated(section.paragraphs, doc)
    return stated is not None and (v(stated) or 0) >= 2


def _unit_total(section: Section, subprojects, doc: SourceDocument) -> Project | None:
    """A report naming no project that breaks its unit's money down by project: the
    unit's own figures, as the department's, when the report's arithmetic says they
    are the total (the projects' spending adds up to it); else None."""
    own = [p for p in section.paragraphs if not any(p in sub.paragraphs for sub in subprojects)]
    total = _build_project(DEPARTMENT_NAME, Section("department", DEPARTMENT_NAME, section.prov, own), [], doc)
    spent = [0.0 if sub.outcome is not None and sub.executed is None else v(sub.executed) for sub in subprojects]
    if v(total.executed) is None or any(x is None for x in spent) or abs(sum(spent) - v(total.executed)) > 0.01:
        return None
    total.kind = "department"
    return total


def _same_name(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a, b = compact(a), compact(b)
    return a == b or a in b or b in a


def parse_evaluation(doc: SourceDocument) -> EvaluationResult:
    """All evaluation sections of a document as `Project`s (see module docstring)."""
    sections = split_sections(doc)
    sections = [s for s in sections if s.kind == "department" or s.paragraphs or s.tables]
    _absorb_preamble(sections)
    paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph)]
    cover = read_cover_labels(paragraphs[:60] + paragraphs[-8:], doc)
    projects: list[Project] = []
    doc_kinds: list[str] = []
    result = EvaluationResult(projects, doc_kinds, [])
    special = _is_special_fund(doc)
    for section in sections:
        if section.kind == "project" and _is_department_section(section):
            section.kind, section.name = "department", DEPARTMENT_NAME
        if section.kind == "department":
            dept, listed = _department_projects(section, doc)
            projects.append(dept)
            projects.extend(listed)
            if "department_overall" not in doc_kinds:
                doc_kinds.insert(0, "department_overall")
            continue
        projects.extend(_section_projects(section, doc, cover))
        if not special and "project_evaluation" not in doc_kinds:
            doc_kinds.append("project_evaluation")
        paras = section.paragraphs
        if result.unit_project_budget is None:
            result.unit_project_budget = narrative.find_project_budget(paras, doc, None).get("unit_project_budget")
        if result.projects_total is None:
            result.projects_total = narrative.find_projects_total(paras, doc)
        if result.projects_stated is None:
            result.projects_stated = narrative.find_projects_stated(paras, doc)
    if special:
        doc_kinds.append("special_fund_evaluation")
    if cover.get("evaluator") and _is_third_party(cover.get("evaluator").value, paragraphs[:12]):
        doc_kinds.append("third_party_evaluation")
    result.projects = _merge_same_name(projects)
    if not any(p.kind == "department" for p in result.projects):
        stated = narrative.find_department_budget(paragraphs, doc)
        if stated is not None:
            # The report states its department's whole budget: a fact of the
            # department, kept beside the projects (no other figure is implied).
            dept = Project(name=DEPARTMENT_NAME, kind="department", prov=stated.prov, budget_initial=stated)
            result.projects.append(dept)
    result.unit_hints = _unit_hints(sections, cover, paragraphs, doc)
    result.supervisor = cover.get("department") or next(
        (t.department for s in sections for t in s.tables if t.department), None)
    result.evaluator = cover.get("evaluator")
    if not result.unit_hints and result.supervisor is not None:
        # Only the 主管部门 is named: the best we have, and a reviewer should know.
        result.unit_hints = [result.supervisor]
    return result


def _is_special_fund(doc: SourceDocument) -> bool:
    """专项资金, 转移支付 and 专项债券 reports (by their title words)."""
    head = "".join(compact(line) for line in doc.lines[:6])
    return bool(re.search(r"专项资金|转移支付|专项债券|专项经费绩效评价|财政支出政策绩效评价", head)) or \
        any(re.match(r"^项目[（(]专项资金[)）]名称", compact(line)) for line in doc.lines[:30])


def _is_department_section(section: Section) -> bool:
    """A section without a report title whose tables are a department's (整体支出
    绩效自评表, 年度履职目标, 部门整体支出预算执行情况)."""
    texts = [t.title or "" for t in section.tables] + [p.text for p in section.paragraphs[:4]]
    return any(_DEPT_WORDS.search(compact(t)) for t in texts)


def _unit_hints(sections: list[Section], cover: CoverLabels, paragraphs, doc) -> list[Value]:
    """The reporting unit's candidates, strongest first: the cover's 填报/实施单位,
    a table's 实施单位, the title's unit, the signature. Never the 主管部门 here."""
    hints: list[Value] = []
    if cover.get("unit"):
        hints.append(cover.get("unit"))
    for section in sections:
        hints.extend(t.unit for t in section.tables if t.unit)
    for section in sections:
        if section.title_unit:
            hints.append(Value(section.title_unit, section.prov, section.title_unit))
    if (signed := signature_unit(paragraphs)) is not None:
        name, para = signed
        hints.append(Value(name, _title_prov(doc, para), name))
    if cover.get("publisher"):
        hints.append(cover.get("publisher"))
    return hints


def _merge_same_name(projects: list[Project]) -> list[Project]:
    """One project per name: a 自评表 placed before its report, or a report split by a
    stray title, yields two sections of one project. The first keeps what it says;
    the second fills what the first left empty."""
    merged: dict[str, Project] = {}
    for project in projects:
        key = compact(project.name) if project.name != UNNAMED_PROJECT else f"#{id(project)}"
        first = merged.get(key)
        if first is None or project.kind == "department" and first.kind != "department":
            merged.setdefault(key if first is None else f"{key}#{id(project)}", project)
            continue
        for name, value in vars(project).items():
            if name in ("name", "kind", "prov"):
                continue
            current = getattr(first, name)
            if current is None or current == [] or current is False:
                setattr(first, name, value)
    return list(merged.values())


def _absorb_preamble(sections: list[Section]) -> None:
    """Text before the first title (a cover page) belongs to the first section."""
    if len(sections) >= 2 and sections[0].name is None and not sections[0].tables and sections[0].kind == "project":
        first = sections.pop(0)
        sections[0].paragraphs[:0] = first.paragraphs


def _department_projects(section: Section, doc: SourceDocument) -> tuple[Project, list[Project]]:
    """部门整体支出: its self-evaluation table if it has one (budget rows, indicators,
    总分), then the department sentences for what the table does not say; plus the
    projects its tables list (重点工作任务 with their own amounts)."""
    if section.tables:
        project = _build_project(DEPARTMENT_NAME, section, section.tables, doc)
        project.kind = "department"
    else:
        project = _build_project(DEPARTMENT_NAME, section, [], doc)
        project.kind = "department"
    totals = narrative.find_department_totals(section.paragraphs, doc)
    for key in ("budget_initial", "budget_adjusted", "executed", "execution_rate", "special_projects", "projects_evaluated"):
        if getattr(project, key) is None:
            setattr(project, key, totals.get(key))
    project.output_facts = project.output_facts + narrative.find_department_blocks(section.paragraphs, doc)
    listed = [_project_from_row(row, "evaluation") for t in section.tables for row in t.project_rows]
    return project, listed


def _project_from_row(row: ProjectRow, kind: str) -> Project:
    project = Project(name=row.name.value, kind=kind, prov=row.name.prov, listed=True)
    project.budget_initial = row.budget
    project.executed = row.executed
    project.execution_rate = row.rate
    project.total_score = row.score
    if row.grade is not None and normalize_grade(row.grade.value):
        project.grade = Value(normalize_grade(row.grade.value), row.grade.prov, row.grade.value)
    if row.bond is not None:
        project.funding_source = Value("地方政府专项债券", row.bond.prov, row.bond.raw)
    return project


def _section_projects(section: Section, doc: SourceDocument, cover: CoverLabels) -> list[Project]:
    """The section's own project, plus any table naming a different project, any
    project a table lists row by row, and narrative sub-projects."""
    name = section.name or (cover.get("name").value if cover.get("name") else None)
    own_tables, other_tables = [], []
    for table in section.tables:
        table_name = (table.name.value if table.name else None) or table.title_name
        if table.project_rows and not table.indicators:
            continue  # a list of projects, read below
        if not table_name or _same_name(table_name, name) or name is None:
            own_tables.append(table)
            # A 项目名称 cell is the project's own label: it beats a name cut from a title.
            name = (table.name.value if table.name else None) or name or table_name
        else:
            other_tables.append(table)
    listed = [_project_from_row(row, "evaluation") for t in section.tables for row in t.project_rows]
    projects: list[Project] = []
    subprojects = [] if own_tables or listed else find_subprojects(section.paragraphs, doc)
    if subprojects:
        for sub in subprojects:
            sub_section = Section("project", sub.name, sub.prov, sub.paragraphs)
            project = _build_project(sub.name, sub_section, [], doc)
            project.budget_initial = project.budget_initial or sub.budget
            project.executed = project.executed or sub.executed
            project.execution_rate = project.execution_rate or sub.rate
            project.goal_actual = project.goal_actual or sub.outcome
            projects.append(project)
        # The report's own problems and remedies, written once for all its projects.
        shared = find_passages([p for p in section.paragraphs if not any(p in sub.paragraphs for sub in subprojects)], doc)
        for project in projects:
            project.passages = project.passages or list(shared)
        if name is None and (unit_total := _unit_total(section, subprojects, doc)) is not None:
            projects.insert(0, unit_total)
    elif not listed or own_tables or name:
        if name is None and (subject := narrative.find_budget_subject(section.paragraphs, doc)) is not None:
            name = subject.value
        if name is None:
            # A form with no 项目名称 cell names its project in its own title only.
            name = next((n for para in section.paragraphs[:3] if (n := name_in_form_title(para.text))), None)
        project = _build_project(name or UNNAMED_PROJECT, section, own_tables, doc)
        if project.name.startswith("部门整体"):
            project.name, project.kind = DEPARTMENT_NAME, "department"
        if project.name == UNNAMED_PROJECT and not own_tables and _covers_several_projects(section, doc):
            # A unit's report on its N projects that names none: its figures are
            # the unit's totals, not a project's.
            project.name, project.kind = DEPARTMENT_NAME, "department"
        if project.name == UNNAMED_PROJECT:
            project.review_reasons.append(reason("project_name_missing", "标题、项目名称栏均未写出项目名称", section.prov))
        projects.append(project)
    projects.extend(listed)
    for table in other_tables:
        table_name = (table.name.value if table.name else None) or table.title_name
        projects.append(_build_project(table_name, Section("project", table_name, section.prov), [table], doc))
    return projects


# A line of text that reads as a table row: three fields or more, set apart by tabs
# or runs of spaces, two of them figures (a row the reader did not take into a table).
_FIELD_GAP = re.compile(r"\t+| {2,}|\u3000+")
_FIGURE_FIELD = re.compile(r"^[≥≤<>＞＜=]?-?\d[\d,]*(?:\.\d+)?\s*(?:%|万元|元|亿元|分|个|人|次|项|家|户|天|年|月)?$")


def table_like_lines(paras: list[Paragraph], doc: SourceDocument) -> list[Provenance]:
    """Lines of a section's text that look like table rows (every cell used or
    explained: figures in columns that no table took are said, not dropped)."""
    out = []
    for para in paras:
        for line_no in range(para.line_start, para.line_end + 1):
            raw = doc.lines[line_no - 1] if 0 < line_no <= len(doc.lines) else ""
            fields = [f.strip() for f in _FIELD_GAP.split(raw.strip()) if f.strip()]
            if len(fields) >= 3 and sum(bool(_FIGURE_FIELD.match(compact(f))) for f in fields) >= 2:
                out.append(Provenance(doc.file, line_no, line_no, doc.snippet(line_no, line_no)))
    return out


def _build_project(name: str, section: Section, tables: list[TableFacts], doc: SourceDocument) -> Project:
    paras = section.paragraphs
    is_target = any(t.has_indicator_header and not t.has_actual_column for t in tables) and not any(t.has_actual_column for t in tables)
    project = Project(name=name, kind="target" if is_target else "evaluation", prov=section.prov)
    table_sections: list[SectionScore] = []
    # Table facts first: a table is the primary record of a self-evaluation.
    for table in tables:
        project.indicators.extend(table.indicators)
        project.budget_lines.extend(table.budget_lines)
        project.expense_items.extend(table.expense_items)
        project.spending_plan = project.spending_plan or table.spending_plan
        table_sections.extend(table.section_scores)
        project.goal_expected = project.goal_expected or table.goal_expected
        project.goal_actual = project.goal_actual or table.goal_actual
        project.passages.extend(table.passages)
        project.has_indicator_table = project.has_indicator_table or table.has_indicator_header
        budget = table.budget
        project.budget_initial = project.budget_initial or budget.get("budget_initial")
        project.budget_adjusted = project.budget_adjusted or budget.get("budget_adjusted")
        project.executed = project.executed or budget.get("executed")
        project.execution_rate = project.execution_rate or budget.get("rate")
        project.budget_weight = project.budget_weight or budget.get("weight")
        project.budget_score = project.budget_score or budget.get("score")
        project.total_score = project.total_score or (None if is_target else table.total_score)
        project.total_weight = project.total_weight or table.total_weight
        project.code = project.code or table.code
        project.funding_source = project.funding_source or table.funding
        project.amount_unit_as_written = project.amount_unit_as_written or table.amount_unit
        if table.grade and not project.grade:
            project.grade = table.grade
        if table.inferred_header:
            project.review_reasons.append(reason(
                "indicator_table_unread", "指标表缺少表头，列按内容推断，请核对目标值、实际值、分值与得分",
                table.indicators[0].prov if table.indicators else section.prov))
        project.review_reasons.extend(unread_rows_reasons(table.unread_rows))
        project.review_reasons.extend(summed_rows_reasons(table.summed_rows))
    project.review_reasons.extend(unread_rows_reasons(table_like_lines(paras, doc)))
    # Then the text, for whatever the tables did not say.
    text_budget = narrative.find_project_budget(paras, doc, name)
    for key in ("budget_initial", "budget_adjusted", "executed", "execution_rate"):
        if getattr(project, key) is None and key in text_budget:
            setattr(project, key, text_budget[key])
    project.section_scores = _merge_sections(table_sections, narrative.find_section_scores(paras, doc))
    for s in project.section_scores:
        if s.section in ("预算执行率", "预算执行"):
            project.budget_weight = project.budget_weight or Value(s.max, s.prov)
            project.budget_score = project.budget_score or Value(s.score, s.prov)
    project.budget_score = project.budget_score or narrative.find_budget_score(paras, doc)
    if not is_target:
        _take_stated_total(project, narrative.find_total_score(paras, doc))
    if project.grade is None:
        project.grade = narrative.find_grade(paras, doc)
    project.grade = _normalized_grade(project)
    project.expense_items = project.expense_items or narrative.find_expense_items(paras, doc)
    project.funding_source = project.funding_source or narrative.find_funding_source(paras, doc)
    project.narrative_figures = narrative.find_narrative_figures(paras, doc)
    project.passages.extend(find_passages(paras, doc))
    if not project.has_indicator_table:
        project.indicators = narrative.find_sentence_indicators(paras, doc) or narrative.find_goal_indicators(paras, doc)
        project.output_facts = narrative.find_output_facts(paras, doc)
    return project


def _take_stated_total(project: Project, stated: Value | None) -> None:
    """The total the text states, beside the table's.

    A table 总分 over less than 100 points is a subtotal (indicators only) when the text
    states the overall total ("指标得分88分，加预算执行得分9分，合计97分"): the text's total
    wins when it is the table's plus no more than the points the table leaves out.
    Any other disagreement keeps the table's total and asks a person.
    """
    if stated is None:
        return
    table_total, table_weight, said = v(project.total_score), v(project.total_weight), v(stated)
    if table_total is None:
        project.total_score = stated
        return
    if table_weight is None or table_weight >= 100 or said == table_total:
        return
    if table_total - 0.01 <= said <= table_total + (100 - table_weight) + 0.01:
        project.total_score = stated
        return
    project.review_reasons.append(reason(
        "weights_off", f"表格分值合计 {table_weight:g} 分，表格总分 {table_total:g} 分；正文写总分 {said:g} 分，"
        f"与表格的分数对不上（差额超过表格未列的 {100 - table_weight:g} 分）：取表格总分，请核对", stated.prov))


def _merge_sections(from_tables: list[SectionScore], from_text: list[SectionScore]) -> list[SectionScore]:
    """Section maxima written in a table's first-level cells (产出指标（50分）) and the
    sections the text states with their scores: the text's reading wins where both
    name a section, and a dimension table's rows come with their scores."""
    def key(name: str) -> str:
        return re.sub(r"^项目|指标$", "", compact(name))

    out = {key(s.section): s for s in from_tables}
    for s in from_text:
        k = key(s.section)
        if k in out and out[k].score is not None and s.score is not None and out[k].score != s.score:
            continue  # a table's row and the text disagree: keep the table's, the audit compares
        if k in out and s.max is None:
            s = SectionScore(s.section, out[k].max, s.score, s.prov)
        out[k] = s
    return list(out.values())


def _normalized_grade(project: Project) -> Value | None:
    """The stated grade as 优/良/中/差 with the written form in `raw`; None when the
    report states none (the band of the total goes to `grade_derived`)."""
    if project.grade is None:
        return None
    written = project.grade.value
    normalized = normalize_grade(written)
    return Value(normalized, project.grade.prov, written) if normalized else None
