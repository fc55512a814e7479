"""Evaluation reports: 部门整体绩效评价报告, 项目支出绩效评价/自评报告 with their
自评表, narrative self-reports and 专项资金 reports.

The document is cut into sections at report titles. Each section becomes one
`Project` (the department section becomes kind "department", name 部门整体支出).
A self-evaluation table joins the project its 项目名称 names; a table whose header
was lost joins the report just before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetperf.blocks import Paragraph, SourceDocument, Table, compact
from budgetperf.parsers import narrative
from budgetperf.parsers.tables import TableFacts, parse_table
from budgetperf.parsers.values import detect_amount_unit, normalize_grade
from budgetperf.records import Project, Provenance, Value, v

_DEPT_TITLE = re.compile(r"部门整体(?:支出)?绩效(?:评价|自评)(?:报告)?$")
_PROJECT_TITLE = re.compile(r"^(?P<pre>.*?)(?:项目)?(?:支出)?绩效(?:评价|自评)报告$")
_SPECIAL_LABEL = re.compile(r"^项目(?:[（(]专项资金[)）])?名称[:：]?(?P<name>.+)$")
_LABEL_LINE = re.compile(r"^(?P<label>项目实施单位|实施单位|项目主管部门|主管部门|项目编码)[:：]?(?P<value>.+)$")
_NAME_LABEL = re.compile(r"^项目名称[:：](?P<name>[^，。；]{2,40}?)(?:项目)?$")
_PAREN_NAME = re.compile(r"^[（(](?P<name>[^（）()]{2,40}?)(?:项目)?[)）]$")
_UNIT_SUFFIX = re.compile(r"(中心|局|办|办公室|委员会|委|部|院|所|站|队|馆|厅|处|科|协会|社|学校|医院|政府|公司)$")
_YEAR_PREFIX = re.compile(r"^(?:19|20)\d\d\s*年度?")
_TRAILING_YEAR = re.compile(r"[（(]\s*(?:19|20)\d\d\s*年度?\s*[)）]$")
_REGION_LIKE = re.compile(r"^[\u4e00-\u9fff]{2,8}?(?:省|市|县|区|旗|州|盟)")
# A unit name at the start of a title: region, then up to the first unit word.
_UNIT_PREFIX = re.compile(
    r"^(?P<unit>(?:中共)?[\u4e00-\u9fff]{2,8}?(?:市|县|区|旗)[\u4e00-\u9fff]{1,16}?"
    r"(?:委员会|办公室|局|中心|院|所|站|队|馆|部|委|办))(?P<rest>.*)$"
)
DEPARTMENT_NAME = "部门整体支出"


@dataclass
class Section:
    kind: str  # department | project
    name: str | None
    prov: Provenance
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[TableFacts] = field(default_factory=list)


@dataclass
class EvaluationResult:
    projects: list[Project]
    doc_kinds: list[str]
    unit_hints: list[Value]
    unit_project_budget: Value | None = None
    projects_total: Value | None = None


def _title_prov(doc: SourceDocument, para: Paragraph) -> Provenance:
    return Provenance(doc.file, para.line_start, para.line_end, doc.snippet(para.line_start, para.line_end))


def _is_title(text: str) -> bool:
    return len(text) <= 60 and not text.endswith(("。", "；", "，"))


def split_sections(doc: SourceDocument) -> tuple[list[Section], list[Value]]:
    """Cut the blocks at report titles; return the sections and unit names seen in titles."""
    sections: list[Section] = []
    unit_hints: list[Value] = []
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        if isinstance(block, Table):
            facts = parse_table(block, doc, _caption_unit(blocks, i))
            if not sections:
                sections.append(Section("project", None, Provenance(doc.file, block.line_start, block.line_end)))
            sections[-1].tables.append(facts)
            continue
        t = _TRAILING_YEAR.sub("", compact(block.text))
        if _is_title(t) and _DEPT_TITLE.search(t):
            sections.append(Section("department", DEPARTMENT_NAME, _title_prov(doc, block)))
            continue
        m = _PROJECT_TITLE.match(t) if _is_title(t) else None
        if m:
            name, unit = _project_title_name(m.group("pre"), blocks, i)
            if unit:
                unit_hints.append(Value(unit, _title_prov(doc, block), t))
            sections.append(Section("project", name, _title_prov(doc, block)))
            continue
        if not sections:
            sections.append(Section("project", None, _title_prov(doc, block)))
        sections[-1].paragraphs.append(block)
    return sections, unit_hints


def _caption_unit(blocks, index: int) -> str | None:
    """An amount unit stated in the few lines just above a table ("单位：元")."""
    for block in reversed(blocks[max(0, index - 3) : index]):
        if isinstance(block, Paragraph) and (unit := detect_amount_unit(block.text)):
            return unit
    return None


def _split_unit_prefix(text: str) -> tuple[str | None, str]:
    """"迁安市教育局学生营养改善计划" -> ("迁安市教育局", "学生营养改善计划")."""
    m = _UNIT_PREFIX.match(text)
    if not m:
        return None, text
    return m.group("unit"), m.group("rest")


def _project_title_name(pre: str, blocks, index: int) -> tuple[str | None, str | None]:
    """The project a report title names, and a unit if the title names one instead.

    "网信乐亭项目支出绩效评价报告" -> 网信乐亭. A title split over two lines puts the
    name on the line above. "2021年度某某中心项目支出绩效自评报告" names the unit; the
    project is then in a "（某某经费项目）" line just below.
    """
    pre = _YEAR_PREFIX.sub("", pre).strip()
    if not pre:
        prev = blocks[index - 1] if index > 0 else None
        if isinstance(prev, Paragraph) and _is_title(compact(prev.text)) and len(compact(prev.text)) <= 30:
            return compact(prev.text), None
        return None, None
    unit, rest = _split_unit_prefix(pre)
    for block in blocks[index + 1 : index + 4]:
        if not isinstance(block, Paragraph):
            continue
        if m := (_PAREN_NAME.match(compact(block.text)) or _NAME_LABEL.match(compact(block.text))):
            return m.group("name"), unit or (pre if _UNIT_SUFFIX.search(pre) else None)
    if unit and not rest:
        return None, unit
    if not unit and _UNIT_SUFFIX.search(pre) and _REGION_LIKE.match(pre):
        return None, pre
    return rest or pre, unit


def _same_name(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a, b = compact(a), compact(b)
    return a == b or a in b or b in a


def parse_evaluation(doc: SourceDocument) -> EvaluationResult:
    """All evaluation sections of a document as `Project`s (see module docstring)."""
    sections, unit_hints = split_sections(doc)
    sections = [s for s in sections if s.kind == "department" or s.paragraphs or s.tables]
    _absorb_preamble(sections)
    projects: list[Project] = []
    doc_kinds: list[str] = []
    result = EvaluationResult(projects, doc_kinds, unit_hints)
    special = _special_fund_labels(doc)
    if special:
        doc_kinds.append("special_fund_evaluation")
    for section in sections:
        if section.kind == "department":
            projects.append(_department_project(section, doc))
            if "department_overall" not in doc_kinds:
                doc_kinds.insert(0, "department_overall")
            continue
        for project in _section_projects(section, doc, special):
            projects.append(project)
        if not special and "project_evaluation" not in doc_kinds:
            doc_kinds.append("project_evaluation")
        paras = section.paragraphs
        if result.unit_project_budget is None:
            result.unit_project_budget = narrative.find_project_budget(paras, doc, None).get("unit_project_budget")
        if result.projects_total is None:
            result.projects_total = narrative.find_projects_total(paras, doc)
    result.projects = projects = _merge_same_name(projects)
    if special:
        unit_hints.extend(v for k, v in special.items() if k == "unit")
    for section in sections:
        for table in section.tables:
            if table.unit:
                unit_hints.append(table.unit)
    return result


def _merge_same_name(projects: list[Project]) -> list[Project]:
    """One project per name: a 自评表 placed before its report, or a report split by a
    stray title, yields two sections of one project. The first keeps what it says;
    the second fills what the first left empty."""
    merged: dict[str, Project] = {}
    for project in projects:
        key = compact(project.name)
        first = merged.get(key)
        if first is None or project.kind == "department":
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


def _special_fund_labels(doc: SourceDocument) -> dict[str, Value]:
    """Cover-page labels of a 专项资金 report: 项目（专项资金）名称, 实施单位…"""
    found: dict[str, Value] = {}
    for block in doc.blocks[:30]:
        if not isinstance(block, Paragraph):
            continue
        t = compact(block.text)
        prov = _title_prov(doc, block)
        if (m := _SPECIAL_LABEL.match(t)) and "专项资金" in t:
            found["name"] = Value(m.group("name"), prov, t)
        elif m := _LABEL_LINE.match(t):
            value = re.sub(r"[（(](公章|盖章)[)）]$", "", m.group("value"))
            key = {"项目实施单位": "unit", "实施单位": "unit", "项目主管部门": "department", "主管部门": "department", "项目编码": "code"}[m.group("label")]
            found.setdefault(key, Value(value, prov, t))
    return found if "name" in found else {}


def _department_project(section: Section, doc: SourceDocument) -> Project:
    """部门整体支出: its self-evaluation table if it has one (budget rows, indicators,
    总分), then the department sentences for what the table does not say."""
    if section.tables:
        project = _build_project(DEPARTMENT_NAME, section, section.tables, doc, {})
        project.kind = "department"
    else:
        project = Project(name=DEPARTMENT_NAME, kind="department", prov=section.prov)
        project.narrative_figures = narrative.find_narrative_figures(section.paragraphs, doc)
    totals = narrative.find_department_totals(section.paragraphs, doc)
    for key in ("budget_initial", "budget_adjusted", "executed", "execution_rate", "special_projects", "projects_evaluated"):
        if getattr(project, key) is None:
            setattr(project, key, totals.get(key))
    project.output_facts = project.output_facts + narrative.find_department_blocks(section.paragraphs, doc)
    return project


def _section_projects(section: Section, doc: SourceDocument, special: dict[str, Value]) -> list[Project]:
    """The section's own project, plus any table naming a different project."""
    name = section.name or (special.get("name").value if special.get("name") else None)
    own_tables, other_tables = [], []
    for table in section.tables:
        table_name = (table.name.value if table.name else None) or table.title_name
        if not table_name or _same_name(table_name, name) or name is None:
            own_tables.append(table)
            # A 项目名称 cell is the project's own label: it beats a name cut from a title.
            name = (table.name.value if table.name else None) or name or table_name
        else:
            other_tables.append(table)
    project = _build_project(name or "未命名项目", section, own_tables, doc, special)
    if project.name.startswith("部门整体"):
        project.name, project.kind = DEPARTMENT_NAME, "department"
    projects = [project]
    for table in other_tables:
        table_name = (table.name.value if table.name else None) or table.title_name
        projects.append(_build_project(table_name, Section("project", table_name, section.prov), [table], doc, {}))
    return projects


