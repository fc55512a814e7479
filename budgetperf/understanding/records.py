"""Records: what the parsers extract from a report, each value with its provenance.

Frozen dataclasses, no I/O. Amounts are in 万元 (`*_wan`), rates/shares/weights/scores
are plain numbers (89.72 means 89.72%). `None` means the report does not say: never
fill a gap with an assumption.

`to_fact_dict` functions render records in the shape of the answer key
(`tests/seed_facts.json`), which is also what `python -m budgetperf extract --json`
prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Provenance:
    """Where a value came from: file, 1-based inclusive line range, and the source text."""

    file: str
    line_start: int
    line_end: int
    snippet: str = ""


@dataclass(frozen=True)
class Value:
    """A scalar with its provenance. `raw` is the text as written in the source."""

    value: Any
    prov: Provenance | None = None
    raw: str | None = None


def v(value: Any) -> Any:
    """The plain value of a `Value` (or None)."""
    return value.value if isinstance(value, Value) else value


@dataclass(frozen=True)
class ReviewReason:
    """Why a person should look at what was read: the extractor kept what it could
    but is unsure (项目名称未识别, 指标表未识别, 年度为推断 …). `code` is one of
    `understanding.doubts.REVIEW_CODES`; the message says what exactly, in Chinese."""

    code: str
    message_zh: str
    prov: Provenance | None = None


@dataclass(frozen=True)
class Indicator:
    """One row of an indicator table (一级/二级/三级指标)."""

    level1: str | None
    level2: str | None
    name: str
    target: str | None
    actual: str | None
    weight: float | None
    score: float | None
    prov: Provenance
    deviation_reason: str | None = None
    level1_inferred: bool = False


@dataclass(frozen=True)
class BudgetLine:
    """One row of a self-evaluation table's 项目资金 block (年度资金总额, 其中：当年财政拨款,
    上年结转资金…), amounts in 万元."""

    label: str
    budget_initial_wan: float | None
    budget_adjusted_wan: float | None
    executed_wan: float | None
    weight: float | None
    rate_pct: float | None
    score: float | None
    prov: Provenance


@dataclass(frozen=True)
class SectionScore:
    """A per-dimension maximum and score stated in the text (产出 满分60 得分60)."""

    section: str
    max: float | None
    score: float | None
    prov: Provenance


@dataclass(frozen=True)
class ExpenseItem:
    item: str
    amount_wan: float
    prov: Provenance
    amount_raw: str | None = None


@dataclass(frozen=True)
class Passage:
    """The report's own words on why: its stated problems (problem), the reasons
    for a shortfall (reason), or what it will do about them (remedy)."""

    kind: str  # problem | reason | remedy
    label: str  # the heading or label as written (三、存在的问题)
    text: str
    prov: Provenance


@dataclass(frozen=True)
class SpendingPlan:
    """Cumulative share of the budget to be spent by a date ("03-31", 25)."""

    by: str
    share_pct: float
    prov: Provenance


@dataclass(frozen=True)
class OutputFact:
    """An output figure stated in a sentence (完成全年某类稿件N条)."""

    name: str
    value: str
    prov: Provenance


@dataclass(frozen=True)
class NarrativeFigure:
    """A number with a counting unit found in a project's narrative text; the audit
    compares these against the table's actual values."""

    text: str  # the clause it was found in
    number: float
    unit: str
    is_approximate: bool  # 余/近/约/多
    prov: Provenance


@dataclass
class Project:
    """A project evaluation, a project target sheet, or a department's overall
    evaluation (kind "department", name 部门整体支出)."""

    name: str
    kind: str  # "evaluation" | "target" | "department"
    prov: Provenance
    code: Value | None = None
    budget_initial: Value | None = None
    budget_adjusted: Value | None = None
    executed: Value | None = None
    execution_rate: Value | None = None
    budget_weight: Value | None = None
    budget_score: Value | None = None
    total_score: Value | None = None
    total_weight: Value | None = None
    grade: Value | None = None  # as stated, normalized 优/良/中/差; raw keeps the written grade
    grade_derived: str | None = None  # the band of total_score, only when no grade is stated
    projects_evaluated: Value | None = None
    special_projects: Value | None = None
    funding_source: Value | None = None
    amount_unit_as_written: str | None = None
    goal_expected: Value | None = None  # 年度总体目标: 预期目标
    goal_actual: Value | None = None  # 年度总体目标: 实际完成情况
    budget_lines: list[BudgetLine] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    section_scores: list[SectionScore] = field(default_factory=list)
    expense_items: list[ExpenseItem] = field(default_factory=list)
    spending_plan: list[SpendingPlan] = field(default_factory=list)
    output_facts: list[OutputFact] = field(default_factory=list)
    narrative_figures: list[NarrativeFigure] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    has_indicator_table: bool = False
    listed: bool = False  # one row of a list of projects: its lines are that row's, not a section's
    review_reasons: list[ReviewReason] = field(default_factory=list)


@dataclass
class DocumentFacts:
    """Everything extracted from one file."""

    file: str
    fmt: str
    region: Value | None = None
    region_level: str | None = None
    city: str | None = None
    province: str | None = None
    region_code: str | None = None
    unit: Value | None = None  # the reporting unit as written (cleaned of codes and seals)
    unit_short: str | None = None  # its canonical short form, for grouping and display
    unit_code: Value | None = None
    supervisor: Value | None = None  # 主管部门, when the report names one
    evaluator: Value | None = None  # an outside evaluator or the organiser of the evaluation
    year: Value | None = None
    year_is_explicit: bool = False
    year_evidence: str | None = None
    year_line: int | None = None
    doc_kinds: list[str] = field(default_factory=list)
    unit_project_budget: Value | None = None
    projects_total: Value | None = None
    projects_stated: Value | None = None  # 共实施项目N个 (checked against the projects read)
    projects: list[Project] = field(default_factory=list)
    same_program_as: list[dict] = field(default_factory=list)
    content_hash: str | None = None
    encoding: str | None = None
    line_count: int = 0
    review_reasons: list[ReviewReason] = field(default_factory=list)
    is_excluded: bool = False  # a person marked the file "not a report": kept, shown in no figure