def _build_project(name: str, section: Section, tables: list[TableFacts], doc: SourceDocument, special) -> Project:
    paras = section.paragraphs
    is_target = any(t.has_indicator_header and not t.has_actual_column for t in tables) and not any(t.has_actual_column for t in tables)
    project = Project(name=name, kind="target" if is_target else "evaluation", prov=section.prov)
    # Table facts first: a table is the primary record of a self-evaluation.
    for table in tables:
        project.indicators.extend(table.indicators)
        project.budget_lines.extend(table.budget_lines)
        project.goal_expected = project.goal_expected or table.goal_expected
        project.goal_actual = project.goal_actual or table.goal_actual
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
        project.amount_unit_as_written = project.amount_unit_as_written or table.amount_unit
        if table.grade and not project.grade:
            project.grade = table.grade
    # Then the text, for whatever the tables did not say.
    text_budget = narrative.find_project_budget(paras, doc, name)
    for key in ("budget_initial", "budget_adjusted", "executed", "execution_rate"):
        if getattr(project, key) is None and key in text_budget:
            setattr(project, key, text_budget[key])
    project.section_scores = narrative.find_section_scores(paras, doc)
    for s in project.section_scores:
        if s.section == "预算执行率":
            project.budget_weight = project.budget_weight or Value(s.max, s.prov)
            project.budget_score = project.budget_score or Value(s.score, s.prov)
    project.budget_score = project.budget_score or narrative.find_budget_score(paras, doc)
    if not is_target:
        stated = narrative.find_total_score(paras, doc)
        table_weight = v(project.total_weight)
        # A table 总分 over less than 100 points is a subtotal (indicators only) when the
        # text states the overall total ("指标得分88分，加预算执行得分9分，合计97分").
        if project.total_score is None or (stated is not None and table_weight is not None and table_weight < 100):
            project.total_score = stated or project.total_score
    if project.grade is None:
        project.grade = narrative.find_grade(paras, doc)
    project.grade = _normalized_grade(project)
    project.expense_items = narrative.find_expense_items(paras, doc)
    project.funding_source = narrative.find_funding_source(paras, doc)
    project.narrative_figures = narrative.find_narrative_figures(paras, doc)
    if not project.has_indicator_table:
        project.indicators = narrative.find_goal_indicators(paras, doc)
        project.output_facts = narrative.find_output_facts(paras, doc)
    if special.get("code") and project.code is None:
        project.code = special["code"]
    return project


def _normalized_grade(project: Project) -> Value | None:
    """The stated grade as 优/良/中/差 with the written form in `raw`; None when the
    report states none (the band of the total goes to `grade_derived`)."""
    if project.grade is None:
        return None
    written = project.grade.value
    normalized = normalize_grade(written)
    return Value(normalized, project.grade.prov, written) if normalized else None
